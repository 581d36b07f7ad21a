"""Control charts: X̄-R, X̄-S, I-MR, p, np, c, u, EWMA and tabular CUSUM.

Every chart follows the same life cycle:

1. The data are reduced to one plotted point per subgroup (:class:`Subgroups` for measurements,
   :class:`Counts` for attributes), in order of first appearance.
2. The points used for estimation are the phase I points that are not excluded. Phase II and
   excluded points are still charted and tested, against the limits from the estimation points.
3. Known standard values (``center``, ``sigma``) replace the estimates when given.
4. Run rules (:mod:`.rules`) are applied with per-point zones.

Conventions and sources are in ``docs/methods.md``; the numbers reproduce R's qcc in "table" mode.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import signal

from . import constants as K
from .errors import MethodsInputError
from .io import Table
from .rules import NELSON_RULES, RuleParams, evaluate, parse_rules, violation_lists

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

_F = TypeVar("_F", bound=Callable[..., Any])


def _quiet(fn: _F) -> _F:
    """Absurd but finite input (1e308) overflows to inf, which the output shows as null; numpy's
    warnings about it would only clutter the command line."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


CHART_TYPES: tuple[str, ...] = ("xbar", "r", "s", "imr", "mr", "p", "np", "c", "u", "ewma", "cusum")
SIGMA_METHODS: tuple[str, ...] = ("rbar", "sbar", "pooled", "mr", "sd")
DEFAULT_RULES: tuple[str, ...] = NELSON_RULES


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Subgroups:
    """Measurements reduced to subgroups: size, mean, range, SD and within sum of squares.

    ``labels`` None means the labels are the 1-based subgroup numbers (saves a million strings on
    big individual charts). ``first_rows`` are 0-based data rows, used to point at the input;
    ``row_numbers`` maps a data row to its spreadsheet row (None: data row i is row i + 2).
    """

    sizes: IntArray
    means: FloatArray
    ranges: FloatArray
    sds: FloatArray
    ss: FloatArray
    phase1: BoolArray
    labels: Sequence[str] | None = None
    first_rows: IntArray | None = None
    row_numbers: IntArray | None = None

    @property
    def k(self) -> int:
        return int(self.sizes.shape[0])

    def label(self, i: int) -> str:
        return str(i + 1) if self.labels is None else str(self.labels[i])

    def where(self, i: int) -> str:
        """How to find subgroup i in the input, for error messages."""
        text = f"subgroup '{self.label(i)}'"
        if self.first_rows is not None:
            r = int(self.first_rows[i])
            text += f" (row {r + 2 if self.row_numbers is None else int(self.row_numbers[r])})"
        return text


@dataclass(frozen=True)
class Counts:
    """Attribute data: nonconforming units or defects per sample, with sample sizes."""

    counts: FloatArray
    sizes: FloatArray
    phase1: BoolArray
    labels: Sequence[str] | None = None
    first_rows: IntArray | None = None

    @property
    def k(self) -> int:
        return int(self.counts.shape[0])

    def label(self, i: int) -> str:
        return str(i + 1) if self.labels is None else str(self.labels[i])


def _as_phase(phase1: npt.ArrayLike | None, n: int) -> BoolArray:
    if phase1 is None:
        return np.ones(n, dtype=bool)
    out = np.asarray(phase1, dtype=bool)
    if out.shape != (n,):
        raise MethodsInputError(f"phase1 must have one flag per row ({n}), got {out.shape}")
    return out


def _finite_values(values: npt.ArrayLike, what: str = "value") -> FloatArray:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        x = x.ravel()
    if x.size == 0:
        raise MethodsInputError("there are no data rows")
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        raise MethodsInputError(f"{what} {int(bad[0]) + 1} is not a finite number")
    return x


def factorize(groups: Sequence[Any]) -> tuple[IntArray, list[str]]:
    """Codes 0..k-1 in order of first appearance, and the distinct labels as text."""
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(str(g), len(index)) for g in groups), dtype=np.int64, count=len(groups)
    )
    return codes, list(index)


@_quiet
def subgroups_from_rows(
    values: npt.ArrayLike,
    groups: Sequence[Any] | None = None,
    *,
    phase1: npt.ArrayLike | None = None,
    labels: Sequence[Any] | None = None,
    row_numbers: npt.ArrayLike | None = None,
) -> Subgroups:
    """Rows with equal group labels form a subgroup; without groups every row is one point.

    The phase of a subgroup is the phase of its rows (they must agree). The point label is the
    ``labels`` value of the subgroup's first row, else the group label, else the row number.
    ``row_numbers`` (the spreadsheet row of each input row) only serve error messages.
    """
    x = _finite_values(values)
    n = x.shape[0]
    ph = _as_phase(phase1, n)
    if labels is not None and len(labels) != n:
        raise MethodsInputError("labels must have one entry per row")
    if groups is None:
        # Individual values: the per-subgroup columns are constant, so stride-0 views keep a
        # million-point chart at the size of its input.
        return Subgroups(
            sizes=np.broadcast_to(np.int64(1), (n,)),
            means=x,
            ranges=_full(0.0, n),
            sds=_full(np.nan, n),
            ss=_full(0.0, n),
            phase1=ph,
            labels=None if labels is None else [str(v) for v in labels],
        )
    if len(groups) != n:
        raise MethodsInputError("groups must have one label per row")
    codes, names = factorize(groups)
    sizes = np.bincount(codes, minlength=len(names)).astype(np.int64)
    # Data usually arrive subgroup by subgroup; sorting is only needed when they do not.
    contiguous = bool(np.all(codes[1:] >= codes[:-1])) if n > 1 else True
    order = None if contiguous else np.argsort(codes, kind="stable")
    xs = x if order is None else x[order]
    starts = np.zeros(len(names), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    means = np.add.reduceat(xs, starts) / sizes
    ranges = np.maximum.reduceat(xs, starts) - np.minimum.reduceat(xs, starts)
    dev = xs - np.repeat(means, sizes)
    ss = np.add.reduceat(dev * dev, starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        sds = np.where(sizes > 1, np.sqrt(ss / (sizes - 1)), np.nan)
    first_rows = starts if order is None else order[starts]
    phs = ph if order is None else ph[order]
    all_p1 = np.logical_and.reduceat(phs, starts)
    any_p1 = np.logical_or.reduceat(phs, starts)
    mixed = np.flatnonzero(all_p1 != any_p1)
    if mixed.size:
        i = int(mixed[0])
        raise MethodsInputError(
            f"subgroup '{names[i]}' has rows in phase I and in phase II; "
            "all rows of a subgroup must be in the same phase"
        )
    point_labels: list[str] = (
        names if labels is None else [str(labels[int(r)]) for r in first_rows.tolist()]
    )
    return Subgroups(
        sizes=sizes,
        means=means,
        ranges=ranges,
        sds=sds,
        ss=ss,
        phase1=all_p1,
        labels=point_labels,
        first_rows=first_rows.astype(np.int64),
        row_numbers=None if row_numbers is None else np.asarray(row_numbers, dtype=np.int64),
    )


@_quiet
def subgroups_from_matrix(
    matrix: npt.ArrayLike,
    *,
    phase1: npt.ArrayLike | None = None,
    labels: Sequence[Any] | None = None,
) -> Subgroups:
    """Equal-sized subgroups given as rows of a 2-D array (the fast path for big data)."""
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] == 0 or m.shape[1] == 0:
        raise MethodsInputError("the matrix must have one row per subgroup and at least a column")
    if not np.all(np.isfinite(m)):
        raise MethodsInputError("the matrix has a value that is not a finite number")
    k, n = m.shape
    if n <= 64:
        # Reducing along a short row axis is slow in numpy; a few whole-column operations on
        # contiguous columns are about twice as fast for the usual subgroups of 2 to 25.
        cols = np.ascontiguousarray(m.T)
        total = cols[0].copy()
        high = cols[0].copy()
        low = cols[0].copy()
        for j in range(1, n):
            total += cols[j]
            np.maximum(high, cols[j], out=high)
            np.minimum(low, cols[j], out=low)
        means = total / n
        ranges = np.subtract(high, low, out=high)
        ss = np.zeros(k)
        dev = low
        for j in range(n):
            np.subtract(cols[j], means, out=dev)
            dev *= dev
            ss += dev
        del cols
    else:
        means = m.mean(axis=1)
        ranges = m.max(axis=1) - m.min(axis=1)
        dev2 = m - means[:, None]
        ss = np.einsum("ij,ij->i", dev2, dev2)
    sds = np.sqrt(ss / (n - 1)) if n > 1 else np.full(k, np.nan)
    return Subgroups(
        sizes=np.broadcast_to(np.int64(n), (k,)),
        means=means,
        ranges=ranges,
        sds=sds,
        ss=ss,
        phase1=_as_phase(phase1, k),
        labels=None if labels is None else [str(v) for v in labels],
    )


@_quiet
def counts_from_rows(
    counts: npt.ArrayLike,
    sizes: npt.ArrayLike | float | None = None,
    groups: Sequence[Any] | None = None,
    *,
    phase1: npt.ArrayLike | None = None,
    labels: Sequence[Any] | None = None,
    kind: str = "p",
) -> Counts:
    """Counts per row (summed per group when groups are given) with their sample sizes.

    ``kind`` decides the checks: p and np need integer-sized samples and counts no larger than
    them; all kinds reject negative and fractional counts (units and defects are counted in
    whole numbers). Errors name the 1-based data row.
    """
    c = _finite_values(counts, "count")
    n = c.shape[0]
    if sizes is None:
        if kind in ("p", "np", "u"):
            raise MethodsInputError(f"a {kind} chart needs the sample sizes")
        s = np.ones(n)
    else:
        s_in = np.asarray(sizes, dtype=np.float64)
        s = np.full(n, float(s_in)) if s_in.ndim == 0 else _finite_values(s_in, "sample size")
        if s.shape != (n,):
            raise MethodsInputError("sizes must have one entry per row")
    neg = np.flatnonzero(c < 0)
    if neg.size:
        i = int(neg[0])
        raise MethodsInputError(f"data row {i + 1}: the count {c[i]:g} is negative")
    whole = np.flatnonzero(c != np.floor(c))
    if whole.size:
        i = int(whole[0])
        raise MethodsInputError(
            f"data row {i + 1}: the count {c[i]:g} is not a whole number of "
            f"{'nonconforming units' if kind in ('p', 'np') else 'defects'}"
        )
    bad = np.flatnonzero(s <= 0)
    if bad.size:
        i = int(bad[0])
        raise MethodsInputError(f"data row {i + 1}: the sample size {s[i]:g} is not positive")
    if kind in ("p", "np"):
        frac = np.flatnonzero(s != np.round(s))
        if frac.size:
            i = int(frac[0])
            raise MethodsInputError(
                f"data row {i + 1}: the sample size {s[i]:g} is not a whole number of units"
            )
        over = np.flatnonzero(c > s)
        if over.size:
            i = int(over[0])
            raise MethodsInputError(
                f"data row {i + 1}: {c[i]:g} nonconforming units is more than the sample size "
                f"{s[i]:g}"
            )
    ph = _as_phase(phase1, n)
    if groups is None:
        return Counts(
            counts=c,
            sizes=s,
            phase1=ph,
            labels=None if labels is None else [str(v) for v in labels],
            first_rows=np.arange(n, dtype=np.int64),
        )
    codes, names = factorize(groups)
    k = len(names)
    sum_c = np.asarray(np.bincount(codes, weights=c, minlength=k), dtype=np.float64)
    sum_s = np.asarray(np.bincount(codes, weights=s, minlength=k), dtype=np.float64)
    first = np.full(k, n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n, dtype=np.int64))
    n_p1 = np.bincount(codes, weights=ph.astype(np.float64), minlength=k)
    n_rows = np.bincount(codes, minlength=k)
    mixed = np.flatnonzero((n_p1 > 0) & (n_p1 < n_rows))
    if mixed.size:
        raise MethodsInputError(
            f"subgroup '{names[int(mixed[0])]}' has rows in phase I and in phase II; "
            "all rows of a subgroup must be in the same phase"
        )
    point_labels = names if labels is None else [str(labels[int(r)]) for r in first.tolist()]
    return Counts(
        counts=sum_c,
        sizes=sum_s,
        phase1=n_p1 > 0,
        labels=point_labels,
        first_rows=first,
    )


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ChartResult:
    """One control chart. Per-point arrays may be read-only broadcast views when constant.

    ``center`` is the centre line when it is the same for every point, else None (then see
    ``center_line``). ``sigma`` follows qcc: the process σ for measurement charts; for attribute
    charts σ of the plotted statistic (p, np; None when n varies) or per unit (c, u).
    ``zone_sigma`` is σ of the plotted statistic at each point, which the run-rule zones use.
    NaN in ``lcl``/``ucl``/``value`` means none.
    """

    type: str
    center: float | None
    sigma: float | None
    sigma_method: str | None
    constants: str | None
    value: FloatArray
    center_line: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    zone_sigma: FloatArray
    sizes: FloatArray
    phase1: BoolArray
    excluded: BoolArray
    violations: dict[str, BoolArray]
    rules: tuple[str, ...]
    labels: Sequence[str] | None = None
    upper: FloatArray | None = None
    lower: FloatArray | None = None
    statistic: FloatArray | None = None
    params: dict[str, float | None] = field(default_factory=dict)

    @property
    def n_points(self) -> int:
        return int(self.value.shape[0])

    def label_list(self) -> list[str]:
        if self.labels is None:
            return [str(i) for i in range(1, self.n_points + 1)]
        return [str(v) for v in self.labels]

    def phase_list(self) -> list[str]:
        return np.where(self.phase1, "I", "II").tolist()  # type: ignore[no-any-return]

    def violation_lists(self) -> list[list[str]]:
        return violation_lists(self.violations, self.n_points)

    def flagged(self) -> dict[int, list[str]]:
        """1-based point index -> rules broken, for the points that break any."""
        lists = self.violation_lists()
        return {i + 1: v for i, v in enumerate(lists) if v}

    def header(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "center": self.center,
            "sigma": self.sigma,
            "sigma_method": self.sigma_method,
            "constants": self.constants,
            "rules": list(self.rules),
        }
        out.update(self.params)
        excluded = np.flatnonzero(self.excluded)
        labels = self.labels
        out["excluded"] = [
            str(i + 1) if labels is None else str(labels[i]) for i in excluded.tolist()
        ]
        return _plain(out)  # type: ignore[no-any-return]

    def iter_points(self, start: int = 0, stop: int | None = None) -> list[dict[str, Any]]:
        """The JSON points for [start, stop): label, phase, value, lcl, ucl, center, violations."""
        stop = self.n_points if stop is None else min(stop, self.n_points)
        sl = slice(start, stop)
        if self.labels is None:
            labels = [str(i) for i in range(start + 1, stop + 1)]
        else:
            labels = [str(v) for v in self.labels[start:stop]]
        phases = np.where(self.phase1[sl], "I", "II").tolist()
        values = _json_list(self.value[sl])
        lcl = _json_list(self.lcl[sl])
        ucl = _json_list(self.ucl[sl])
        centre = _json_list(self.center_line[sl])
        sub = {k: v[sl] for k, v in self.violations.items()}
        viol = violation_lists(sub, stop - start)
        points = [
            {
                "label": lab,
                "phase": ph,
                "value": v,
                "lcl": lo,
                "ucl": hi,
                "center": ce,
                "violations": vi,
            }
            for lab, ph, v, lo, hi, ce, vi in zip(
                labels, phases, values, lcl, ucl, centre, viol, strict=True
            )
        ]
        if self.upper is not None and self.lower is not None:
            for p, u, lw in zip(
                points, _json_list(self.upper[sl]), _json_list(self.lower[sl]), strict=True
            ):
                p["upper"] = u
                p["lower"] = lw
        return points

    def as_dict(self) -> dict[str, Any]:
        out = self.header()
        out["points"] = self.iter_points()
        return out


def _json_list(arr: npt.ArrayLike) -> list[float | None]:
    a = np.asarray(arr, dtype=np.float64)
    finite = np.isfinite(a)
    if finite.all():
        return a.tolist()  # type: ignore[no-any-return]
    obj = a.astype(object)
    obj[~finite] = None
    return obj.tolist()  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


# --------------------------------------------------------------------------------------------
# Helpers


def _full(value: float, n: int) -> FloatArray:
    # A stride-0 view: constant limits on a million points cost no memory.
    return np.broadcast_to(np.float64(value), (n,))


def _is_constant(arr: FloatArray) -> bool:
    return bool(arr.shape[0]) and (arr.strides == (0,) or bool(np.all(arr == arr[0])))


def _compact(arr: FloatArray) -> FloatArray | float:
    """A scalar when all entries are equal (cheap), else the array."""
    if arr.shape[0] and (arr.strides == (0,) or bool(np.all(arr == arr[0]))):
        return float(arr[0])
    return arr


def _exclusion_mask(exclude: npt.ArrayLike | None, n: int) -> BoolArray:
    if exclude is None:
        return np.zeros(n, dtype=bool)
    mask = np.asarray(exclude, dtype=bool)
    if mask.shape != (n,):
        raise MethodsInputError(f"exclude must have one flag per point ({n})")
    return mask


def _estimation_mask(phase1: BoolArray, excluded: BoolArray, needed: bool) -> BoolArray:
    use = phase1 & ~excluded
    if needed and not use.any():
        raise MethodsInputError(
            "no points are left to estimate the limits: mark some rows as phase I and do not "
            "exclude all of them, or give the known --center and --sigma"
        )
    return use


def _check_known(value: float | None, name: str, *, positive: bool = False) -> float | None:
    if value is None:
        return None
    v = float(value)
    if not math.isfinite(v):
        raise MethodsInputError(f"{name} must be a finite number, got {value}")
    if positive and v <= 0:
        raise MethodsInputError(f"{name} must be positive, got {v:g}")
    return v


def _check_method(method: str) -> str:
    if method not in SIGMA_METHODS:
        raise MethodsInputError(
            f"unknown sigma method '{method}': use one of {', '.join(SIGMA_METHODS)}"
        )
    return method


def _need_pairs(data: Subgroups, use: BoolArray, chart: str) -> None:
    single = np.flatnonzero(use & (data.sizes < 2))
    if single.size:
        raise MethodsInputError(
            f"{data.where(int(single[0]))} has a single value: {chart} needs subgroups of at "
            "least 2 values"
        )


@_quiet
def estimate_sigma(data: Subgroups, use: BoolArray, method: str, mode: str = "exact") -> float:
    """Within-subgroup σ from the subgroups in ``use`` (docs/methods.md, "σ estimation")."""
    _check_method(method)
    K.check_mode(mode)
    sizes = data.sizes if use.all() else data.sizes[use]
    if sizes.size == 0:
        raise MethodsInputError("no subgroups to estimate σ from")
    if method == "rbar":
        _need_pairs(data, use, "σ from ranges (rbar)")
        r = data.ranges if use.all() else data.ranges[use]
        if _is_constant_int(sizes):
            return float(r.mean() / K.d2(int(sizes[0]), mode))
        return float(np.mean(r / K.d2_array(sizes, mode)))
    if method == "sbar":
        _need_pairs(data, use, "σ from standard deviations (sbar)")
        s = data.sds if use.all() else data.sds[use]
        if _is_constant_int(sizes):
            return float(s.mean() / K.c4(int(sizes[0])))
        return float(np.mean(s / K.c4_array(sizes)))
    if method == "pooled":
        df = int(np.sum(sizes - 1))
        if df < 1:
            raise MethodsInputError("the pooled SD needs at least one subgroup with 2 values")
        return float(math.sqrt(float(np.sum(data.ss[use])) / df) / K.c4(df + 1))
    if method == "mr":
        if np.any(data.sizes > 1):
            raise MethodsInputError(
                "the moving-range σ (mr) is for individual values, one per point; "
                "use rbar, sbar or pooled for subgroups"
            )
        x = data.means
        if x.shape[0] > 1 and use.all():
            mr = np.diff(x)
        else:
            both = use[1:] & use[:-1]
            if not both.any():
                raise MethodsInputError(
                    "the moving-range σ needs two consecutive points used for estimation"
                )
            mr = np.diff(x)[both]
        np.abs(mr, out=mr)
        return float(mr.mean() / K.d2(2, mode))
    # sd: all estimation values as one sample, made unbiased with c4.
    total = int(sizes.sum())
    if total < 2:
        raise MethodsInputError("the overall SD needs at least 2 values")
    grand = float(np.sum(sizes * data.means[use]) / total)
    ss = float(np.sum(data.ss[use]) + np.sum(sizes * (data.means[use] - grand) ** 2))
    return math.sqrt(ss / (total - 1)) / K.c4(total)


def _default_method(data: Subgroups) -> str:
    return "mr" if bool(np.all(data.sizes == 1)) else "rbar"


def _grand_mean(data: Subgroups, use: BoolArray) -> float:
    """Mean of all estimation values (subgroup means weighted by n, as qcc)."""
    every = bool(use.all())
    if _is_constant_int(data.sizes):
        return float(data.means.mean() if every else data.means[use].mean())
    sizes = data.sizes if every else data.sizes[use]
    means = data.means if every else data.means[use]
    return float(np.dot(sizes, means) / np.sum(sizes))


def _is_constant_int(sizes: IntArray) -> bool:
    return bool(sizes.shape[0]) and (sizes.strides == (0,) or bool(np.all(sizes == sizes[0])))


def _sigma(
    data: Subgroups,
    use: BoolArray,
    sigma: float | None,
    sigma_method: str | None,
    mode: str,
) -> tuple[float, str]:
    if sigma is not None:
        return sigma, "known"
    method = _check_method(sigma_method or _default_method(data))
    return estimate_sigma(data, use, method, mode), method


def _apply_rules(
    value: FloatArray,
    center: FloatArray | float,
    zone: FloatArray | float,
    lcl: FloatArray,
    ucl: FloatArray,
    rules: Sequence[str] | str | None,
    params: RuleParams | None,
) -> tuple[dict[str, BoolArray], tuple[str, ...]]:
    chosen = parse_rules(rules)
    masks = evaluate(value, center, zone, lcl=lcl, ucl=ucl, rules=chosen, params=params)
    return masks, chosen


def _all_finite(arr: npt.ArrayLike) -> bool:
    a = np.asarray(arr, dtype=np.float64)
    if a.ndim == 1 and a.shape[0] and a.strides == (0,):
        return bool(math.isfinite(float(a[0])))  # a constant column: one check is enough
    return bool(np.isfinite(a).all())


def _too_large(what: str) -> MethodsInputError:
    return MethodsInputError(
        f"values too large to chart: {what} is not a finite number in double precision "
        "(magnitudes beyond about 1.8e308 overflow); rescale the data, e.g. change the unit"
    )


def check_chartable(
    *,
    sigma: float | None,
    center_line: FloatArray,
    lcl: FloatArray,
    ucl: FloatArray,
    value: FloatArray,
    labels: Sequence[str] | None,
    value_from: int = 0,
    extra: Sequence[tuple[str, FloatArray]] = (),
) -> None:
    """Refuse a chart whose estimates, limits or plotted points overflowed to ±inf or NaN.

    Every input value is finite, but sums, ranges and 3σ of values near the largest double can
    still overflow; such a chart cannot be drawn or reported, so this is an input error.
    ``value_from`` skips points that have no value by definition (the first moving range).
    """
    if sigma is not None and not math.isfinite(sigma):
        raise _too_large("σ")
    if not _all_finite(center_line):
        raise _too_large("the centre line")
    if not (_all_finite(lcl) and _all_finite(ucl)):
        raise _too_large("a control limit")
    for name, arr in (("the plotted value", value[value_from:]), *extra):
        if not _all_finite(arr):
            i = int(np.flatnonzero(~np.isfinite(np.asarray(arr)))[0])
            i += value_from if name == "the plotted value" else 0
            label = str(i + 1) if labels is None else str(labels[i])
            raise _too_large(f"{name} of point '{label}'")


def _result(
    kind: str,
    *,
    value: FloatArray,
    center_line: FloatArray,
    lcl: FloatArray,
    ucl: FloatArray,
    zone: FloatArray,
    sizes: FloatArray,
    phase1: BoolArray,
    excluded: BoolArray,
    labels: Sequence[str] | None,
    sigma: float | None,
    sigma_method: str | None,
    mode: str | None,
    rules: Sequence[str] | str | None,
    params: RuleParams | None,
    only_limits: bool = False,
) -> ChartResult:
    check_chartable(
        sigma=sigma,
        center_line=center_line,
        lcl=lcl,
        ucl=ucl,
        value=value,
        labels=labels,
        value_from=1 if kind == "mr" else 0,
    )
    centre = _compact(center_line)
    chosen = parse_rules(rules)
    if only_limits:
        chosen = tuple(r for r in chosen if r in ("we1", "nelson1"))
    masks, chosen = _apply_rules(value, centre, _compact(zone), lcl, ucl, chosen, params)
    return ChartResult(
        type=kind,
        center=centre if isinstance(centre, float) else None,
        sigma=sigma,
        sigma_method=sigma_method,
        constants=mode,
        value=value,
        center_line=center_line,
        lcl=lcl,
        ucl=ucl,
        zone_sigma=zone,
        sizes=sizes,
        phase1=phase1,
        excluded=excluded,
        violations=masks,
        rules=chosen,
        labels=labels,
    )


def _sizes_float(sizes: IntArray) -> FloatArray:
    if sizes.shape[0] and np.all(sizes == sizes[0]):
        return _full(float(sizes[0]), sizes.shape[0])
    return sizes.astype(np.float64)


# --------------------------------------------------------------------------------------------
# Measurement charts


@_quiet
def xbar_chart(
    data: Subgroups,
    *,
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    rules: Sequence[str] | str | None = DEFAULT_RULES,
    rule_params: RuleParams | None = None,
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """X̄ chart: centre ± 3σ/√n_i, σ from the chosen method (default R̄/d2)."""
    mode = K.check_mode(constants)
    center = _check_known(center, "center")
    sigma = _check_known(sigma, "sigma", positive=True)
    excluded = _exclusion_mask(exclude, data.k)
    use = _estimation_mask(data.phase1, excluded, center is None or sigma is None)
    mu = _grand_mean(data, use) if center is None else center
    sig, method = _sigma(data, use, sigma, sigma_method, mode)
    with np.errstate(over="ignore", invalid="ignore"):
        if np.all(data.sizes == data.sizes[0]):
            se = sig / math.sqrt(float(data.sizes[0]))
            zone = _full(se, data.k)
            lcl, ucl = _full(mu - 3.0 * se, data.k), _full(mu + 3.0 * se, data.k)
        else:
            zone = sig / np.sqrt(data.sizes.astype(np.float64))
            lcl = mu - 3.0 * zone
            ucl = mu + 3.0 * zone
    return _result(
        "xbar",
        value=data.means,
        center_line=_full(mu, data.k),
        lcl=lcl,
        ucl=ucl,
        zone=zone,
        sizes=_sizes_float(data.sizes),
        phase1=data.phase1,
        excluded=excluded,
        labels=data.labels,
        sigma=sig,
        sigma_method=method,
        mode=mode,
        rules=rules,
        params=rule_params,
    )


def _dispersion_chart(
    kind: str,
    data: Subgroups,
    *,
    center: float | None,
    sigma: float | None,
    sigma_method: str | None,
    constants: str,
    rules: Sequence[str] | str | None,
    rule_params: RuleParams | None,
    exclude: npt.ArrayLike | None,
) -> ChartResult:
    mode = K.check_mode(constants)
    name = "an R chart" if kind == "r" else "an S chart"
    if center is not None:
        raise MethodsInputError(
            f"--center does not apply to {name}: its centre line follows from σ (give --sigma)"
        )
    sigma = _check_known(sigma, "sigma", positive=True)
    excluded = _exclusion_mask(exclude, data.k)
    _need_pairs(data, np.ones(data.k, dtype=bool), name)
    use = _estimation_mask(data.phase1, excluded, sigma is None)
    default = "rbar" if kind == "r" else "sbar"
    sig, method = _sigma(data, use, sigma, sigma_method or default, mode)
    sizes = data.sizes
    if _is_constant_int(sizes):
        # One subgroup size: look the constants up once instead of per subgroup.
        n0 = int(sizes[0])
        if kind == "r":
            m0, s0 = K.d2(n0, mode), K.d3(n0, mode)
        else:
            m0 = K.c4(n0)
            s0 = math.sqrt(1.0 - m0 * m0)
        mean_f, sd_f = _full(m0, data.k), _full(s0, data.k)
    elif kind == "r":
        mean_f = K.d2_array(sizes, mode)
        sd_f = K.d3_array(sizes, mode)
    else:
        mean_f = K.c4_array(sizes)
        sd_f = np.sqrt(1.0 - mean_f * mean_f)
    value = data.ranges if kind == "r" else data.sds
    if mean_f.strides == (0,):
        c0, z0 = float(mean_f[0]) * sig, float(sd_f[0]) * sig
        centre, zone = _full(c0, data.k), _full(z0, data.k)
        lcl, ucl = _full(max(c0 - 3.0 * z0, 0.0), data.k), _full(c0 + 3.0 * z0, data.k)
    else:
        centre = mean_f * sig
        zone = sd_f * sig
        lcl = np.maximum(centre - 3.0 * zone, 0.0)
        ucl = centre + 3.0 * zone
    return _result(
        kind,
        value=value,
        center_line=centre,
        lcl=lcl,
        ucl=ucl,
        zone=zone,
        sizes=_sizes_float(sizes),
        phase1=data.phase1,
        excluded=excluded,
        labels=data.labels,
        sigma=sig,
        sigma_method=method,
        mode=mode,
        rules=rules,
        params=rule_params,
    )


@_quiet
def r_chart(
    data: Subgroups,
    *,
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    rules: Sequence[str] | str | None = DEFAULT_RULES,
    rule_params: RuleParams | None = None,
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """R chart: centre d2·σ, limits (d2 ± 3·d3)·σ with the lower floored at 0."""
    return _dispersion_chart(
        "r",
        data,
        center=center,
        sigma=sigma,
        sigma_method=sigma_method,
        constants=constants,
        rules=rules,
        rule_params=rule_params,
        exclude=exclude,
    )


@_quiet
def s_chart(
    data: Subgroups,
    *,
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    rules: Sequence[str] | str | None = DEFAULT_RULES,
    rule_params: RuleParams | None = None,
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """S chart: centre c4·σ, limits (c4 ± 3·√(1−c4²))·σ with the lower floored at 0."""
    return _dispersion_chart(
        "s",
        data,
        center=center,
        sigma=sigma,
        sigma_method=sigma_method,
        constants=constants,
        rules=rules,
        rule_params=rule_params,
        exclude=exclude,
    )


def _individuals(data: Subgroups, what: str) -> None:
    big = np.flatnonzero(data.sizes > 1)
    if big.size:
        i = int(big[0])
        raise MethodsInputError(
            f"{what} charts individual values, but {data.where(i)} has {int(data.sizes[i])} "
            "rows: use an X̄ chart for subgroups, or drop --group"
        )


@_quiet
def individuals_chart(
    data: Subgroups,
    *,
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    rules: Sequence[str] | str | None = DEFAULT_RULES,
    rule_params: RuleParams | None = None,
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """I chart: centre ± 3σ, σ by default mean |MR| / d2(2)."""
    _individuals(data, "an I-MR chart")
    mode = K.check_mode(constants)
    center = _check_known(center, "center")
    sigma = _check_known(sigma, "sigma", positive=True)
    excluded = _exclusion_mask(exclude, data.k)
    use = _estimation_mask(data.phase1, excluded, center is None or sigma is None)
    mu = _grand_mean(data, use) if center is None else center
    sig, method = _sigma(data, use, sigma, sigma_method or "mr", mode)
    n = data.k
    with np.errstate(over="ignore", invalid="ignore"):
        lcl, ucl = mu - 3.0 * sig, mu + 3.0 * sig
    return _result(
        "imr",
        value=data.means,
        center_line=_full(mu, n),
        lcl=_full(lcl, n),
        ucl=_full(ucl, n),
        zone=_full(sig, n),
        sizes=_full(1.0, n),
        phase1=data.phase1,
        excluded=excluded,
        labels=data.labels,
        sigma=sig,
        sigma_method=method,
        mode=mode,
        rules=rules,
        params=rule_params,
    )


@_quiet
def moving_range_chart(
    data: Subgroups,
    *,
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    rules: Sequence[str] | str | None = DEFAULT_RULES,
    rule_params: RuleParams | None = None,
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """MR chart of span 2: MR_i = |x_i − x_{i−1}| (none for the first point), centre d2(2)·σ,
    limits (d2(2) ± 3·d3(2))·σ floored at 0. Only the beyond-limits test applies: successive
    moving ranges share a value, so run rules would be misleading."""
    _individuals(data, "an MR chart")
    del center  # the MR chart's centre follows from σ
    mode = K.check_mode(constants)
    sigma = _check_known(sigma, "sigma", positive=True)
    excluded = _exclusion_mask(exclude, data.k)
    use = _estimation_mask(data.phase1, excluded, sigma is None)
    sig, method = _sigma(data, use, sigma, sigma_method or "mr", mode)
    n = data.k
    mr = np.empty(n)
    mr[0] = np.nan
    with np.errstate(over="ignore", invalid="ignore"):
        np.abs(np.diff(data.means), out=mr[1:])
    d2_2, d3_2 = K.d2(2, mode), K.d3(2, mode)
    centre = d2_2 * sig
    return _result(
        "mr",
        value=mr,
        center_line=_full(centre, n),
        lcl=_full(max(0.0, (d2_2 - 3.0 * d3_2) * sig), n),
        ucl=_full((d2_2 + 3.0 * d3_2) * sig, n),
        zone=_full(d3_2 * sig, n),
        sizes=_full(1.0, n),
        phase1=data.phase1,
        excluded=excluded,
        labels=data.labels,
        sigma=sig,
        sigma_method=method,
        mode=mode,
        rules=rules,
        params=rule_params,
        only_limits=True,
    )


# --------------------------------------------------------------------------------------------
# Attribute charts


@_quiet
def attribute_chart(
    kind: str,
    data: Counts,
    *,
    center: float | None = None,
    sigma: float | None = None,
    rules: Sequence[str] | str | None = DEFAULT_RULES,
    rule_params: RuleParams | None = None,
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """p, np, c or u chart with per-point limits when the sample sizes vary.

    Centre from the estimation points: p̄ = Σd/Σn (p, np), c̄ = mean count (c), ū = Σc/Σn (u).
    σ of the plotted statistic is binomial (p, np) or Poisson (c, u); LCL floored at 0, and the
    p/np UCL capped at 1 / n.
    """
    if kind not in ("p", "np", "c", "u"):
        raise MethodsInputError(f"unknown attribute chart '{kind}'")
    if sigma is not None:
        raise MethodsInputError(
            f"--sigma does not apply to a {kind} chart: σ follows from the centre "
            f"({'binomial' if kind in ('p', 'np') else 'Poisson'}); give --center only"
        )
    center = _check_known(center, "center")
    if center is not None:
        if kind in ("p", "np") and not 0.0 <= center <= 1.0:
            raise MethodsInputError(
                f"for a {kind} chart --center is the fraction nonconforming p0, between 0 and 1; "
                f"got {center:g}"
            )
        if center < 0:
            raise MethodsInputError(f"--center must not be negative, got {center:g}")
    excluded = _exclusion_mask(exclude, data.k)
    use = _estimation_mask(data.phase1, excluded, center is None)
    counts, sizes = data.counts, data.sizes
    n = data.k
    constant_n = bool(np.all(sizes == sizes[0]))
    if center is None:
        if kind == "c":
            par = float(counts[use].mean())
        else:
            par = float(counts[use].sum() / sizes[use].sum())
    else:
        par = center
    size_arr: FloatArray = _full(float(sizes[0]), n) if constant_n else sizes
    sig_out: float | None
    if kind == "p":
        value = counts / sizes
        unit = math.sqrt(par * (1.0 - par))
        zone = unit / np.sqrt(size_arr)
        centre = _full(par, n)
        top = _full(1.0, n)
        sig_out = float(zone[0]) if constant_n else None
        method = "binomial"
    elif kind == "np":
        value = counts
        unit = math.sqrt(par * (1.0 - par))
        zone = unit * np.sqrt(size_arr)
        centre = par * size_arr
        top = size_arr
        sig_out = float(zone[0]) if constant_n else None
        method = "binomial"
    elif kind == "c":
        value = counts
        unit = math.sqrt(par)
        zone = _full(unit, n)
        centre = _full(par, n)
        top = _full(np.inf, n)
        sig_out = unit
        method = "poisson"
    else:
        value = counts / sizes
        unit = math.sqrt(par)
        zone = unit / np.sqrt(size_arr)
        centre = _full(par, n)
        top = _full(np.inf, n)
        sig_out = unit
        method = "poisson"
    lcl = np.maximum(centre - 3.0 * zone, 0.0)
    ucl = np.minimum(centre + 3.0 * zone, top)
    if constant_n:
        lcl, ucl = _full(float(lcl[0]), n), _full(float(ucl[0]), n)
        zone, centre = _full(float(zone[0]), n), _full(float(centre[0]), n)
    return _result(
        kind,
        value=value,
        center_line=centre,
        lcl=lcl,
        ucl=ucl,
        zone=zone,
        sizes=size_arr,
        phase1=data.phase1,
        excluded=excluded,
        labels=data.labels,
        sigma=sig_out,
        sigma_method=method if center is None else "known",
        mode=None,
        rules=rules,
        params=rule_params,
    )


# --------------------------------------------------------------------------------------------
# EWMA and CUSUM


def ewma_statistic(x: npt.ArrayLike, lam: float, start: float) -> FloatArray:
    """z_i = λ·x_i + (1−λ)·z_{i−1}, z_0 = start, as one linear filter pass."""
    xs = np.asarray(x, dtype=np.float64)
    zi = np.array([(1.0 - lam) * start])
    out, _ = signal.lfilter([lam], [1.0, -(1.0 - lam)], xs, zi=zi)
    return np.asarray(out, dtype=np.float64)


def ewma_factor(n: int, lam: float) -> FloatArray:
    """sqrt(λ/(2−λ)·(1−(1−λ)^{2i})) for i = 1..n.

    (1−λ)^{2i} drops below the double precision of 1 after a few dozen points, so only that head
    is computed and the tail is the asymptote.
    """
    base = 1.0 - lam
    asym = math.sqrt(lam / (2.0 - lam))
    if base <= 0.0:
        return _full(asym, n).copy()
    head = n if base >= 1.0 else min(n, math.ceil(-40.0 / math.log(base)) + 1)
    out = np.full(n, asym)
    i = np.arange(1, head + 1, dtype=np.float64)
    out[:head] = np.sqrt(lam / (2.0 - lam) * (1.0 - base ** (2.0 * i)))
    return out


def _cusum_side(increments: FloatArray, block: int = 8192) -> FloatArray:
    """C_i = max(0, C_{i−1} + increment_i), C_0 = 0, without a Python loop over the points.

    With T_i = c + Σ_{t<=i} increment_t (c the carried value), C_i = T_i − min(0, min_{j<=i} T_j).
    Working in blocks restarts the partial sums from the carried value, so rounding error stays
    at the size of one block instead of growing with the series.
    """
    n = increments.shape[0]
    out = np.empty(n)
    carry = 0.0
    for s in range(0, n, block):
        e = min(n, s + block)
        t = np.cumsum(increments[s:e])
        t += carry
        low = np.minimum.accumulate(t)
        np.minimum(low, 0.0, out=low)
        np.subtract(t, low, out=out[s:e])
        carry = float(out[e - 1])
    return out


def cusum_statistics(z: npt.ArrayLike, k: float) -> tuple[FloatArray, FloatArray]:
    """Tabular CUSUM of standardised values: C⁺ (≥ 0) and C⁻ (≤ 0)."""
    zs = np.asarray(z, dtype=np.float64)
    upper = _cusum_side(zs - k)
    # 0 - x rather than -x: no "-0.0" in the output.
    lower = 0.0 - _cusum_side(-zs - k)
    return upper, lower


def cusum_loop(z: Sequence[float], k: float) -> tuple[list[float], list[float]]:
    """The textbook recursion, one point at a time (the reference for tests and benchmarks)."""
    up, lo = 0.0, 0.0
    ups, los = [], []
    for v in z:
        up = max(0.0, v - k + up)
        lo = min(0.0, v + k + lo)
        ups.append(up)
        los.append(lo)
    return ups, los


def _location_scale(
    data: Subgroups,
    *,
    center: float | None,
    sigma: float | None,
    sigma_method: str | None,
    constants: str,
    exclude: npt.ArrayLike | None,
) -> tuple[float, float, str, str, BoolArray, FloatArray]:
    mode = K.check_mode(constants)
    center = _check_known(center, "center")
    sigma = _check_known(sigma, "sigma", positive=True)
    excluded = _exclusion_mask(exclude, data.k)
    use = _estimation_mask(data.phase1, excluded, center is None or sigma is None)
    mu = _grand_mean(data, use) if center is None else center
    sig, method = _sigma(data, use, sigma, sigma_method, mode)
    if np.all(data.sizes == data.sizes[0]):
        se = _full(sig / math.sqrt(float(data.sizes[0])), data.k)
    else:
        se = sig / np.sqrt(data.sizes.astype(np.float64))
    return mu, sig, method, mode, excluded, se


@_quiet
def ewma_chart(
    data: Subgroups,
    *,
    lam: float = 0.2,
    width: float = 3.0,
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """EWMA of the subgroup means (or individual values) with exact time-varying limits.

    z_0 = centre; limits centre ± width·σ/√n_i·sqrt(λ/(2−λ)(1−(1−λ)^{2i})). A point signals
    (``ewma_upper``/``ewma_lower``) when z_i is strictly outside. Run rules do not apply.
    """
    lam = float(lam)
    if not 0.0 < lam <= 1.0:
        raise MethodsInputError(f"lambda must be in (0, 1], got {lam:g}")
    width = float(width)
    if not (math.isfinite(width) and width > 0):
        raise MethodsInputError(f"width must be a positive number, got {width:g}")
    mu, sig, method, mode, excluded, se = _location_scale(
        data,
        center=center,
        sigma=sigma,
        sigma_method=sigma_method,
        constants=constants,
        exclude=exclude,
    )
    n = data.k
    with np.errstate(over="ignore", invalid="ignore"):
        z = ewma_statistic(data.means, lam, mu)
        half = width * se * ewma_factor(n, lam)
        lcl = mu - half
        ucl = mu + half
        masks = {"ewma_upper": z > ucl, "ewma_lower": z < lcl}
    check_chartable(
        sigma=sig, center_line=_full(mu, n), lcl=lcl, ucl=ucl, value=z, labels=data.labels
    )
    # Asymptotic limits exist as one pair only when every point has the same n.
    asym = float(width * se[0] * math.sqrt(lam / (2.0 - lam))) if _is_constant(se) else None
    return ChartResult(
        type="ewma",
        center=mu,
        sigma=sig,
        sigma_method=method,
        constants=mode,
        value=z,
        center_line=_full(mu, n),
        lcl=lcl,
        ucl=ucl,
        zone_sigma=se,
        sizes=_sizes_float(data.sizes),
        phase1=data.phase1,
        excluded=excluded,
        violations=masks,
        rules=(),
        labels=data.labels,
        statistic=data.means,
        params={
            "lambda": lam,
            "width": width,
            # The limits the exact ones approach; textbooks and NIST print these.
            "asymptotic_lcl": mu - asym if asym is not None else None,
            "asymptotic_ucl": mu + asym if asym is not None else None,
        },
    )


@_quiet
def cusum_chart(
    data: Subgroups,
    *,
    k: float = 0.5,
    h: float = 5.0,
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    exclude: npt.ArrayLike | None = None,
) -> ChartResult:
    """Tabular CUSUM on z_i = (x̄_i − centre)/(σ/√n_i), k and h in σ units, C⁺_0 = C⁻_0 = 0.

    ``upper`` = C⁺, ``lower`` = C⁻ (≤ 0); limits are ±h. C⁺ > h signals ``cusum_upper`` and
    C⁻ < −h ``cusum_lower`` (strictly: reaching h is not a signal). ``value`` is x̄_i.
    """
    k = float(k)
    h = float(h)
    if not (math.isfinite(k) and k >= 0):
        raise MethodsInputError(f"k must be a non-negative number of σ, got {k:g}")
    if not (math.isfinite(h) and h > 0):
        raise MethodsInputError(f"h must be a positive number of σ, got {h:g}")
    mu, sig, method, mode, excluded, se = _location_scale(
        data,
        center=center,
        sigma=sigma,
        sigma_method=sigma_method,
        constants=constants,
        exclude=exclude,
    )
    n = data.k
    with np.errstate(over="ignore", invalid="ignore"):
        z = (data.means - mu) / se
        upper, lower = cusum_statistics(z, k)
    # With σ = 0 (all values equal) the standardised values are 0/0: the sums stay empty (null),
    # as before; otherwise they must be finite.
    sums = [("the upper sum", upper), ("the lower sum", lower)] if sig > 0 else []
    check_chartable(
        sigma=sig,
        center_line=_full(mu, n),
        lcl=_full(-h, n),
        ucl=_full(h, n),
        value=data.means,
        labels=data.labels,
        extra=sums,
    )
    masks = {"cusum_upper": upper > h, "cusum_lower": lower < -h}
    return ChartResult(
        type="cusum",
        center=mu,
        sigma=sig,
        sigma_method=method,
        constants=mode,
        value=data.means,
        center_line=_full(0.0, n),
        lcl=_full(-h, n),
        ucl=_full(h, n),
        zone_sigma=_full(1.0, n),
        sizes=_sizes_float(data.sizes),
        phase1=data.phase1,
        excluded=excluded,
        violations=masks,
        rules=(),
        labels=data.labels,
        upper=upper,
        lower=lower,
        statistic=z,
        params={"k": k, "h": h},
    )


# --------------------------------------------------------------------------------------------
# From a table (the command line and file uploads)


def _sizes_from_table(table: Table, size: str | float | None, kind: str) -> FloatArray | None:
    if size is None:
        if kind in ("p", "np", "u"):
            raise MethodsInputError(
                f"a {kind} chart needs the sample sizes: --size COLUMN or --size N"
            )
        return None
    if isinstance(size, str) and size in table.cells:
        values = table.numeric(size)
        bad = np.flatnonzero(values <= 0)
        if bad.size:
            i = int(bad[0])
            raise MethodsInputError(
                f"the sample size {values[i]:g} is not positive", row=table.row(i), column=size
            )
        if kind in ("p", "np"):
            frac = np.flatnonzero(values != np.round(values))
            if frac.size:
                i = int(frac[0])
                raise MethodsInputError(
                    f"the sample size {values[i]:g} is not a whole number of units",
                    row=table.row(i),
                    column=size,
                )
        return values
    try:
        n = float(size)
    except (TypeError, ValueError):
        known = ", ".join(table.header)
        raise MethodsInputError(
            f"--size '{size}' is neither a column (columns: {known}) nor a number"
        ) from None
    if not (math.isfinite(n) and n > 0) or (kind in ("p", "np") and n != round(n)):
        raise MethodsInputError(f"--size must be a positive whole number of units, got '{size}'")
    return np.full(table.n_rows, n)


def _check_counts_in_table(
    table: Table, counts: FloatArray, sizes: FloatArray | None, kind: str, value: str, size: object
) -> None:
    neg = np.flatnonzero(counts < 0)
    if neg.size:
        i = int(neg[0])
        raise MethodsInputError(
            f"the count {counts[i]:g} is negative", row=table.row(i), column=value
        )
    # Nonconforming units (p, np) and defects (c, u) are counted: 2.5 is a typing error, or a
    # rate or a weighted score that the chart would misread as a count.
    frac = np.flatnonzero(counts != np.floor(counts))
    if frac.size:
        i = int(frac[0])
        what = "nonconforming units" if kind in ("p", "np") else "defects"
        raise MethodsInputError(
            f"the count {counts[i]:g} is not a whole number of {what}",
            row=table.row(i),
            column=value,
        )
    if kind in ("p", "np") and sizes is not None:
        over = np.flatnonzero(counts > sizes)
        if over.size:
            i = int(over[0])
            raise MethodsInputError(
                f"{counts[i]:g} nonconforming is more than the sample size {sizes[i]:g}"
                + (f" (column '{size}')" if isinstance(size, str) and not _is_number(size) else ""),
                row=table.row(i),
                column=value,
            )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def resolve_exclusions(labels: Sequence[str] | None, n: int, exclude: Sequence[str]) -> BoolArray:
    """Point labels to leave out of estimation -> mask; an unknown label is an error."""
    mask = np.zeros(n, dtype=bool)
    wanted = [str(e).strip() for e in exclude if str(e).strip()]
    if not wanted:
        return mask
    names = [str(i) for i in range(1, n + 1)] if labels is None else [str(v) for v in labels]
    where: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        where.setdefault(name, []).append(i)
    unknown = [w for w in wanted if w not in where]
    if unknown:
        raise MethodsInputError(
            f"--exclude: no point is labelled {', '.join(repr(u) for u in unknown)}"
        )
    for w in wanted:
        mask[where[w]] = True
    return mask


_ARTICLE = {"xbar": "an X̄", "r": "an R", "s": "an S"}


@_quiet
def chart_from_table(
    table: Table,
    kind: str,
    *,
    value: str,
    group: str | None = None,
    size: str | float | None = None,
    label: str | None = None,
    phase1: str | None = None,
    exclude: Sequence[str] = (),
    center: float | None = None,
    sigma: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    rules: Sequence[str] | str | None = DEFAULT_RULES,
    rule_params: RuleParams | None = None,
    lam: float = 0.2,
    width: float = 3.0,
    k: float = 0.5,
    h: float = 5.0,
) -> ChartResult:
    """The chart ``kind`` from named columns; errors name the spreadsheet row and column."""
    if kind not in CHART_TYPES:
        raise MethodsInputError(f"unknown chart type '{kind}': use {', '.join(CHART_TYPES)}")
    if table.n_rows == 0:
        raise MethodsInputError("the input has no data rows")
    x = table.numeric(value)
    groups = table.text(group) if group else None
    labels = table.text(label) if label else None
    ph = table.boolean(phase1) if phase1 else None
    if kind in ("p", "np", "c", "u"):
        if kind == "c" and size is not None:
            raise MethodsInputError(
                "--size is for p, np and u charts: a c chart counts defects in equal inspection "
                "units; use a u chart when the amount inspected varies"
            )
        sizes = _sizes_from_table(table, size, kind)
        _check_counts_in_table(table, x, sizes, kind, value, size)
        counts = counts_from_rows(x, sizes, groups, phase1=ph, labels=labels, kind=kind)
        mask = resolve_exclusions(counts.labels, counts.k, exclude)
        return attribute_chart(
            kind,
            counts,
            center=center,
            sigma=sigma,
            rules=rules,
            rule_params=rule_params,
            exclude=mask,
        )
    if size is not None:
        raise MethodsInputError(
            f"--size is for p, np and u charts; a {kind} chart takes subgroups from --group"
        )
    if kind in ("xbar", "r", "s") and not group:
        raise MethodsInputError(
            f"{_ARTICLE[kind]} chart needs subgroups: --group COLUMN "
            "(rows with equal labels form one)"
        )
    rows = None if table.row_numbers is None and table.header_row == 1 else table.rows()
    data = subgroups_from_rows(x, groups, phase1=ph, labels=labels, row_numbers=rows)
    mask = resolve_exclusions(data.labels, data.k, exclude)
    common: dict[str, Any] = {
        "center": center,
        "sigma": sigma,
        "sigma_method": sigma_method,
        "constants": constants,
        "exclude": mask,
    }
    if kind == "ewma":
        return ewma_chart(data, lam=lam, width=width, **common)
    if kind == "cusum":
        return cusum_chart(data, k=k, h=h, **common)
    shewhart = {
        "xbar": xbar_chart,
        "r": r_chart,
        "s": s_chart,
        "imr": individuals_chart,
        "mr": moving_range_chart,
    }[kind]
    return shewhart(data, rules=rules, rule_params=rule_params, **common)
