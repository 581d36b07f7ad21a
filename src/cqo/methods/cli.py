"""``cqo stats``: control charts, capability and the other quality methods on a CSV or Excel file.

The top-level ``cqo`` command passes everything after ``stats`` to :func:`main`;
``python -m cqo.methods`` does the same. Output is JSON on stdout (or a text table, or SVG);
bad input prints one line on stderr and exits with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from .capability import CapabilityResult, capability_from_table
from .charts import CHART_TYPES, SIGMA_METHODS, ChartResult, chart_from_table
from .errors import MethodsInputError
from .io import read_table
from .rules import parse_rules, violation_map

CLI_CHART_TYPES: tuple[str, ...] = tuple(t for t in CHART_TYPES if t != "mr")

TITLES = {
    "xbar": "均值控制图 X̄",
    "r": "极差控制图 R",
    "s": "标准差控制图 S",
    "imr": "单值控制图 I",
    "mr": "移动极差控制图 MR",
    "p": "不合格品率控制图 p",
    "np": "不合格品数控制图 np",
    "c": "缺陷数控制图 c",
    "u": "单位缺陷数控制图 u",
    "ewma": "指数加权移动平均控制图 EWMA",
    "cusum": "累积和控制图 CUSUM",
}

# Below this many points a progress bar would only flicker.
PROGRESS_MIN_POINTS = 50_000
CHUNK = 20_000


class Progress:
    """A one-line bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self._last = -1.0
        self._drawn = False

    def update(self, fraction: float, stage: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        done = round(width * max(0.0, min(1.0, fraction)))
        bar = "#" * done + "." * (width - done)
        self.stream.write(f"\r[{bar}] {fraction * 100:5.1f}% {stage:<10}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
            self._drawn = False


def _is_tty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _number(text: str) -> float:
    """argparse type for numbers: finite floats only, so NaN never reaches the methods."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
    return value


def _add_chart_parser(sub: Any) -> None:
    p = sub.add_parser(
        "chart",
        help="control chart (X̄, R, S, I-MR, p, np, c, u, EWMA, CUSUM) with run rules",
        description=(
            "Control chart from a CSV or .xlsx file. Rows with equal --group labels form a "
            "subgroup. Phase I rows (--phase1) estimate the limits; the other rows are "
            "monitored against them."
        ),
    )
    p.add_argument("type", choices=CLI_CHART_TYPES, metavar="TYPE", help=" ".join(CLI_CHART_TYPES))
    p.add_argument("--input", required=True, metavar="FILE", help="CSV with a header row, or .xlsx")
    p.add_argument(
        "--value",
        required=True,
        metavar="COL",
        help="measurement, or count of nonconforming units / defects",
    )
    p.add_argument("--group", metavar="COL", help="subgroup label: equal labels form a subgroup")
    p.add_argument("--size", metavar="COL|N", help="sample size column or number (p, np, u)")
    p.add_argument("--label", metavar="COL", help="point labels (default: subgroup or row number)")
    p.add_argument(
        "--phase1",
        metavar="COL",
        help="TRUE/FALSE column: rows that estimate the limits (default: all)",
    )
    p.add_argument(
        "--exclude",
        metavar="L1,L2",
        default="",
        help="point labels left out of estimation but still charted and tested",
    )
    p.add_argument("--center", type=_number, help="known centre (p0 for p and np charts)")
    p.add_argument("--sigma", type=_number, help="known process σ")
    p.add_argument("--sigma-method", choices=SIGMA_METHODS, help="how σ is estimated")
    p.add_argument("--constants", choices=("exact", "table"), default="exact")
    p.add_argument(
        "--rules",
        default="nelson",
        help="we1..we4, nelson1..nelson8 (comma list), we, nelson or none (default: nelson)",
    )
    p.add_argument("--lambda", dest="lam", type=_number, default=0.2, help="EWMA weight")
    p.add_argument("--width", type=_number, default=3.0, help="EWMA limit width in σ")
    p.add_argument("--k", type=_number, default=0.5, help="CUSUM reference value in σ")
    p.add_argument("--h", type=_number, default=5.0, help="CUSUM decision interval in σ")
    p.add_argument(
        "--mr",
        action="store_true",
        help="with imr: output the moving-range chart instead of the individuals chart",
    )
    p.add_argument("--format", choices=("json", "table", "svg"), default="json")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=_run_chart)


def _add_capability_parser(sub: Any) -> None:
    p = sub.add_parser(
        "capability",
        help="process capability Cp, Cpk, Pp, Ppk, Cpm and fractions out of specification",
        description=(
            "Capability indices. σ within from subgroups (--group, R̄/d2 by default) or from "
            "the moving range; σ overall is the sample SD."
        ),
    )
    p.add_argument("--input", required=True, metavar="FILE")
    p.add_argument("--value", required=True, metavar="COL")
    p.add_argument("--group", metavar="COL")
    p.add_argument("--phase1", metavar="COL", help="use only the rows marked TRUE")
    p.add_argument("--lsl", type=_number, help="lower specification limit")
    p.add_argument("--usl", type=_number, help="upper specification limit")
    p.add_argument("--target", type=_number, help="target (default: middle of the specification)")
    p.add_argument("--sigma-method", choices=SIGMA_METHODS)
    p.add_argument("--constants", choices=("exact", "table"), default="exact")
    p.add_argument("--confidence", type=_number, default=0.95, help="for the intervals")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.set_defaults(run=_run_capability)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cqo stats",
        description="Quality statistics on CSV or Excel files (no web server needed).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_chart_parser(sub)
    _add_capability_parser(sub)
    from . import cli_tools  # imported here: it registers subcommands that import this module

    cli_tools.register(sub)
    return parser


# --------------------------------------------------------------------------------------------
# chart


def _chart(args: argparse.Namespace, progress: Progress) -> ChartResult:
    progress.update(0.0, "reading")
    table = read_table(args.input)
    progress.update(0.35, "computing")
    kind = "mr" if args.type == "imr" and args.mr else args.type
    if args.mr and args.type != "imr":
        raise MethodsInputError("--mr goes with the imr chart type")
    exclude = [e for e in str(args.exclude).split(",") if e.strip()]
    return chart_from_table(
        table,
        kind,
        value=args.value,
        group=args.group,
        size=args.size,
        label=args.label,
        phase1=args.phase1,
        exclude=exclude,
        center=args.center,
        sigma=args.sigma,
        sigma_method=args.sigma_method,
        constants=args.constants,
        rules=parse_rules(args.rules),
        lam=args.lam,
        width=args.width,
        k=args.k,
        h=args.h,
    )


def _json_numbers(arr: Any, start: int, stop: int) -> list[str]:
    """JSON text of floats (null for NaN/inf); a constant column is encoded once."""
    a = np.asarray(arr)
    n = stop - start
    if a.strides == (0,) and a.shape[0]:
        v = float(a[0])
        return [repr(v) if math.isfinite(v) else "null"] * n
    part = a[start:stop]
    texts = list(map(repr, part.tolist()))
    if not np.isfinite(part).all():
        for i in np.flatnonzero(~np.isfinite(part)).tolist():
            texts[i] = "null"
    return texts


def _json_labels(result: ChartResult, start: int, stop: int) -> list[str]:
    if result.labels is None:
        return [f'"{i}"' for i in range(start + 1, stop + 1)]
    return [json.dumps(str(v), ensure_ascii=False) for v in result.labels[start:stop]]


def write_chart_json(result: ChartResult, out: IO[str], progress: Progress) -> None:
    """Stream the JSON in chunks, formatting each column at once.

    The same document json.dumps would give (same keys and order, floats as repr), without a
    million dicts in memory; the tests compare the two.
    """
    head = json.dumps(result.header(), ensure_ascii=False)
    out.write(head[:-1] + ', "points": [')
    n = result.n_points
    cusum = result.upper is not None and result.lower is not None
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        labels = _json_labels(result, start, stop)
        phases = np.where(result.phase1[start:stop], '"I"', '"II"').tolist()
        cols = [_json_numbers(a, start, stop) for a in (result.value, result.lcl, result.ucl)]
        centre = _json_numbers(result.center_line, start, stop)
        sub = {k: v[start:stop] for k, v in result.violations.items()}
        viol = ["[]"] * (stop - start)
        for i, names in violation_map(sub).items():
            viol[i] = json.dumps(names)
        rows = [
            f'{{"label": {lab}, "phase": {ph}, "value": {v}, "lcl": {lo}, "ucl": {hi}, '
            f'"center": {ce}, "violations": {vi}'
            for lab, ph, v, lo, hi, ce, vi in zip(
                labels, phases, cols[0], cols[1], cols[2], centre, viol, strict=True
            )
        ]
        if cusum:
            ups = _json_numbers(result.upper, start, stop)
            los = _json_numbers(result.lower, start, stop)
            rows = [
                f'{r}, "upper": {u}, "lower": {lw}}}'
                for r, u, lw in zip(rows, ups, los, strict=True)
            ]
        else:
            rows = [r + "}" for r in rows]
        if start:
            out.write(", ")
        out.write(", ".join(rows))
        progress.update(0.5 + 0.5 * stop / n, "writing")
    out.write("]}\n")


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def write_chart_table(result: ChartResult, out: IO[str], progress: Progress) -> None:
    head = result.header()
    out.write(
        "  ".join(f"{k}={_fmt(head[k])}" for k in ("type", "center", "sigma", "sigma_method"))
        + f"  constants={_fmt(head['constants'])}  rules={','.join(head['rules']) or '-'}\n"
    )
    columns = ["label", "phase", "value", "lcl", "center", "ucl"]
    if result.upper is not None:
        columns += ["upper", "lower"]
    columns.append("violations")
    out.write("\t".join(columns) + "\n")
    n = result.n_points
    for start in range(0, n, CHUNK):
        lines = []
        for p in result.iter_points(start, start + CHUNK):
            cells = [_fmt(p[c]) for c in columns[:-1]]
            cells.append(",".join(p["violations"]) or "-")
            lines.append("\t".join(cells))
        out.write("\n".join(lines) + "\n")
        progress.update(0.5 + 0.5 * min(n, start + CHUNK) / n, "writing")


def chart_svg(result: ChartResult, title: str) -> str:
    from .plots import control_chart_svg

    values: Any = result.value
    if result.type == "cusum" and result.upper is not None and result.lower is not None:
        # One line can show one side at a time: the side that is further from zero.
        values = np.where(result.upper >= -result.lower, result.upper, result.lower)
    lcl = [None if not math.isfinite(v) else v for v in np.asarray(result.lcl).tolist()]
    ucl = [None if not math.isfinite(v) else v for v in np.asarray(result.ucl).tolist()]
    center: Any = (
        result.center
        if result.center is not None and result.type != "cusum"
        else np.asarray(result.center_line).tolist()
    )
    return control_chart_svg(
        title=title,
        labels=result.label_list(),
        values=np.asarray(values, dtype=np.float64).tolist(),
        center=center,
        lcl=lcl,
        ucl=ucl,
        violations=result.violation_lists(),
        phase=result.phase_list(),
    )


def _run_chart(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    progress = Progress(err, _is_tty(err))
    try:
        result = _chart(args, progress)
        progress.enabled = progress.enabled and result.n_points >= PROGRESS_MIN_POINTS
        if not progress.enabled:
            progress.close()
        progress.update(0.5, "writing")
        target = out if not args.output else open(args.output, "w", encoding="utf-8")
        try:
            if args.format == "json":
                write_chart_json(result, target, progress)
            elif args.format == "table":
                write_chart_table(result, target, progress)
            else:
                title = f"{TITLES[result.type]} — {args.value}"
                target.write(chart_svg(result, title))
        finally:
            if target is not out:
                target.close()
        progress.update(1.0, "done")
    finally:
        progress.close()
    return 0


# --------------------------------------------------------------------------------------------
# capability


def _run_capability(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    table = read_table(args.input)
    result: CapabilityResult = capability_from_table(
        table,
        value=args.value,
        group=args.group,
        phase1=args.phase1,
        lsl=args.lsl,
        usl=args.usl,
        target=args.target,
        sigma_method=args.sigma_method,
        constants=args.constants,
        confidence=args.confidence,
    )
    data = result.as_dict()
    if args.format == "json":
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        for key, value in data.items():
            if key == "intervals":
                for name, (lo, hi) in value.items():
                    if lo is not None:
                        out.write(f"{name}_ci\t[{_fmt(lo)}, {_fmt(hi)}]\n")
            elif key == "normality":
                out.write(f"normality\tA²={_fmt(value['statistic'])} p={_fmt(value['p_value'])}\n")
            elif key == "warnings":
                for w in value:
                    out.write(f"warning\t{w}\n")
            else:
                out.write(f"{key}\t{_fmt(value)}\n")
    for w in result.warnings:
        err.write(f"warning: {w}\n")
    return 0


# --------------------------------------------------------------------------------------------


def _run_handler(
    handler: Callable[[argparse.Namespace], dict[str, Any]],
    args: argparse.Namespace,
    out: IO[str],
) -> int:
    out.write(json.dumps(handler(args), ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``cqo stats`` with ``argv`` (the arguments after ``stats``); return the exit status."""
    out, err = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2) and --help (0), already printed by argparse
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        run = getattr(args, "run", None)
        if run is not None:
            return int(run(args, out, err))
        handler = getattr(args, "handler", None)
        if handler is None:  # pragma: no cover - every subparser sets one
            parser.print_usage(err)
            return 2
        return _run_handler(handler, args, out)
    except MethodsInputError as exc:
        err.write(f"cqo stats: error: {exc}\n")
        return 2
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            return 0
        err.write(f"cqo stats: error: {exc.strerror or exc}: {exc.filename or ''}\n")
        return 2
