"""Supplier quality read from the incoming gate's inspection lots (§6 e), §7.1.5): lot acceptance
rate, PPM, inspection lead time, a monthly scorecard per supplier and per supplier × item.

Every figure is aggregated by the database (conditional counts and sums, grouped by supplier,
item or ``TruncMonth``), one query per table however many lots there are: the large demo holds
100,000 inspection lots. The lead time's median and 90th percentile are the database's
``percentile_cont`` (PostgreSQL); SQLite gets the same aggregate as a function registered on
each connection (``sqlite_functions_register``), so both give the same numbers.

Definitions (shown on the pages as help text, ``DEFINITIONS``):

- A lot counts for a month by the month it was created (received at the gate), in the server's
  time zone. Only lots that are not voided count.
- Decided lots: a usage decision was made. Acceptance rate = accepted / decided; lots released
  conditionally under a concession are decided but not accepted, and are shown on their own.
- Sample PPM = nonconforming units found in the samples / units inspected × 10⁶. The units
  inspected of a lot are its largest sample size n over its defect classes (one sample serves
  every class, GB/T 2828.1 draws the largest), or the whole lot when it was inspected 100 %.
  This is GB/T 2828.1's "nonconforming items per hundred items" (100 × d / n) per million
  instead of per hundred: an estimate of the supplier's process, comparable across lot sizes.
- Rejected-quantity PPM = quantity of rejected lots / quantity of decided lots × 10⁶: the share
  of what was delivered that the gate turned back, the convention of customer scorecards in
  the automotive supply chain ("parts rejected per million received"), where a rejected lot
  counts whole. Both are shown; neither is defaulted when nothing was inspected.
- Lead time: from the lot's creation to its usage decision, over decided lots.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    Case,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqo.masterdata.models import Gate, Item, Supplier, SupplierStatus
from cqo.masterdata.scores import SupplierScoreParts, supplier_score_figures

from .models import (
    InspectionLot,
    InspectionStatus,
    LotSampling,
    Severity,
    SwitchingStream,
    UsageDecision,
)

PERM = "inspection.view_supplierquality"
MONTHS = 12
PERIODS = (3, 6, 12, 24)

DEFINITIONS = {
    "acceptance": _(
        "Accepted lots divided by decided lots. Lots released conditionally under a concession "
        "are decided but not accepted; they are counted on their own."
    ),
    "ppm": _(
        "Sample PPM: nonconforming units found in the samples divided by the units inspected, "
        "times one million. The units inspected of a lot are its largest sample size n over its "
        "defect classes, or the whole lot when it was inspected 100 percent. This is GB/T "
        "2828.1's nonconforming items per hundred items, per million."
    ),
    "rejected_ppm": _(
        "Rejected-quantity PPM: the quantity of rejected lots divided by the quantity of decided "
        "lots, times one million; a rejected lot counts whole, as on customer scorecards."
    ),
    "lead_time": _(
        "Inspection lead time: from the lot's creation at the gate to its usage decision, over "
        "decided lots; median and 90th percentile."
    ),
    "month": _("A lot counts in the month it was created at the gate."),
}

# Worst first: the state a supplier is shown under when its items' streams differ.
SEVERITY_RANK = {
    Severity.DISCONTINUED: 0,
    Severity.TIGHTENED: 1,
    Severity.NORMAL: 2,
    Severity.REDUCED: 3,
}
FLAGGED_STATUSES = (SupplierStatus.SUSPENDED, SupplierStatus.DISQUALIFIED)


# --- the percentile aggregate -------------------------------------------------------------------


class Percentile(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``: the continuous
    percentile (linear interpolation between the two nearest values), nulls ignored."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        fraction = float(fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="cqo_percentile_cont",
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra_context,
        )


def percentile_cont(values: Sequence[float], fraction: float) -> float | None:
    """What PostgreSQL's ``percentile_cont`` returns for ``values``."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _SqlitePercentile:
    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: Any, fraction: float) -> None:
        self.fraction = float(fraction)
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        result = percentile_cont(self.values, self.fraction)
        # Durations on SQLite are integer microseconds.
        return None if result is None else round(result)


def sqlite_functions_register(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: the percentile aggregate on SQLite connections."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("cqo_percentile_cont", 2, _SqlitePercentile)


# --- metrics ------------------------------------------------------------------------------------


@dataclass
class Metrics:
    lots: int = 0
    decided: int = 0
    accepted: int = 0
    rejected: int = 0
    conditional: int = 0
    nonconforming: int = 0
    inspected_units: Decimal = Decimal(0)
    decided_quantity: Decimal = Decimal(0)
    rejected_quantity: Decimal = Decimal(0)
    lead_median: datetime.timedelta | None = None
    lead_p90: datetime.timedelta | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Metrics:
        return cls(
            lots=row["lots"] or 0,
            decided=row["decided"] or 0,
            accepted=row["accepted"] or 0,
            rejected=row["rejected"] or 0,
            conditional=row["conditional"] or 0,
            nonconforming=row["nonconforming"] or 0,
            inspected_units=Decimal(row["inspected_units"] or 0),
            decided_quantity=Decimal(row["decided_quantity"] or 0),
            rejected_quantity=Decimal(row["rejected_quantity"] or 0),
            lead_median=_duration(row["lead_median"]),
            lead_p90=_duration(row["lead_p90"]),
        )

    @property
    def open(self) -> int:
        return self.lots - self.decided

    @property
    def acceptance_rate(self) -> float | None:
        """Percent of decided lots accepted; None when none was decided."""
        return self.accepted * 100.0 / self.decided if self.decided else None

    @property
    def ppm(self) -> float | None:
        if not self.inspected_units:
            return None
        return float(Decimal(self.nonconforming) * 1_000_000 / self.inspected_units)

    @property
    def rejected_ppm(self) -> float | None:
        if not self.decided_quantity:
            return None
        return float(self.rejected_quantity * 1_000_000 / self.decided_quantity)

    @property
    def lead_median_hours(self) -> float | None:
        return _hours(self.lead_median)

    @property
    def lead_p90_hours(self) -> float | None:
        return _hours(self.lead_p90)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lots": self.lots,
            "decided": self.decided,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "conditional": self.conditional,
            "acceptance_rate": _rounded(self.acceptance_rate, 2),
            "nonconforming_units": self.nonconforming,
            "inspected_units": float(self.inspected_units),
            "ppm": _rounded(self.ppm, 1),
            "decided_quantity": float(self.decided_quantity),
            "rejected_quantity": float(self.rejected_quantity),
            "rejected_quantity_ppm": _rounded(self.rejected_ppm, 1),
            "lead_time_median_hours": _rounded(self.lead_median_hours, 2),
            "lead_time_p90_hours": _rounded(self.lead_p90_hours, 2),
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _duration(value: Any) -> datetime.timedelta | None:
    if value is None or isinstance(value, datetime.timedelta):
        return value
    # Some backends hand an aggregate over a duration back as microseconds.
    return datetime.timedelta(microseconds=float(value))


def _hours(value: datetime.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 3600.0


def _units_inspected() -> Subquery:
    """The units a lot's samples covered: its largest n, or the lot when inspected 100 %."""
    units = Case(
        When(inspect_all=True, then=F("inspection_lot__lot_size")),
        default=Cast("n", DecimalField(max_digits=14, decimal_places=3)),
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )
    return Subquery(
        LotSampling.objects.filter(inspection_lot=OuterRef("pk"), voided_at__isnull=True)
        .order_by()
        .values("inspection_lot")
        .annotate(units=Max(units))
        .values("units")[:1],
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )


def _aggregates() -> dict[str, Any]:
    decided = Q(status=InspectionStatus.DECIDED)
    lead = ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
    return {
        "lots": Count("pk"),
        "decided": Count("pk", filter=decided),
        "accepted": Count("pk", filter=decided & Q(decision=UsageDecision.ACCEPT)),
        "rejected": Count("pk", filter=decided & Q(decision=UsageDecision.REJECT)),
        "conditional": Count("pk", filter=decided & Q(decision=UsageDecision.CONDITIONAL)),
        "nonconforming": Sum("nonconforming", filter=decided),
        "inspected_units": Sum(_units_inspected(), filter=decided),
        "decided_quantity": Sum("lot_size", filter=decided),
        "rejected_quantity": Sum("lot_size", filter=decided & Q(decision=UsageDecision.REJECT)),
        # A lot still open has no decided_at: its lead time is null and the percentile skips it.
        "lead_median": Percentile(lead, 0.5, output_field=DurationField()),
        "lead_p90": Percentile(lead, 0.9, output_field=DurationField()),
    }


def period_start(months: int = MONTHS, *, today: datetime.date | None = None) -> datetime.datetime:
    """The first instant of the month ``months - 1`` months before this one (local time)."""
    today = today or timezone.localdate()
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return timezone.make_aware(datetime.datetime(year, month, 1))


def month_starts(
    months: int = MONTHS, *, today: datetime.date | None = None
) -> list[datetime.date]:
    start = period_start(months, today=today).date()
    out = []
    year, month = start.year, start.month
    for _i in range(months):
        out.append(datetime.date(year, month, 1))
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return out


def may_view(user: Any) -> bool:
    return user is not None and bool(user.has_perm(PERM))


def iqc_lots(user: Any, *, gate: str = Gate.IQC) -> QuerySet[InspectionLot]:
    """The inspection lots supplier quality is computed from: a gate's lots with a supplier."""
    if not may_view(user):
        return InspectionLot.objects.none()
    return InspectionLot.objects.filter(
        voided_at__isnull=True, gate=gate, supplier__isnull=False
    ).order_by()


# --- switching state ----------------------------------------------------------------------------


@dataclass
class SwitchingSummary:
    """The streams of a supplier at the gate, by state; ``state`` is the worst of them."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def state(self) -> str:
        states = [s for s, n in self.counts.items() if n]
        if not states:
            return ""
        return min(states, key=lambda s: SEVERITY_RANK.get(Severity(s), 9))

    @property
    def state_label(self) -> str:
        return str(Severity(self.state).label) if self.state else ""

    @property
    def tone(self) -> str:
        tones: dict[str, str] = {Severity.DISCONTINUED: "danger", Severity.TIGHTENED: "warning"}
        return tones.get(self.state, "")

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "streams": dict(self.counts)}


def switching_by_supplier(
    supplier_ids: Iterable[int], *, gate: str = Gate.IQC
) -> dict[int, SwitchingSummary]:
    ids = list(supplier_ids)
    out: dict[int, SwitchingSummary] = defaultdict(SwitchingSummary)
    if not ids:
        return out
    rows = (
        SwitchingStream.objects.filter(voided_at__isnull=True, gate=gate, supplier_id__in=ids)
        .order_by()
        .values("supplier_id", "state")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        out[row["supplier_id"]].counts[row["state"]] = row["n"]
    return out


# --- ranking, scorecard, items ------------------------------------------------------------------


@dataclass
class SupplierRow:
    supplier: Supplier
    metrics: Metrics
    switching: SwitchingSummary
    # What other domains registered about the supplier (masterdata.scores): SCARs, ...
    parts: SupplierScoreParts = field(default_factory=SupplierScoreParts)

    @property
    def flagged(self) -> bool:
        return self.supplier.status in FLAGGED_STATUSES

    def as_dict(self) -> dict[str, Any]:
        return {
            "supplier": {
                "id": self.supplier.pk,
                "code": self.supplier.code,
                "name": self.supplier.name,
                "status": self.supplier.status,
                "blocked": self.flagged,
            },
            **self.metrics.as_dict(),
            "switching": self.switching.as_dict(),
            "parts": self.parts.as_dict(),
        }


# Sort keys of the ranking: what a user may ask for, and the value it sorts on. A supplier with
# no value (nothing decided) goes last whichever way the column is sorted.
SORTS: dict[str, Any] = {
    "code": lambda r: r.supplier.code,
    "lots": lambda r: r.metrics.lots,
    "acceptance": lambda r: r.metrics.acceptance_rate,
    "rejected": lambda r: r.metrics.rejected,
    "conditional": lambda r: r.metrics.conditional,
    "ppm": lambda r: r.metrics.ppm,
    "rejected_ppm": lambda r: r.metrics.rejected_ppm,
    "lead": lambda r: r.metrics.lead_median,
    "lead_p90": lambda r: r.metrics.lead_p90,
    "switching": lambda r: (
        SEVERITY_RANK.get(Severity(r.switching.state), 9) if r.switching.state else None
    ),
}
DEFAULT_SORT = "acceptance"


def sort_parse(raw: str) -> tuple[str, bool]:
    """``"-ppm"`` → ("ppm", descending). Unknown keys fall back to the default."""
    descending = raw.startswith("-")
    key = raw.lstrip("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def rows_sorted(rows: list[SupplierRow], key: str, descending: bool) -> list[SupplierRow]:
    value = SORTS[key]
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: (value(r), r.supplier.code), reverse=descending)
    return present + sorted(missing, key=lambda r: r.supplier.code)


def supplier_ranking(
    user: Any,
    *,
    months: int = MONTHS,
    sort: str = "",
    gate: str = Gate.IQC,
    today: datetime.date | None = None,
) -> list[SupplierRow]:
    """Every supplier with lots at the gate in the period, with its metrics and switching state.
    Three queries: the metrics grouped by supplier, the suppliers, their streams."""
    grouped = (
        iqc_lots(user, gate=gate)
        .filter(created_at__gte=period_start(months, today=today))
        .values("supplier_id")
        .annotate(**_aggregates())
    )
    by_id = {row["supplier_id"]: Metrics.of(row) for row in grouped}
    suppliers = Supplier.objects.in_bulk(list(by_id))
    switching = switching_by_supplier(by_id, gate=gate)
    parts = supplier_score_figures(suppliers, since=period_start(months, today=today))
    rows = [
        SupplierRow(suppliers[pk], metrics, switching[pk], parts[pk])
        for pk, metrics in by_id.items()
        if pk in suppliers
    ]
    key, descending = sort_parse(sort)
    return rows_sorted(rows, key, descending)


@dataclass
class MonthRow:
    month: datetime.date
    metrics: Metrics

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month.strftime("%Y-%m"), **self.metrics.as_dict()}


@dataclass
class Scorecard:
    supplier: Supplier
    months: list[MonthRow]
    total: Metrics
    switching: SwitchingSummary
    streams: list[SwitchingStream]
    parts: SupplierScoreParts = field(default_factory=SupplierScoreParts)

    @property
    def flagged(self) -> bool:
        return self.supplier.status in FLAGGED_STATUSES

    def as_dict(self) -> dict[str, Any]:
        return {
            "supplier": {
                "id": self.supplier.pk,
                "code": self.supplier.code,
                "name": self.supplier.name,
                "status": self.supplier.status,
                "blocked": self.flagged,
            },
            "total": self.total.as_dict(),
            "months": [m.as_dict() for m in self.months],
            "switching": self.switching.as_dict(),
            "streams": [
                {"item": s.item.part_number, "state": s.state, "updated_at": s.updated_at}
                for s in self.streams
            ],
            "parts": self.parts.as_dict(),
        }


def _month_key(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value  # type: ignore[no-any-return]


def supplier_scorecard(
    user: Any,
    supplier: Supplier,
    *,
    months: int = MONTHS,
    gate: str = Gate.IQC,
    today: datetime.date | None = None,
) -> Scorecard:
    """The supplier's months (every month of the period, empty ones too), the period's total and
    its streams. Three queries."""
    lots = iqc_lots(user, gate=gate).filter(
        supplier=supplier, created_at__gte=period_start(months, today=today)
    )
    by_month = {
        _month_key(row["month"]): Metrics.of(row)
        for row in lots.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(**_aggregates())
    }
    total = Metrics.of(lots.aggregate(**_aggregates()))
    streams = list(
        SwitchingStream.objects.filter(voided_at__isnull=True, gate=gate, supplier=supplier)
        .select_related("item")
        .order_by("item__part_number")
    )
    summary = SwitchingSummary()
    for s in streams:
        summary.counts[s.state] = summary.counts.get(s.state, 0) + 1
    parts = supplier_score_figures([supplier.pk], since=period_start(months, today=today))
    return Scorecard(
        supplier=supplier,
        months=[MonthRow(m, by_month.get(m, Metrics())) for m in month_starts(months, today=today)],
        total=total,
        switching=summary,
        streams=streams if may_view(user) else [],
        parts=parts[supplier.pk] if may_view(user) else SupplierScoreParts(),
    )


@dataclass
class ItemRow:
    item: Item
    metrics: Metrics
    state: str = ""

    @property
    def state_label(self) -> str:
        return str(Severity(self.state).label) if self.state else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": {"id": self.item.pk, "part_number": self.item.part_number,
                     "name": self.item.name},
            **self.metrics.as_dict(),
            "switching": self.state,
        }  # fmt: skip


def supplier_items(
    user: Any,
    supplier: Supplier,
    *,
    months: int = MONTHS,
    gate: str = Gate.IQC,
    streams: Sequence[SwitchingStream] = (),
    today: datetime.date | None = None,
) -> list[ItemRow]:
    """The supplier's metrics per item (worst acceptance first). Two queries."""
    grouped = (
        iqc_lots(user, gate=gate)
        .filter(supplier=supplier, created_at__gte=period_start(months, today=today))
        .values("item_id")
        .annotate(**_aggregates())
    )
    by_id = {row["item_id"]: Metrics.of(row) for row in grouped}
    items = Item.objects.in_bulk(list(by_id))
    states = {s.item_id: s.state for s in streams}
    rows = [ItemRow(items[pk], m, states.get(pk, "")) for pk, m in by_id.items() if pk in items]
    rows.sort(
        key=lambda r: (
            r.metrics.acceptance_rate if r.metrics.acceptance_rate is not None else 101.0,
            r.item.part_number,
        )
    )
    return rows


def suppliers_visible(user: Any) -> QuerySet[Supplier]:
    if not may_view(user):
        return Supplier.objects.none()
    return Supplier.objects.filter(voided_at__isnull=True)


# --- the inspection queue (the inspector's home) -------------------------------------------------

QUEUE_STATUSES = (InspectionStatus.OPEN, InspectionStatus.IN_PROGRESS)
# Age buckets of a lot waiting at the gate: key → (older than, at most) in days.
AGE_BUCKETS: dict[str, tuple[int | None, int | None]] = {
    "gt3": (3, None),
    "1to3": (1, 3),
    "lt1": (None, 1),
}
AGE_LABELS = {
    "gt3": _("More than 3 days"),
    "1to3": _("1 to 3 days"),
    "lt1": _("Less than a day"),
}
AGE_TONES = {"gt3": "danger", "1to3": "warning", "lt1": ""}


def age_q(bucket: str, *, now: datetime.datetime | None = None) -> Q:
    """Lots created within the bucket's ages (``created_at`` against now)."""
    now = now or timezone.now()
    older, at_most = AGE_BUCKETS[bucket]
    q = Q()
    if older is not None:
        q &= Q(created_at__lte=now - datetime.timedelta(days=older))
    if at_most is not None:
        q &= Q(created_at__gt=now - datetime.timedelta(days=at_most))
    return q


def age_bucket(created_at: datetime.datetime, *, now: datetime.datetime | None = None) -> str:
    age = (now or timezone.now()) - created_at
    if age > datetime.timedelta(days=3):
        return "gt3"
    if age > datetime.timedelta(days=1):
        return "1to3"
    return "lt1"


def inspection_queue(user: Any, *, gate: str = "", age: str = "") -> QuerySet[InspectionLot]:
    """Lots awaiting inspection or in inspection, oldest first, for whoever reads lots."""
    if user is None or not user.has_perm("inspection.view_inspectionlot"):
        return InspectionLot.objects.none()
    qs = InspectionLot.objects.filter(voided_at__isnull=True, status__in=QUEUE_STATUSES)
    if gate in Gate.values:
        qs = qs.filter(gate=gate)
    if age in AGE_BUCKETS:
        qs = qs.filter(age_q(age))
    return qs.select_related("item", "supplier", "lot", "lot__work_centre").order_by(
        "created_at", "id"
    )


def queue_age_counts(user: Any) -> dict[str, dict[str, int]]:
    """Lots waiting per age bucket and gate, in one query: ``{"gt3": {"iqc": 2, ...}, ...}``."""
    qs = inspection_queue(user).order_by()
    now = timezone.now()
    aggregates = {
        f"{bucket}__{gate}": Count("pk", filter=age_q(bucket, now=now) & Q(gate=gate))
        for bucket in AGE_BUCKETS
        for gate in Gate.values
    }
    row = qs.aggregate(**aggregates)
    return {
        bucket: {gate: row[f"{bucket}__{gate}"] or 0 for gate in Gate.values}
        for bucket in AGE_BUCKETS
    }


# --- what the workbench panels read --------------------------------------------------------------


def rejected_undisposed(user: Any) -> QuerySet[InspectionLot]:
    """Rejected lots with no disposition yet (return, sort, rework, scrap), latest first."""
    from django.db.models import Exists

    from .models import Disposition

    if user is None or not user.has_perm("inspection.view_inspectionlot"):
        return InspectionLot.objects.none()
    disposed = Disposition.objects.filter(inspection_lot=OuterRef("pk"), voided_at__isnull=True)
    return (
        InspectionLot.objects.filter(
            voided_at__isnull=True,
            status=InspectionStatus.DECIDED,
            decision=UsageDecision.REJECT,
        )
        .filter(~Exists(disposed))
        .select_related("item", "supplier")
        .order_by("-decided_at", "-id")
    )


def acceptance_by_gate_month(
    user: Any, *, months: int = MONTHS, today: datetime.date | None = None
) -> dict[str, dict[datetime.date, tuple[int, int]]]:
    """``{gate: {month: (accepted, decided)}}`` by the month of the usage decision. One query."""
    if user is None or not user.has_perm("inspection.view_inspectionlot"):
        return {}
    rows = (
        InspectionLot.objects.filter(
            voided_at__isnull=True,
            status=InspectionStatus.DECIDED,
            decided_at__gte=period_start(months, today=today),
        )
        .order_by()
        .annotate(month=TruncMonth("decided_at"))
        .values("gate", "month")
        .annotate(
            decided=Count("pk"), accepted=Count("pk", filter=Q(decision=UsageDecision.ACCEPT))
        )
    )
    out: dict[str, dict[datetime.date, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        out[row["gate"]][_month_key(row["month"])] = (row["accepted"], row["decided"])
    return out


DEFECT_DAYS = 90


def nonconforming_counts(
    user: Any, *, days: int = DEFECT_DAYS, now: datetime.datetime | None = None
) -> list[tuple[str, int]]:
    """Nonconforming results of the last ``days`` days by defect type, or by characteristic when
    the result names no defect type: ``[(category, count), ...]``. One query."""
    from .models import Measurement

    if user is None or not user.has_perm("inspection.view_inspectionlot"):
        return []
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    rows = (
        Measurement.objects.filter(voided_at__isnull=True, conforming=False, measured_at__gte=since)
        .order_by()
        .values("defect_type", "characteristic__code", "characteristic__name")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, int] = {}
    for row in rows:
        category = (row["defect_type"] or "").strip() or (
            f"{row['characteristic__code']} {row['characteristic__name']}"
        )
        counts[category] = counts.get(category, 0) + row["n"]
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def streams_on_watch(user: Any) -> QuerySet[SwitchingStream]:
    """Supplier streams on tightened or discontinued inspection, discontinued first."""
    if user is None or not user.has_perm("inspection.view_inspectionlot"):
        return SwitchingStream.objects.none()
    return (
        SwitchingStream.objects.filter(
            voided_at__isnull=True,
            supplier__isnull=False,
            state__in=(Severity.DISCONTINUED, Severity.TIGHTENED),
        )
        .select_related("supplier", "item")
        .annotate(
            rank=Case(
                When(state=Severity.DISCONTINUED, then=Value(0)),
                default=Value(1),
            )
        )
        .order_by("rank", "-updated_at", "id")
    )
