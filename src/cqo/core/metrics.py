"""The metric registry: quality measures computed from the product's own data (§7.1.2).

A quality objective (the ``performance`` app), the CQO's report and any page that shows a
measure read it here, without importing the domains that hold the data (decision 0005: a
registry in a lower layer, filled from above). Each domain registers its metrics from its
``ready()`` with ``metric_register``; nothing central lists them.

A metric's ``compute(first, last, unit_id)`` reads the period ``first`` to ``last`` (dates,
inclusive) and answers a ``MetricValue`` — the value as a Decimal with its basis (the counts or
amounts it divided) — or ``None`` when the period holds no data to compute it from. It never
answers a made-up 0: an acceptance rate over no lots, a ratio without finance's base, a mean of
no closures are *missing*, and the reader shows them so. ``unit_id`` (an organisation unit) is
passed only to a metric registered ``by_unit=True``; the others are figures of the whole
enterprise, and ``metric_compute`` says which scope it computed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


@dataclass(frozen=True)
class MetricValue:
    """A computed value and what it was computed from. ``numerator`` / ``denominator`` are the
    basis counts or amounts (the denominator None for a plain count or sum); ``count`` the
    records read."""

    value: Decimal
    numerator: Decimal
    denominator: Decimal | None = None
    count: int = 0

    def __post_init__(self) -> None:
        for name in ("value", "numerator"):
            if not isinstance(getattr(self, name), Decimal):
                raise TypeError(f"a metric's {name} is a Decimal")
        if self.denominator is not None and not isinstance(self.denominator, Decimal):
            raise TypeError("a metric's denominator is a Decimal")


Compute = Callable[[datetime.date, datetime.date, int | None], MetricValue | None]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise  # lazy, in the reader's language
    unit: str | Promise  # the unit of the value: "%", "PPM", "days", "yuan per 100 yuan"…
    direction: str  # Direction
    clause: str
    compute: Compute
    by_unit: bool = False
    app: str = ""
    description: str | Promise = ""
    places: int = 2

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER


_METRICS: dict[str, Metric] = {}


def metric_register(
    *,
    key: str,
    label: str | Promise,
    unit: str | Promise,
    direction: str,
    clause: str,
    compute: Compute,
    by_unit: bool = False,
    app: str = "",
    description: str | Promise = "",
    places: int = 2,
) -> None:
    """Called from a domain's ``ready()``. ``key`` is stable (objectives keep it): ``app.name``."""
    if direction not in Direction.values:
        raise ValueError(f"metric {key!r}: direction is one of {Direction.values}")
    if key in _METRICS and _METRICS[key].compute is not compute:
        raise ValueError(f"metric {key!r} is registered twice")
    _METRICS[key] = Metric(
        key, label, unit, direction, clause, compute, by_unit, app, description, places
    )


def metrics() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: m.key)


def metric_get(key: str) -> Metric | None:
    return _METRICS.get(key)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.unit})") for m in metrics()]


@dataclass(frozen=True)
class Computed:
    """What ``metric_compute`` answers: the metric, the period, the scope actually computed
    (``unit_id`` None = the whole enterprise) and the value, or None (missing)."""

    metric: Metric
    first: datetime.date
    last: datetime.date
    unit_id: int | None
    value: MetricValue | None

    @property
    def missing(self) -> bool:
        return self.value is None


def metric_compute(
    key: str, *, first: datetime.date, last: datetime.date, unit_id: int | None = None
) -> Computed:
    """The metric over the period, for the unit when the metric is computed by unit, otherwise
    for the whole enterprise. An unknown key is a programming error (``KeyError``)."""
    metric = _METRICS[key]
    if last < first:
        raise ValueError("a period ends on or after its first day")
    scope = unit_id if metric.by_unit else None
    value = metric.compute(first, last, scope)
    if value is not None:
        value = MetricValue(
            value=value.value.quantize(Decimal(1).scaleb(-metric.places)),
            numerator=value.numerator,
            denominator=value.denominator,
            count=value.count,
        )
    return Computed(metric, first, last, scope, value)


def ratio(numerator: Decimal, denominator: Decimal, scale: Decimal = Decimal(100)) -> Decimal:
    """``numerator / denominator × scale``; the caller has already answered None for a zero
    denominator."""
    return numerator * scale / denominator


def day_bounds(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware datetimes from the start of ``first`` to the start of the day after ``last`` (the
    current time zone), for filtering datetime fields by a period of dates."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end
