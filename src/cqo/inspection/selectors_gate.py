"""Reads of the gate (§6 e)): lots by number, holds, shipments. Master data is shared reference,
read by every member (``masterdata.view_*``), so the scoping is the permission itself."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from cqo.masterdata.models import Lot, LotHold, Shipment, ShipmentStatus


def _may(user: Any, perm: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(perm))


def lots_visible(user: Any) -> QuerySet[Lot]:
    if not _may(user, "masterdata.view_lot"):
        return Lot.objects.none()
    return Lot.objects.filter(voided_at__isnull=True).select_related("item", "supplier")


def lot_by_key(user: Any, key: Any) -> Lot | None:
    """A lot by its number, or by its id when no lot has that number."""
    lots = lots_visible(user)
    text = str(key or "").strip()
    if not text:
        return None
    lot = lots.filter(number=text).first()
    if lot is None and text.isdigit():
        lot = lots.filter(pk=int(text)).first()
    return lot


def holds_visible(user: Any) -> QuerySet[LotHold]:
    if not _may(user, "masterdata.view_lothold"):
        return LotHold.objects.none()
    return LotHold.objects.filter(voided_at__isnull=True).select_related(
        "lot", "lot__item", "lot__supplier", "placed_by", "lifted_by"
    )


def holds_open(user: Any) -> QuerySet[LotHold]:
    return holds_visible(user).filter(lifted_at__isnull=True).order_by("-placed_at", "-id")


def shipments_visible(user: Any, *, status: str = "") -> QuerySet[Shipment]:
    if not _may(user, "masterdata.view_shipment"):
        return Shipment.objects.none()
    shipments = (
        Shipment.objects.filter(voided_at__isnull=True)
        .select_related("customer", "created_by", "released_by")
        .annotate(line_count=Count("lines", filter=Q(lines__voided_at__isnull=True)))
    )
    if status in ShipmentStatus.values:
        shipments = shipments.filter(status=status)
    return shipments


def shipment_by_key(user: Any, key: Any) -> Shipment | None:
    """A shipment by its number, or by its id when no shipment has that number."""
    shipments = shipments_visible(user)
    text = str(key or "").strip()
    if not text:
        return None
    shipment = shipments.filter(number=text).first()
    if shipment is None and text.isdigit():
        shipment = shipments.filter(pk=int(text)).first()
    return shipment
