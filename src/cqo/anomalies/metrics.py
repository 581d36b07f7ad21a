"""The anomalies app's measures in the metric registry (``cqo.core.metrics``, §7.1.2).

- NCR closure days: mean whole days from raised to closed over the NCRs closed in the period
  (by responsible unit); none closed → missing.
- NCR repeat rate: of the defects recorded on NCRs found in the period, the share that repeats
  the same defect code on the same item within ``REPEAT_WINDOW_DAYS`` (the analysis page's rule);
  no defect → missing. By responsible unit.
- Customer complaints: complaints received in the period (rejected and withdrawn ones left out).
  A count is 0 when none came, but missing while the register has never held a complaint.
- Customer PPM: quantity concerned by the period's complaints per million units on shipments
  marked shipped whose planned shipping date falls in the period (the shipment keeps no
  shipping time); nothing shipped → missing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import F, Sum

from cqo.core.metrics import MetricValue, day_bounds, ratio


def ncr_closure_days(
    first: datetime.date, last: datetime.date, unit_id: int | None = None
) -> MetricValue | None:
    from .models_ncr import Anomaly, AnomalyStatus

    start, end = day_bounds(first, last)
    qs = Anomaly.objects.filter(
        voided_at__isnull=True, status=AnomalyStatus.CLOSED, closed_at__gte=start,
        closed_at__lt=end,
    )  # fmt: skip
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    rows = list(qs.values_list("raised_at", "closed_at"))
    if not rows:
        return None
    days = 0
    for raised, closed in rows:
        if closed is not None:
            days += max((closed - raised).days, 0)
    return MetricValue(
        value=Decimal(days) / Decimal(len(rows)),
        numerator=Decimal(days),
        denominator=Decimal(len(rows)),
        count=len(rows),
    )


def ncr_repeat_rate(
    first: datetime.date, last: datetime.date, unit_id: int | None = None
) -> MetricValue | None:
    from .models_ncr import AnomalyDefect
    from .selectors_analysis import REPEAT_WINDOW_DAYS

    since = first - datetime.timedelta(days=REPEAT_WINDOW_DAYS)
    rows = (
        AnomalyDefect.objects.filter(
            voided_at__isnull=True, anomaly__voided_at__isnull=True,
            anomaly__item__isnull=False, anomaly__found_on__gte=since,
            anomaly__found_on__lte=last,
        )
        .annotate(day=F("anomaly__found_on"), item=F("anomaly__item_id"),
                  unit=F("anomaly__unit_id"))
        .order_by("anomaly__found_on", "id")
        .values_list("item", "defect_id", "day", "unit")
    )  # fmt: skip
    previous: dict[tuple[int, int], datetime.date] = {}
    counted = repeats = 0
    for item, defect, day, unit in rows.iterator():
        before = previous.get((item, defect))
        previous[(item, defect)] = day
        if day < first or (unit_id is not None and unit != unit_id):
            continue
        counted += 1
        if before is not None and (day - before).days <= REPEAT_WINDOW_DAYS:
            repeats += 1
    if not counted:
        return None
    return MetricValue(
        value=ratio(Decimal(repeats), Decimal(counted)),
        numerator=Decimal(repeats),
        denominator=Decimal(counted),
        count=counted,
    )


def _complaints(first: datetime.date, last: datetime.date):  # type: ignore[no-untyped-def]
    from .models_complaints import Complaint, ComplaintStatus

    start, end = day_bounds(first, last)
    return Complaint.objects.filter(
        voided_at__isnull=True, received_at__gte=start, received_at__lt=end
    ).exclude(status__in=[ComplaintStatus.REJECTED, ComplaintStatus.WITHDRAWN])


def complaints_count(
    first: datetime.date, last: datetime.date, unit_id: int | None = None
) -> MetricValue | None:
    from django.utils import timezone

    from .models_complaints import Complaint

    if first > timezone.localdate() or not Complaint.objects.exists():
        return None
    n = _complaints(first, last).count()
    return MetricValue(value=Decimal(n), numerator=Decimal(n), count=n)


def customer_ppm(
    first: datetime.date, last: datetime.date, unit_id: int | None = None
) -> MetricValue | None:
    from cqo.masterdata.models import ShipmentLine, ShipmentStatus

    shipped = ShipmentLine.objects.filter(
        voided_at__isnull=True, shipment__voided_at__isnull=True,
        shipment__status=ShipmentStatus.SHIPPED, shipment__planned_on__gte=first,
        shipment__planned_on__lte=last,
    ).aggregate(q=Sum("quantity"))["q"]  # fmt: skip
    if not shipped:
        return None
    complaints = _complaints(first, last)
    concerned = complaints.aggregate(q=Sum("quantity"))["q"] or Decimal(0)
    return MetricValue(
        value=ratio(Decimal(concerned), Decimal(shipped), Decimal(1_000_000)),
        numerator=Decimal(concerned),
        denominator=Decimal(shipped),
        count=complaints.count(),
    )


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clause
    from cqo.core.metrics import Direction, metric_register

    metric_register(
        key="anomalies.ncr_closure_days", label=_("NCR closure time"), unit=_("days"),
        direction=Direction.LOWER, clause=clause("§6 c)"), compute=ncr_closure_days,
        by_unit=True, app=app_label, places=1,
        description=_("Mean days from raised to closed of the NCRs closed in the period."),
    )  # fmt: skip
    metric_register(
        key="anomalies.ncr_repeat_rate", label=_("NCR repeat rate"), unit="%",
        direction=Direction.LOWER, clause=clause("§7.1.4"), compute=ncr_repeat_rate,
        by_unit=True, app=app_label, places=1,
        description=_("Defects of the period's NCRs repeating the same defect on the same item "
                      "within 90 days, over all of the period's defects."),
    )  # fmt: skip
    metric_register(
        key="anomalies.complaints", label=_("Customer complaints"), unit=_("complaints"),
        direction=Direction.LOWER, clause=clause("§7.1.4"), compute=complaints_count,
        app=app_label, places=0,
        description=_("Complaints received in the period, rejected and withdrawn ones left out."),
    )  # fmt: skip
    metric_register(
        key="anomalies.customer_ppm", label=_("Customer PPM"), unit="PPM",
        direction=Direction.LOWER, clause=clause("§7.1.4"), compute=customer_ppm,
        app=app_label, places=0,
        description=_("Quantity concerned by the period's complaints per million units shipped "
                      "in the period."),
    )  # fmt: skip
