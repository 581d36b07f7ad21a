"""Reads of the NCR core, scoped to the user, fast at 200,000 NCRs: indexed filters (status,
item, supplier, raised at), the related rows joined, keyset pages, and a count that stops at a
cap instead of counting the whole table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from cqo.masterdata.models import ShipmentLine

from .models_ncr import (
    OPEN_STATUSES,
    Anomaly,
    AnomalyDefect,
    AnomalyLot,
    AnomalyNotice,
    AnomalyPhoto,
    DefectCode,
)

PAGE_SIZE = 50
COUNT_CAP = 1000
OPEN_ANY = "open_any"

# Age buckets of the list: days since the NCR was raised (lower bound, upper bound or None).
AGES: dict[str, tuple[Any, int, int | None]] = {
    "7": (_("Up to 7 days"), 0, 7),
    "30": (_("8 to 30 days"), 8, 30),
    "90": (_("31 to 90 days"), 31, 90),
    "older": (_("Over 90 days"), 91, None),
}


def anomalies_visible(user: Any) -> QuerySet[Anomaly]:
    if user is None or not user.has_perm("anomalies.view_anomaly"):
        return Anomaly.objects.none()
    return Anomaly.objects.filter(voided_at__isnull=True)


def _age_filter(qs: QuerySet[Anomaly], age: str, now: datetime.datetime) -> QuerySet[Anomaly]:
    if age not in AGES:
        return qs
    _label, low, high = AGES[age]
    # Whole days: raised at least ``low`` days ago and less than ``high + 1`` days ago.
    qs = qs.filter(raised_at__lte=now - datetime.timedelta(days=low))
    if high is not None:
        qs = qs.filter(raised_at__gt=now - datetime.timedelta(days=high + 1))
    return qs


def anomalies_filtered(
    user: Any,
    *,
    status: str = "",
    item: int | None = None,
    supplier: int | None = None,
    age: str = "",
    source: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Anomaly]:
    qs = anomalies_visible(user)
    if status == OPEN_ANY:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if item:
        qs = qs.filter(item_id=item)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    if source:
        qs = qs.filter(source=source)
    return _age_filter(qs, age, now or timezone.now())


def count_capped(qs: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows match, counted up to ``cap`` (a LIMIT inside the count): ``(n, more)``."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


@dataclass
class KeysetPage:
    rows: list[Anomaly]
    next_cursor: str
    first: bool


def cursor_of(anomaly: Anomaly) -> str:
    return f"{anomaly.raised_at.isoformat()}_{anomaly.pk}"


def _parse_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    at, _sep, pk = (cursor or "").rpartition("_")
    try:
        when = parse_datetime(at) if at else None
    except ValueError:
        return None
    if when is None or not pk.isascii() or not pk.isdigit() or len(pk) > 12:
        return None
    return when, int(pk)


def list_rows(qs: QuerySet[Anomaly]) -> QuerySet[Anomaly]:
    """What the list and its export show of each NCR, in one query."""
    return qs.select_related("item", "supplier", "owner", "customer").order_by("-raised_at", "-id")


def anomalies_page(qs: QuerySet[Anomaly], *, after: str = "", size: int = PAGE_SIZE) -> KeysetPage:
    """One page newest first, after the cursor of the last row seen (a cursor that does not
    parse starts at the top)."""
    qs = list_rows(qs)
    parsed = _parse_cursor(after)
    if parsed is not None:
        when, pk = parsed
        qs = qs.filter(Q(raised_at__lt=when) | Q(raised_at=when, id__lt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows, next_cursor=cursor_of(rows[-1]) if more and rows else "", first=parsed is None
    )


def anomaly_detail(user: Any, pk: int) -> Anomaly | None:
    """One NCR the user may read (voided ones too, marked as such on the page)."""
    if user is None or not user.has_perm("anomalies.view_anomaly"):
        return None
    related = (
        "item", "supplier", "customer", "work_centre", "unit", "found_by", "owner",
        "raised_by", "closed_by", "voided_by",
    )  # fmt: skip
    return Anomaly.objects.select_related(*related).filter(pk=pk).first()


def anomaly_lots(anomaly: Anomaly) -> list[AnomalyLot]:
    return list(
        AnomalyLot.objects.filter(anomaly=anomaly, voided_at__isnull=True)
        .select_related("lot", "hold", "sorted_by", "lot__supplier")
        .order_by("id")
    )


def anomaly_defects(anomaly: Anomaly) -> list[AnomalyDefect]:
    return list(
        AnomalyDefect.objects.filter(anomaly=anomaly, voided_at__isnull=True)
        .select_related("defect")
        .order_by("id")
    )


def anomaly_photos(anomaly: Anomaly) -> list[AnomalyPhoto]:
    return list(
        AnomalyPhoto.objects.filter(anomaly=anomaly, voided_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )


def anomaly_notices(anomaly: Anomaly) -> list[AnomalyNotice]:
    return list(
        AnomalyNotice.objects.filter(anomaly=anomaly, voided_at__isnull=True)
        .select_related("customer", "shipment", "notified_by")
        .order_by("notified_at", "id")
    )


def shipped_lines(anomaly: Anomaly) -> list[ShipmentLine]:
    """The shipment lines that took product of the NCR's lots out (the customers to tell)."""
    lots = AnomalyLot.objects.filter(anomaly=anomaly, voided_at__isnull=True).values("lot")
    return list(
        ShipmentLine.objects.filter(
            lot__in=lots,
            voided_at__isnull=True,
            shipment__voided_at__isnull=True,
            shipment__status__in=("released", "shipped"),
        )
        .select_related("shipment__customer", "lot")
        .order_by("shipment__planned_on", "id")
    )


def photo_of(user: Any, pk: int) -> AnomalyPhoto | None:
    if user is None or not user.has_perm("anomalies.view_anomalyphoto"):
        return None
    return (
        AnomalyPhoto.objects.filter(pk=pk, voided_at__isnull=True).select_related("anomaly").first()
    )


# --- the defect catalogue -----------------------------------------------------------------------


def defect_codes_visible(user: Any) -> QuerySet[DefectCode]:
    if user is None or not user.has_perm("anomalies.view_defectcode"):
        return DefectCode.objects.none()
    return DefectCode.objects.filter(voided_at__isnull=True)


def defect_codes_filtered(user: Any, *, family: str = "", q: str = "") -> QuerySet[DefectCode]:
    qs = defect_codes_visible(user)
    if family:
        qs = qs.filter(family=family)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    return qs.order_by("family", "code")


def defect_families(user: Any) -> list[str]:
    return list(
        defect_codes_visible(user).order_by("family").values_list("family", flat=True).distinct()
    )
