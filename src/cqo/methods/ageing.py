"""Ageing, durations and repeats of records that open and close (nonconformances, corrective
actions): how long the open ones have waited, how long the closed ones took, and how often a
problem comes back.

Pure: plain numbers and dates in, plain results out; the apps read their rows and call these.

- Age buckets: an age falls in the first bucket whose upper edge it does not exceed; ages above
  the last edge fall in a last, open bucket. Edges ``(7, 30, 90)`` give four buckets:
  0–7, 8–30, 31–90 and over 90 days.
- Duration summary: count, mean, median and 90th percentile. The percentiles interpolate
  linearly between the two nearest ordered values (Hyndman and Fan's definition 7, which is
  what PostgreSQL's ``percentile_cont``, numpy's default and Excel's ``PERCENTILE.INC`` give).
- Repeat: an occurrence of a key (an item and a defect code) is a repeat when the same key
  occurred before it within ``window_days`` days (the earlier day counted, the same day
  included, the first occurrence of the same day excepted). The repeat rate is repeats over
  occurrences.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from .errors import MethodsInputError


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The continuous percentile of ``values`` (linear interpolation); None when empty."""
    if not 0.0 <= fraction <= 1.0:
        raise MethodsInputError(f"a percentile's fraction lies between 0 and 1, not {fraction}")
    ordered = sorted(float(v) for v in values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class DurationSummary:
    count: int
    mean: float | None
    median: float | None
    p90: float | None
    maximum: float | None

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "mean": self.mean,
            "median": self.median,
            "p90": self.p90,
            "max": self.maximum,
        }


def duration_summary(values: Iterable[float]) -> DurationSummary:
    """Count, mean, median, 90th percentile and maximum of durations (any one unit)."""
    data = [float(v) for v in values]
    for v in data:
        if not math.isfinite(v):
            raise MethodsInputError(f"'{v}' is not a finite duration")
        if v < 0:
            raise MethodsInputError(f"a duration cannot be negative ({v})")
    if not data:
        return DurationSummary(0, None, None, None, None)
    return DurationSummary(
        count=len(data),
        mean=math.fsum(data) / len(data),
        median=percentile(data, 0.5),
        p90=percentile(data, 0.9),
        maximum=max(data),
    )


def bucket_index(age: float, edges: Sequence[float]) -> int:
    """The bucket an age falls in: the first whose upper edge it does not exceed."""
    for i, edge in enumerate(edges):
        if age <= edge:
            return i
    return len(edges)


def _edges_check(edges: Sequence[float]) -> None:
    if not edges:
        raise MethodsInputError("give at least one bucket edge")
    if any(b <= a for a, b in itertools.pairwise(edges)):
        raise MethodsInputError("bucket edges must rise strictly")


def age_buckets(ages: Iterable[float], edges: Sequence[float]) -> list[int]:
    """How many ages fall in each bucket (``len(edges) + 1`` counts)."""
    _edges_check(edges)
    counts = [0] * (len(edges) + 1)
    for age in ages:
        if age < 0:
            raise MethodsInputError(f"an age cannot be negative ({age})")
        counts[bucket_index(age, edges)] += 1
    return counts


def bucket_labels(edges: Sequence[float], unit: str = "d") -> list[str]:
    """Plain labels of the buckets: ``0–7 d``, ``8–30 d``, ``> 90 d`` (whole-number edges)."""
    _edges_check(edges)
    labels = []
    low = 0
    for edge in edges:
        labels.append(f"{low}–{int(edge)} {unit}")
        low = int(edge) + 1
    labels.append(f"> {int(edges[-1])} {unit}")
    return labels


@dataclass(frozen=True)
class RepeatResult:
    occurrences: int
    repeats: int
    flags: tuple[bool, ...]

    @property
    def rate(self) -> float | None:
        """Percent of occurrences that were repeats; None when there were none."""
        return self.repeats * 100.0 / self.occurrences if self.occurrences else None

    def as_dict(self) -> dict[str, object]:
        return {"occurrences": self.occurrences, "repeats": self.repeats, "rate": self.rate}


def repeats(
    occurrences: Sequence[tuple[Hashable, datetime.date]], *, window_days: int
) -> RepeatResult:
    """Which occurrences repeat an earlier one of the same key within ``window_days``.

    ``flags`` follow the input's order. Occurrences of one key on the same day count in input
    order: the first is not a repeat, the next ones are."""
    if window_days < 0:
        raise MethodsInputError(f"the window cannot be negative ({window_days} days)")
    order = sorted(range(len(occurrences)), key=lambda i: occurrences[i][1])
    last_seen: dict[Hashable, datetime.date] = {}
    flags = [False] * len(occurrences)
    for i in order:
        key, day = occurrences[i]
        before = last_seen.get(key)
        if before is not None and (day - before).days <= window_days:
            flags[i] = True
        last_seen[key] = day
    return RepeatResult(len(occurrences), sum(flags), tuple(flags))


def month_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, day.month, 1)


def months_back(last: datetime.date, months: int) -> list[datetime.date]:
    """The first days of ``months`` months ending with ``last``'s month, oldest first."""
    if months < 1:
        raise MethodsInputError(f"give at least one month, not {months}")
    year, month = last.year, last.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    out = []
    for _i in range(months):
        out.append(datetime.date(year, month, 1))
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return out
