"""Reads of the inspection lots, scoped to the user, fast at 100,000 lots: indexed filters, the
related rows joined, keyset pages (no COUNT over the table)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from .models import InspectionLot, SwitchingEvent, SwitchingStream

PAGE_SIZE = 50


def lots_visible(user: Any) -> QuerySet[InspectionLot]:
    if user is None or not user.has_perm("inspection.view_inspectionlot"):
        return InspectionLot.objects.none()
    return InspectionLot.objects.filter(voided_at__isnull=True)


def lots_filtered(
    user: Any,
    *,
    status: str = "",
    gate: str = "",
    supplier: int | None = None,
    item: int | None = None,
    decision: str = "",
) -> QuerySet[InspectionLot]:
    qs = lots_visible(user)
    if status:
        qs = qs.filter(status=status)
    if gate:
        qs = qs.filter(gate=gate)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    if item:
        qs = qs.filter(item_id=item)
    if decision:
        qs = qs.filter(decision=decision)
    return qs


@dataclass
class KeysetPage:
    rows: list[InspectionLot]
    next_cursor: str
    first: bool


def cursor_of(lot: InspectionLot) -> str:
    return f"{lot.created_at.isoformat()}_{lot.pk}"


def _parse_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    at, _sep, pk = (cursor or "").rpartition("_")
    when = parse_datetime(at) if at else None
    if when is None or not pk.isdigit():
        return None
    return when, int(pk)


def lots_page(qs: QuerySet[InspectionLot], *, after: str = "", size: int = PAGE_SIZE) -> KeysetPage:
    """One page newest first, starting after the cursor of the last row seen. A cursor that does
    not parse starts at the top."""
    qs = qs.select_related("item", "supplier", "lot").order_by("-created_at", "-id")
    parsed = _parse_cursor(after)
    if parsed is not None:
        when, pk = parsed
        qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, id__lt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows, next_cursor=cursor_of(rows[-1]) if more and rows else "", first=parsed is None
    )


def lot_detail(user: Any, pk: int) -> InspectionLot | None:
    return (
        lots_visible(user)
        .select_related("item", "supplier", "lot", "plan", "stream", "created_by", "decided_by")
        .filter(pk=pk)
        .first()
    )


# --- switching streams ---------------------------------------------------------------------------


def streams_visible(user: Any) -> QuerySet[SwitchingStream]:
    if user is None or not user.has_perm("inspection.view_switchingstream"):
        return SwitchingStream.objects.none()
    return SwitchingStream.objects.filter(voided_at__isnull=True).select_related(
        "item", "supplier", "work_centre"
    )


def streams_filtered(user: Any, *, state: str = "", gate: str = "") -> QuerySet[SwitchingStream]:
    qs = streams_visible(user)
    if state:
        qs = qs.filter(state=state)
    if gate:
        qs = qs.filter(gate=gate)
    return qs.order_by("-updated_at", "-id")


def stream_events(stream: SwitchingStream) -> list[SwitchingEvent]:
    return list(
        stream.events.filter(voided_at__isnull=True).select_related("inspection_lot", "actor")[:200]
    )


def stream_lots(stream: SwitchingStream, limit: int = 20) -> list[InspectionLot]:
    return list(
        InspectionLot.objects.filter(stream=stream, voided_at__isnull=True)
        .select_related("lot")
        .order_by("-created_at", "-id")[:limit]
    )
