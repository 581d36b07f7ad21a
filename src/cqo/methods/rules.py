"""Run rules (Western Electric 1-4, Nelson 1-8) on a control chart, vectorised with numpy.

Conventions (docs/methods.md, "Run rules"):

* A point is flagged when it *completes* a pattern: the window of the rule ends at that point. In
  a run longer than the rule's length, every point from the one that first completes it onwards is
  flagged. For "m of w beyond kσ" the flagged point must itself be beyond kσ (as in qcc), so a
  point inside the zone never gets the blame for its neighbours; at the start of the series the
  window holds the points available (m beyond among the first m < w points already completes it).
* A point is flagged with every rule it breaks.
* Zones are per point: ``sigma`` is the standard deviation of the plotted statistic at each point
  (σ/√n_i on an X̄ chart, √(p̄(1−p̄)/n_i) on a p chart), and ``center`` may vary too.
* A point exactly on the centre line is on neither side: it ends a one-side run.
* "Beyond the limits" (rule 1) compares with the chart's actual limits (e.g. an LCL floored at 0);
  a missing limit (NaN) is never crossed. The other zones are centre ± 1σ, ± 2σ.
* Trends and alternation compare consecutive values: a tie ends both. "Six in a row increasing"
  is six points, i.e. five increases.
* Phase II points are tested like phase I points, against the phase I centre and σ (the caller
  passes those).

Every helper works on whole arrays with shifted slices; no Python loop runs over the points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import MethodsInputError

WE_RULES: tuple[str, ...] = ("we1", "we2", "we3", "we4")
NELSON_RULES: tuple[str, ...] = tuple(f"nelson{i}" for i in range(1, 9))
ALL_RULES: tuple[str, ...] = WE_RULES + NELSON_RULES

BoolArray = npt.NDArray[np.bool_]
FloatLike = float | npt.NDArray[np.float64]


@dataclass(frozen=True)
class RuleParams:
    """Run lengths and counts. Defaults: Western Electric handbook and Nelson (1984)."""

    we2_points: int = 2
    we2_window: int = 3
    we3_points: int = 4
    we3_window: int = 5
    # Western Electric says eight; AIAG texts often use seven, Nelson nine.
    we4_run: int = 8
    nelson2_run: int = 9
    nelson3_run: int = 6
    nelson4_run: int = 14
    nelson5_points: int = 2
    nelson5_window: int = 3
    nelson6_points: int = 4
    nelson6_window: int = 5
    nelson7_run: int = 15
    nelson8_run: int = 8

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise MethodsInputError(f"run rule parameter {name} must be a positive integer")
        for rule in ("we2", "we3", "nelson5", "nelson6"):
            if getattr(self, f"{rule}_points") > getattr(self, f"{rule}_window"):
                raise MethodsInputError(f"{rule}: the number of points exceeds the window")
        if self.nelson3_run < 2 or self.nelson4_run < 3:
            raise MethodsInputError("a trend needs 2 points and an alternation 3 at least")


def parse_rules(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``we``, ``nelson``, ``none``, ``all`` or a comma list of rule names, canonically ordered."""
    if spec is None:
        return ()
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    chosen: set[str] = set()
    for raw in items:
        item = raw.strip().lower()
        if item in ("", "none"):
            continue
        if item == "we":
            chosen.update(WE_RULES)
        elif item == "nelson":
            chosen.update(NELSON_RULES)
        elif item == "all":
            chosen.update(ALL_RULES)
        elif item in ALL_RULES:
            chosen.add(item)
        else:
            raise MethodsInputError(
                f"unknown rule '{raw.strip()}': use we1..we4, nelson1..nelson8, we, nelson or none"
            )
    return tuple(r for r in ALL_RULES if r in chosen)


def window_all(flags: BoolArray, length: int) -> BoolArray:
    """out[i] is True when flags[i-length+1 .. i] are all True (False before a full window)."""
    n = flags.shape[0]
    out = np.zeros(n, dtype=bool)
    if length > n:
        return out
    m = n - length + 1
    acc = flags[length - 1 :].copy()
    for k in range(1, length):
        np.logical_and(acc, flags[length - 1 - k : length - 1 - k + m], out=acc)
    out[length - 1 :] = acc
    return out


def window_count(flags: BoolArray, width: int) -> npt.NDArray[np.int32]:
    """Number of True among flags[max(0, i-width+1) .. i].

    At the start of the series the window holds the points there are: when the first two points
    are beyond 2σ, "2 of 3" is already certain at the second point, whatever the third does.
    """
    n = flags.shape[0]
    # uint8 sums are the fastest numpy adds and cannot overflow for the usual short windows.
    dtype = np.uint8 if width < 256 else np.int32
    acc = flags.astype(dtype)
    for k in range(1, min(width, n)):
        np.add(acc[k:], flags[: n - k], out=acc[k:])
    return acc.astype(np.int32, copy=False)


def _m_of_w(beyond: BoolArray, points: int, width: int) -> BoolArray:
    if points == 1:
        return beyond.copy()
    counts = window_count(beyond, width)
    return beyond & (counts >= points)


def _shifted_run(flags: BoolArray, length: int, offset: int, n: int) -> BoolArray:
    """A run over a derived sequence (differences), reported at the point that ends it."""
    out = np.zeros(n, dtype=bool)
    if flags.shape[0]:
        out[offset:] = window_all(flags, length)
    return out


def evaluate(
    values: npt.ArrayLike,
    center: npt.ArrayLike,
    sigma: npt.ArrayLike,
    *,
    lcl: npt.ArrayLike | None = None,
    ucl: npt.ArrayLike | None = None,
    rules: Sequence[str] = NELSON_RULES,
    params: RuleParams | None = None,
) -> dict[str, BoolArray]:
    """A boolean mask per requested rule: True where the point completes a pattern of that rule.

    ``center`` and ``sigma`` (σ of the plotted statistic) are scalars or per-point arrays.
    ``lcl``/``ucl`` default to centre ∓ 3σ; NaN means no limit on that side.
    """
    p = params or RuleParams()
    x = np.asarray(values, dtype=np.float64)
    n = x.shape[0]
    c = np.asarray(center, dtype=np.float64)
    s = np.asarray(sigma, dtype=np.float64)
    wanted = set(parse_rules(rules))
    out: dict[str, BoolArray] = {}
    if not wanted:
        return out

    with np.errstate(invalid="ignore", over="ignore"):
        dev = x - c
        cache: dict[str, BoolArray] = {}

        def above(k: int) -> BoolArray:
            key = f"a{k}"
            if key not in cache:
                cache[key] = dev > (k * s if k else 0.0)
            return cache[key]

        def below(k: int) -> BoolArray:
            key = f"b{k}"
            if key not in cache:
                cache[key] = dev < (-k * s if k else 0.0)
            return cache[key]

        if wanted & {"we1", "nelson1"}:
            up = np.asarray(c + 3.0 * s if ucl is None else ucl, dtype=np.float64)
            lo = np.asarray(c - 3.0 * s if lcl is None else lcl, dtype=np.float64)
            beyond = (x > up) | (x < lo)
            for r in ("we1", "nelson1"):
                if r in wanted:
                    out[r] = beyond

        def zone_rule(points: int, width: int, k: int) -> BoolArray:
            return _m_of_w(above(k), points, width) | _m_of_w(below(k), points, width)

        if "we2" in wanted:
            out["we2"] = zone_rule(p.we2_points, p.we2_window, 2)
        if "we3" in wanted:
            out["we3"] = zone_rule(p.we3_points, p.we3_window, 1)
        if "nelson5" in wanted:
            out["nelson5"] = zone_rule(p.nelson5_points, p.nelson5_window, 2)
        if "nelson6" in wanted:
            out["nelson6"] = zone_rule(p.nelson6_points, p.nelson6_window, 1)

        def one_side(length: int) -> BoolArray:
            return window_all(above(0), length) | window_all(below(0), length)

        if "we4" in wanted:
            out["we4"] = one_side(p.we4_run)
        if "nelson2" in wanted:
            out["nelson2"] = one_side(p.nelson2_run)

        if wanted & {"nelson3", "nelson4"}:
            step = np.diff(x)
            rising = step > 0
            falling = step < 0
            if "nelson3" in wanted:
                length = p.nelson3_run - 1
                out["nelson3"] = _shifted_run(rising, length, 1, n) | _shifted_run(
                    falling, length, 1, n
                )
            if "nelson4" in wanted:
                # Up then down or down then up: each consecutive pair of steps changes sign.
                turns = (rising[1:] & falling[:-1]) | (falling[1:] & rising[:-1])
                out["nelson4"] = _shifted_run(turns, p.nelson4_run - 2, 2, n)
            del step, rising, falling

        if wanted & {"nelson7", "nelson8"}:
            hi = above(1)
            lo1 = below(1)
            if "nelson7" in wanted:
                # "Within 1σ" includes the boundary; a NaN value is never within.
                inside = ~(hi | lo1) & ~np.isnan(dev)
                out["nelson7"] = window_all(inside, p.nelson7_run)
            if "nelson8" in wanted:
                length = p.nelson8_run
                outside = window_all(hi | lo1, length)
                n_hi = window_count(hi, length)
                out["nelson8"] = outside & (n_hi >= 1) & (n_hi <= length - 1)
    return out


def violation_lists(masks: Mapping[str, BoolArray], n: int) -> list[list[str]]:
    """Per point, the names of the rules it breaks, in canonical order."""
    lists: list[list[str]] = [[] for _ in range(n)]
    for rule in ALL_RULES + tuple(k for k in masks if k not in ALL_RULES):
        mask = masks.get(rule)
        if mask is None:
            continue
        for i in np.flatnonzero(mask).tolist():
            lists[i].append(rule)
    return lists


def violation_map(masks: Mapping[str, BoolArray]) -> dict[int, list[str]]:
    """Only the points that break a rule: 0-based index -> rule names in canonical order."""
    out: dict[int, list[str]] = {}
    for rule in ALL_RULES + tuple(k for k in masks if k not in ALL_RULES):
        mask = masks.get(rule)
        if mask is None:
            continue
        for i in np.flatnonzero(mask).tolist():
            out.setdefault(i, []).append(rule)
    return dict(sorted(out.items()))
