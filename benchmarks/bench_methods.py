"""Speed and memory of the control-chart core, each beside a straightforward reference.

Run from the repository root:

    .venv/bin/python benchmarks/bench_methods.py            # full sizes (about a minute)
    .venv/bin/python benchmarks/bench_methods.py --quick    # small sizes, a smoke test

The process pins itself to one CPU (any helper threads share it), so the numbers are
single-core. Each timing is the median of several runs with time.perf_counter. Peak memory is
measured with tracemalloc (numpy reports its buffers to it) in a separate run, and given as a
multiple of the input's size. The references compute the same numbers the plain way: a Python
loop, or numpy with sliding windows; before timing, the benchmark checks they agree with the
library.
"""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cqo.methods import constants as K  # noqa: E402
from cqo.methods.charts import (  # noqa: E402
    cusum_chart,
    cusum_loop,
    ewma_chart,
    individuals_chart,
    r_chart,
    subgroups_from_matrix,
    subgroups_from_rows,
    xbar_chart,
)
from cqo.methods.rules import NELSON_RULES  # noqa: E402

Fn = Callable[[Any], Any]
# title, target in ms, the library's function, references (name, function), input
Case = tuple[str, float, Fn, list[tuple[str, Fn]], np.ndarray]


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def median_ms(fn: Callable[[], Any], repeats: int) -> float:
    fn()  # warm caches and lazy imports
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def peak_ratio(fn: Callable[[], Any], input_bytes: int) -> float:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / input_bytes


# --------------------------------------------------------------------------------------------
# The library


def ours_imr_nelson(x: np.ndarray) -> Any:
    return individuals_chart(subgroups_from_rows(x), rules=NELSON_RULES)


def ours_xbar_r(m: np.ndarray) -> Any:
    data = subgroups_from_matrix(m)
    return xbar_chart(data, rules="none"), r_chart(data, rules="none")


def ours_ewma(x: np.ndarray) -> Any:
    return ewma_chart(subgroups_from_rows(x), lam=0.2, width=3.0)


def ours_cusum(x: np.ndarray) -> Any:
    return cusum_chart(subgroups_from_rows(x), k=0.5, h=5.0)


# --------------------------------------------------------------------------------------------
# Straightforward references


def reference_imr_nelson(x: np.ndarray) -> dict[str, np.ndarray]:
    """Plain numpy: one sliding-window view per rule, reduced with all/any/sum."""
    n = x.shape[0]
    mu = x.mean()
    sigma = np.abs(np.diff(x)).mean() / K.d2(2)
    z = (x - mu) / sigma

    def pad(window_result: np.ndarray, width: int) -> np.ndarray:
        out = np.zeros(window_result.shape[0] + width - 1, dtype=bool)
        out[width - 1 :] = window_result
        return out

    def all_in(flags: np.ndarray, width: int) -> np.ndarray:
        return pad(np.asarray(sliding_window_view(flags, width).all(axis=1)), width)

    def m_of_w(flags: np.ndarray, m: int, width: int) -> np.ndarray:
        return flags & pad(np.asarray(sliding_window_view(flags, width).sum(axis=1) >= m), width)

    out: dict[str, np.ndarray] = {}
    out["nelson1"] = np.abs(z) > 3
    out["nelson2"] = all_in(z > 0, 9) | all_in(z < 0, 9)
    d = np.diff(x)
    trend = np.zeros(n, dtype=bool)
    trend[1:] = all_in(d > 0, 5) | all_in(d < 0, 5)
    out["nelson3"] = trend
    alt = np.zeros(n, dtype=bool)
    alt[2:] = all_in(d[1:] * d[:-1] < 0, 12)
    out["nelson4"] = alt
    out["nelson5"] = m_of_w(z > 2, 2, 3) | m_of_w(z < -2, 2, 3)
    out["nelson6"] = m_of_w(z > 1, 4, 5) | m_of_w(z < -1, 4, 5)
    out["nelson7"] = all_in(np.abs(z) <= 1, 15)
    w = sliding_window_view(z, 8)
    both = (np.abs(w) > 1).all(axis=1) & (w > 1).any(axis=1) & (w < -1).any(axis=1)
    out["nelson8"] = pad(both, 8)
    return out


def reference_xbar_r(m: np.ndarray) -> tuple[float, float, float, float]:
    """A Python loop over the subgroups, then the textbook A2 and D4 formulas."""
    means, ranges = [], []
    for row in m.tolist():
        means.append(sum(row) / len(row))
        ranges.append(max(row) - min(row))
    n = m.shape[1]
    grand = sum(means) / len(means)
    rbar = sum(ranges) / len(ranges)
    c = K.chart_constants(n)
    return grand - c.A2 * rbar, grand + c.A2 * rbar, c.D3 * rbar, c.D4 * rbar


def reference_ewma(x: np.ndarray, lam: float = 0.2, width: float = 3.0) -> tuple[list, list]:
    values = x.tolist()
    mu = sum(values) / len(values)
    mr = sum(abs(b - a) for a, b in itertools.pairwise(values)) / (len(values) - 1)
    sigma = mr / K.d2(2)
    z, zs, ucl = mu, [], []
    for i, v in enumerate(values, start=1):
        z = lam * v + (1 - lam) * z
        zs.append(z)
        ucl.append(mu + width * sigma * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * i))))
    return zs, ucl


def reference_cusum(x: np.ndarray) -> tuple[list[float], list[float]]:
    values = x.tolist()
    mu = sum(values) / len(values)
    mr = sum(abs(b - a) for a, b in itertools.pairwise(values)) / (len(values) - 1)
    sigma = mr / K.d2(2)
    return cusum_loop([(v - mu) / sigma for v in values], 0.5)


# --------------------------------------------------------------------------------------------


def check_agreement(x: np.ndarray, m: np.ndarray) -> None:
    """The references compute the same charts: otherwise the comparison would mean nothing."""
    ours = ours_imr_nelson(x)
    ref = reference_imr_nelson(x)
    # The library also judges incomplete windows at the very start; compare full windows.
    for rule in NELSON_RULES:
        assert np.array_equal(ours.violations[rule][15:], ref[rule][15:]), rule
    xbar, r = ours_xbar_r(m)
    lcl, ucl, r_lcl, r_ucl = reference_xbar_r(m)
    assert math.isclose(xbar.ucl[0], ucl, rel_tol=1e-9) and math.isclose(xbar.lcl[0], lcl)
    assert math.isclose(r.ucl[0], r_ucl, rel_tol=1e-9) and r.lcl[0] == r_lcl
    head = x[:20_000]
    zs, ucl_e = reference_ewma(head)
    e = ours_ewma(head)
    assert np.allclose(e.value, zs, rtol=1e-9) and np.allclose(e.ucl, ucl_e, rtol=1e-9)
    up, lo = reference_cusum(head)
    c = ours_cusum(head)
    assert np.allclose(c.upper, up, atol=1e-8) and np.allclose(c.lower, lo, atol=1e-8)


def time_cli(points: int, repeats: int) -> tuple[float, str]:
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "imr.csv"
        values = rng.normal(10.0, 1.0, points)
        path.write_text("x\n" + "\n".join(f"{v:.4f}" for v in values) + "\n", encoding="utf-8")
        out = Path(tmp) / "out.json"
        cmd = [sys.executable, "-m", "cqo.methods", "chart", "imr", "--input", str(path)]
        cmd += ["--value", "x", "--output", str(out)]
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, env=env)
            times.append(time.perf_counter() - t0)
        size = out.stat().st_size
    shown = "cqo stats chart imr --input imr.csv --value x --output out.json"
    return statistics.median(times), f"{shown}  ({points:,} rows, {size / 1e6:.0f} MB of JSON)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    pinned = pin_to_one_core()
    n_points = 100_000 if args.quick else 1_000_000
    n_groups = 20_000 if args.quick else 200_000
    rng = np.random.default_rng(2024)
    x = rng.normal(10.0, 1.0, n_points)
    m = rng.normal(74.0, 0.01, (n_groups, 5))
    check_agreement(x, m)

    cases: list[Case] = [
        (f"I-MR limits + 8 Nelson rules, {n_points:,} points", 100.0, ours_imr_nelson,
         [("plain numpy, sliding windows", reference_imr_nelson)], x),
        (f"X̄-R limits, {n_groups:,} subgroups of 5", 20.0, ours_xbar_r,
         [("Python loop over subgroups", reference_xbar_r)], m),
        (f"EWMA with exact limits, {n_points:,} points", 50.0, ours_ewma,
         [("Python loop", reference_ewma)], x),
        (f"Tabular CUSUM, {n_points:,} points", 50.0, ours_cusum,
         [("Python loop", reference_cusum)], x),
    ]  # fmt: skip

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {pinned}")
    print(f"median of {args.repeats} runs, milliseconds\n")
    print(
        "| case | library (ms) | target (ms) | reference | reference (ms) | speed-up "
        "| peak memory / input |"
    )
    print("|---|---:|---:|---|---:|---:|---:|")
    for title, target, ours, refs, data in cases:
        t_ours = median_ms(functools.partial(ours, data), args.repeats)
        ratio = peak_ratio(functools.partial(ours, data), data.nbytes)
        for ref_name, ref in refs:
            # The references are slow and steady: three runs give a fair median.
            t_ref = median_ms(functools.partial(ref, data), max(1, min(3, args.repeats)))
            print(
                f"| {title} | {t_ours:.1f} | {target:.0f} | {ref_name} | {t_ref:.0f} | "
                f"{t_ref / t_ours:.0f}x | {ratio:.1f}x |"
            )
    seconds, shown = time_cli(n_points, 3)
    print(f"\n`{shown}`: {seconds:.2f} s wall time (median of 3, whole process)")


if __name__ == "__main__":
    main()
