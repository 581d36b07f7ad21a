"""Analysis of nonconformances (§6 c), §7.1.4): ageing of the open NCRs, closure time, repeat
rate, Pareto by defect, item, supplier and work centre, and the monthly trend.

Every figure is counted by the database (grouped counts and sums, one query per figure, whatever
the number of NCRs: the large demo holds 200,000); the statistics on the numbers it returns
(Pareto ranking, percentiles, repeats, buckets) are ``cqo.methods`` (``pareto``, ``ageing``).

Definitions (on the page, ``DEFINITIONS``):

- An NCR counts in the period by the day its nonconformity was found (``found_on``); voided
  NCRs never count.
- Age of an open NCR: whole days from when it was raised to now. Open = any status but closed.
- Closure time: days from raised to closed, over the NCRs closed in the period (by the day they
  were closed).
- Repeat: an NCR's defect on an item is a repeat when the same defect code was found on the same
  item within ``REPEAT_WINDOW_DAYS`` days before; the repeat rate is repeats over defects found.
- Pareto: by number of NCRs or by nonconforming quantity. By defect, an NCR counts once under
  each defect code it names (its quantity there is the defect's quantity).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, FloatField, Func, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cqo.masterdata.models import Item, Supplier, WorkCentre
from cqo.methods import ageing
from cqo.methods.pareto import ParetoResult, pareto

from .models import OPEN_STATUSES, Anomaly, AnomalyDefect, AnomalyStatus, DefectCode

PERM = "anomalies.view_analysis"
MONTHS = 12
PERIODS = (3, 6, 12, 24)
AGE_EDGES = (7, 30, 90)
REPEAT_WINDOW_DAYS = 90
DIMENSIONS = {
    "defect": _("Defect"),
    "item": pgettext_lazy("material", "Item"),
    "supplier": _("Supplier"),
    "work_centre": _("Work centre"),
}
MEASURES = {"count": _("Number of NCRs"), "quantity": _("Nonconforming quantity")}

DEFINITIONS = {
    "period": _("An NCR counts in the month its nonconformity was found; voided NCRs never count."),
    "age": _(
        "Age of an open NCR: whole days since it was raised. Open means any status but closed."
    ),
    "closure": _(
        "Closure time: days from raising to closing, over the NCRs closed in the period; median "
        "and 90th percentile."
    ),
    "repeat": _(
        "Repeat: the same defect code found on the same item within %(days)s days before. The "
        "repeat rate is repeats divided by the defects found."
    )
    % {"days": REPEAT_WINDOW_DAYS},
    "pareto": _(
        "Pareto: categories ranked by number of NCRs or by nonconforming quantity, with the "
        "cumulative percentage; by defect, an NCR counts once under each defect code it names, "
        "in the month the defect was recorded."
    ),
}


def may_view(user: Any) -> bool:
    return user is not None and bool(user.has_perm(PERM))


def ncrs(user: Any) -> QuerySet[Anomaly]:
    """The NCRs the analysis reads: every NCR not voided (the analysis is enterprise-wide)."""
    if not may_view(user):
        return Anomaly.objects.none()
    return Anomaly.objects.filter(voided_at__isnull=True).order_by()


def defects(user: Any) -> QuerySet[AnomalyDefect]:
    """The defects of the NCRs not voided. The few voided NCRs are left out by a subquery rather
    than a join, so a year of defects is read from one table (by ``recorded_at``)."""
    if not may_view(user):
        return AnomalyDefect.objects.none()
    voided = Anomaly.objects.filter(voided_at__isnull=False).values("id")
    return (
        AnomalyDefect.objects.filter(voided_at__isnull=True)
        .exclude(anomaly_id__in=voided)
        .order_by()
    )


def months_of(months: int, *, today: datetime.date | None = None) -> list[datetime.date]:
    return ageing.months_back(today or timezone.localdate(), months)


def period_start(months: int, *, today: datetime.date | None = None) -> datetime.date:
    return months_of(months, today=today)[0]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _named(code: str | None, name: str | None, name_en: str | None) -> str:
    label = (name_en or name) if _english() else (name or name_en)
    return " ".join(p for p in (code or "", label or "") if p)


# --- Pareto -------------------------------------------------------------------------------------

_GROUPS: dict[str, str] = {
    "item": "item_id",
    "supplier": "supplier_id",
    "work_centre": "work_centre_id",
    "defect": "defect_id",
}
_LABELS: dict[str, tuple[Any, str]] = {
    "item": (Item, "part_number"),
    "supplier": (Supplier, "code"),
    "work_centre": (WorkCentre, "code"),
    "defect": (DefectCode, "code"),
}


@dataclass
class ParetoData:
    by: str
    measure: str
    months: int
    result: ParetoResult | None
    # category label -> the record's id (None: not stated), for links and exports
    ids: dict[str, int | None] = field(default_factory=dict)

    @property
    def rows(self) -> Sequence[Any]:
        return self.result.items if self.result else ()


def pareto_by(
    user: Any,
    *,
    by: str = "defect",
    measure: str = "count",
    months: int = MONTHS,
    today: datetime.date | None = None,
) -> ParetoData:
    """The Pareto of the period's NCRs by ``by`` (a key of ``DIMENSIONS``), one grouped query."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    start = period_start(months, today=today)
    key = _GROUPS[by]
    qs: QuerySet[Any]
    if by == "defect":
        qs = defects(user).filter(recorded_at__gte=_start_of(start))
    else:
        qs = ncrs(user).filter(found_on__gte=start)
    value = Count("id") if measure == "count" else Sum("quantity")
    # Grouped by the key alone (the defect's index covers the query); names read afterwards.
    rows = list(qs.values(key).annotate(v=value).order_by("-v", key))
    model, code_field = _LABELS[by]
    names = {
        pk: _named(code, name, name_en)
        for pk, code, name, name_en in model.objects.filter(
            pk__in=[r[key] for r in rows if r[key]]
        ).values_list("pk", code_field, "name", "name_en")
    }
    not_stated = str(_("Not stated"))
    labels: list[str] = []
    values: list[float] = []
    ids: dict[str, int | None] = {}
    for row in rows:
        v = row["v"] or 0
        if not v:
            continue
        label = names.get(row[key], str(row[key])) if row[key] else not_stated
        labels.append(label)
        values.append(float(v))
        ids.setdefault(label, row[key])
    result = pareto(labels, values) if labels else None
    return ParetoData(by=by, measure=measure, months=months, result=result, ids=ids)


# --- ageing of the open NCRs --------------------------------------------------------------------


@dataclass
class Ageing:
    labels: list[str]
    # status -> counts per bucket
    by_status: dict[str, list[int]]

    @property
    def totals(self) -> list[int]:
        return [sum(c[i] for c in self.by_status.values()) for i in range(len(self.labels))]

    @property
    def total(self) -> int:
        return sum(self.totals)


def age_labels() -> list[str]:
    return [
        str(_("up to %(days)s days") % {"days": AGE_EDGES[0]}),
        *[
            str(_("%(low)s to %(high)s days") % {"low": lo + 1, "high": hi})
            for lo, hi in itertools.pairwise(AGE_EDGES)
        ],
        str(_("over %(days)s days") % {"days": AGE_EDGES[-1]}),
    ]


def _bucket_filters(now: datetime.datetime) -> list[Q]:
    """A filter per age bucket on ``raised_at``, in whole days as ``days_open`` counts them (an
    NCR raised 7 days and 23 hours ago is 7 days old), so the list and the counts agree."""
    bounds = [now - datetime.timedelta(days=d + 1) for d in AGE_EDGES]
    filters = [Q(raised_at__gt=bounds[0])]
    for newer, older in itertools.pairwise(bounds):
        filters.append(Q(raised_at__lte=newer, raised_at__gt=older))
    filters.append(Q(raised_at__lte=bounds[-1]))
    return filters


def ncr_ageing(user: Any, *, now: datetime.datetime | None = None) -> Ageing:
    """The open NCRs by status and age bucket: one grouped query."""
    now = now or timezone.now()
    filters = _bucket_filters(now)
    aggregates = {f"b{i}": Count("id", filter=f) for i, f in enumerate(filters)}
    rows = (
        ncrs(user)
        .filter(status__in=OPEN_STATUSES)
        .values("status")
        .annotate(**aggregates)
        .order_by("status")
    )
    found: dict[str, list[int]] = {
        str(r["status"]): [int(r[f"b{i}"]) for i in range(len(filters))]  # type: ignore[literal-required]
        for r in rows
    }
    by_status = {str(s): found[s] for s in OPEN_STATUSES if s in found}
    return Ageing(labels=age_labels(), by_status=by_status)


def bucket_of(raised_at: datetime.datetime, *, now: datetime.datetime | None = None) -> int:
    return ageing.bucket_index(days_open(raised_at, now=now), AGE_EDGES)


def days_open(raised_at: datetime.datetime, *, now: datetime.datetime | None = None) -> int:
    return max(0, ((now or timezone.now()) - raised_at).days)


def open_ncrs(
    user: Any, *, bucket: int | None = None, status: str = "", now: datetime.datetime | None = None
) -> QuerySet[Anomaly]:
    """The open NCRs, oldest first, optionally of one age bucket and one status."""
    qs = ncrs(user).filter(status__in=OPEN_STATUSES)
    if bucket is not None and 0 <= bucket <= len(AGE_EDGES):
        qs = qs.filter(_bucket_filters(now or timezone.now())[bucket])
    if status in OPEN_STATUSES:
        qs = qs.filter(status=status)
    return qs.select_related("item", "supplier", "owner").order_by("raised_at", "id")


# --- closure time, trend, repeats ---------------------------------------------------------------


@dataclass
class MonthRow:
    month: datetime.date
    found: int = 0
    closed: int = 0
    quantity: float = 0.0
    closure: ageing.DurationSummary = field(default_factory=lambda: ageing.duration_summary(()))
    repeats: int = 0
    defects: int = 0

    @property
    def repeat_rate(self) -> float | None:
        return self.repeats * 100.0 / self.defects if self.defects else None


@dataclass
class Trend:
    months: list[MonthRow]
    closure: ageing.DurationSummary
    repeat: Repeats

    @property
    def found(self) -> int:
        return sum(m.found for m in self.months)

    @property
    def closed(self) -> int:
        return sum(m.closed for m in self.months)


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- what the database computes for the trend ---------------------------------------------------


class DaysBetween(Func):
    """Days (with their fraction) from one timestamp to a later one, computed by the
    database."""

    output_field = FloatField()
    arity = 2

    def _compiled(self, compiler: Any) -> tuple[str, str, list[Any]]:
        (start, start_params), (end, end_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return start, end, [*end_params, *start_params]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end, params = self._compiled(compiler)
        return f"(julianday({end}) - julianday({start}))", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        start, end, params = self._compiled(compiler)
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)", params


class MonthKey(Func):
    """The month of a date or timestamp as "YYYY-MM", in the server's time zone, computed by the
    database (Django's ``TruncMonth`` on SQLite calls Python once per row). On SQLite a
    timestamp is shifted by the zone's offset today, which is exact for a zone without daylight
    saving (China's)."""

    output_field = CharField()
    arity = 1

    def __init__(self, expression: Any, *, timestamp: bool = False) -> None:
        super().__init__(expression)
        self.timestamp = timestamp

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if not self.timestamp:
            return f"strftime('%%Y-%%m', {sql})", params
        offset = timezone.localtime().utcoffset() or datetime.timedelta()
        minutes = int(offset.total_seconds() // 60)
        return f"strftime('%%Y-%%m', {sql}, '{minutes:+d} minutes')", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if self.timestamp:
            zone = timezone.get_current_timezone_name()
            return f"to_char({sql} AT TIME ZONE %s, 'YYYY-MM')", [*params, zone]
        return f"to_char({sql}, 'YYYY-MM')", params


def _month_of(key: str) -> datetime.date:
    year, month = (int(p) for p in key.split("-"))
    return datetime.date(year, month, 1)


@dataclass(frozen=True)
class Repeats:
    occurrences: int
    repeats: int

    @property
    def rate(self) -> float | None:
        return self.repeats * 100.0 / self.occurrences if self.occurrences else None


def _repeats_by_month(user: Any, start: datetime.date) -> dict[str, tuple[int, int]]:
    """Defects found per month since ``start`` and how many repeat the same defect code on
    the same item within ``REPEAT_WINDOW_DAYS`` (``cqo.methods.ageing.repeats`` states the rule;
    the database applies it with a window function over a year of defects). Months as
    "YYYY-MM"."""
    if not may_view(user):
        return {}
    vendor = connection.vendor
    a, d = Anomaly._meta.db_table, AnomalyDefect._meta.db_table
    if vendor == "sqlite":
        gap = "julianday(day) - julianday(prev)"
        month = "strftime('%%Y-%%m', day)"
    else:
        gap = "(day - prev)"
        month = "to_char(day, 'YYYY-MM')"
    since = start - datetime.timedelta(days=REPEAT_WINDOW_DAYS)
    sql = f"""
        SELECT {month} AS m, COUNT(*),
               SUM(CASE WHEN prev IS NOT NULL AND {gap} <= %s THEN 1 ELSE 0 END)
        FROM (
            SELECT an.found_on AS day,
                   LAG(an.found_on) OVER (
                       PARTITION BY an.item_id, de.defect_id ORDER BY an.found_on, de.id
                   ) AS prev
            FROM {d} de JOIN {a} an ON an.id = de.anomaly_id
            WHERE de.voided_at IS NULL AND an.voided_at IS NULL AND an.item_id IS NOT NULL
              AND an.found_on >= %s
        ) t
        WHERE day >= %s
        GROUP BY {month}
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [REPEAT_WINDOW_DAYS, since, start])
        return {str(m): (int(n), int(r or 0)) for m, n, r in cursor.fetchall()}


def trend(user: Any, *, months: int = MONTHS, today: datetime.date | None = None) -> Trend:
    """Found and closed NCRs per month, closure times and repeat rate: three queries. The
    database counts, and computes each closed NCR's days; the percentiles are
    ``cqo.methods.ageing``'s."""
    month_list = months_of(months, today=today)
    start = month_list[0]
    rows = {m: MonthRow(m) for m in month_list}
    found = (
        ncrs(user)
        .filter(found_on__gte=start)
        .annotate(m=MonthKey("found_on"))
        .values("m")
        .annotate(n=Count("id"), q=Sum("quantity"))
    )
    for counted in found:
        row = rows.get(_month_of(counted["m"]))
        if row:
            row.found, row.quantity = counted["n"], float(counted["q"] or 0)
    closed = (
        ncrs(user)
        .filter(
            status=AnomalyStatus.CLOSED, closed_at__gte=_start_of(start), raised_at__isnull=False
        )
        .values_list(MonthKey("closed_at", timestamp=True), DaysBetween("raised_at", "closed_at"))
    )
    durations: dict[datetime.date, list[float]] = {m: [] for m in month_list}
    every: list[float] = []
    for key, days in closed.iterator(5000):
        month = _month_of(key)
        if month in durations and days is not None:
            value = max(0.0, float(days))
            durations[month].append(value)
            every.append(value)
    for month, values in durations.items():
        rows[month].closed = len(values)
        rows[month].closure = ageing.duration_summary(values)
    occurrences = repeated = 0
    for key, (n, r) in _repeats_by_month(user, start).items():
        row = rows.get(_month_of(key))
        if row:
            row.defects, row.repeats = n, r
            occurrences += n
            repeated += r
    return Trend(
        months=[rows[m] for m in month_list],
        closure=ageing.duration_summary(every),
        repeat=Repeats(occurrences, repeated),
    )
