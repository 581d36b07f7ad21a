"""The lot genealogy as the recall case reads it (``cqo.masterdata.genealogy``, issue 11 §5):
the forward trace from the suspect lots, and the shipment lines that took the affected lots to
customers.

Until the genealogy is on main its two names are stood in for here: the trace is the suspect
lots themselves and the shipments are those of these lots (what master data already knows)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from cqo.masterdata.models import ShipmentLine

try:  # the genealogy helper's module (DESIGN.md, "Shared names")
    from cqo.masterdata.genealogy import (  # type: ignore[import-not-found,unused-ignore]
        shipment_lines_of as _shipment_lines_of,
    )
    from cqo.masterdata.genealogy import (  # type: ignore[import-not-found,unused-ignore]
        trace_forward as _trace_forward,
    )
except ImportError:  # pragma: no cover - until it lands
    _trace_forward = None
    _shipment_lines_of = None


def lots_forward(lot_ids: Iterable[int]) -> list[int]:
    """The suspect lots and every lot made from them, transitively."""
    starts = sorted({int(i) for i in lot_ids})
    if _trace_forward is not None:
        return sorted({int(i) for i in _trace_forward(starts)} | set(starts))
    return starts


def shipment_lines(lot_ids: Iterable[int]) -> QuerySet[ShipmentLine]:
    """The shipment lines (with shipment and customer) that carried any of ``lot_ids``."""
    ids = list(lot_ids)
    if _shipment_lines_of is not None:
        found: Any = _shipment_lines_of(ids)
        return found
    return ShipmentLine.objects.filter(lot_id__in=ids, voided_at__isnull=True).select_related(
        "shipment", "shipment__customer", "lot"
    )
