"""The lot genealogy as the recall case reads it (``cqo.masterdata.genealogy``, issue 11 §5):
the forward trace from the suspect lots, and the shipment lines that took the affected lots to
customers."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from cqo.masterdata.genealogy import shipment_lines_of, trace_forward
from cqo.masterdata.models import ShipmentLine


def lots_forward(lot_ids: Iterable[int]) -> list[int]:
    """The suspect lots and every lot made from them, transitively."""
    starts = sorted({int(i) for i in lot_ids})
    return sorted({int(i) for i in trace_forward(starts)} | set(starts))


def shipment_lines(lot_ids: Iterable[int]) -> QuerySet[ShipmentLine]:
    """The shipment lines (with shipment and customer) that carried any of ``lot_ids``."""
    return shipment_lines_of(list(lot_ids))
