"""What the inspection tells the gate (``cqo.masterdata.stock``) about a lot (§6 e)).

The gate lives in the master data and may not import this app, so it asks through
``stock.lot_verdict_register``: the usage decision at the lot's own gate, and what blocks its
release whatever the item's gate behaviour, a first article not accepted above all.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cqo.masterdata import stock
from cqo.masterdata.models import Gate, Lot, LotOrigin
from cqo.masterdata.stock import InspectionVerdict

from .models import (
    InspectionKind,
    InspectionLot,
    InspectionPlan,
    InspectionStatus,
    PlanStatus,
    UsageDecision,
)

ACCEPTED = (UsageDecision.ACCEPT, UsageDecision.CONDITIONAL)


def _first_article_required(lot: Lot) -> bool:
    """The in-process plan in force for the item asks for a first article."""
    return InspectionPlan.objects.filter(
        item_id=lot.item_id,
        gate=Gate.IPQC,
        status=PlanStatus.APPROVED,
        voided_at__isnull=True,
        first_article=True,
    ).exists()


def _first_article_block(lot: Lot, inspections: list[InspectionLot]) -> str:
    """Why a production lot may not go while its first article is not accepted; "" when it may."""
    firsts = [i for i in inspections if i.kind == InspectionKind.FIRST_ARTICLE]
    if not firsts:
        if _first_article_required(lot):
            return _(
                "The in-process plan asks for a first-article inspection and none was made for "
                "this lot (%(clause)s)."
            ) % {"clause": stock.CLAUSE_GATE}
        return ""
    latest = firsts[0]
    if latest.status == InspectionStatus.DECIDED and latest.decision in ACCEPTED:
        return ""
    if latest.status == InspectionStatus.DECIDED:
        return _(
            "The first article %(number)s was rejected; the production lot is blocked until a "
            "first article is accepted (%(clause)s)."
        ) % {"number": latest.number, "clause": stock.CLAUSE_GATE}
    return _(
        "The first article %(number)s has not been accepted yet; the production lot is blocked "
        "until it is (%(clause)s)."
    ) % {"number": latest.number, "clause": stock.CLAUSE_GATE}


def lot_verdict(lot: Lot) -> InspectionVerdict | None:
    """The latest usage decision on the lot at its own gate, and what blocks it."""
    gate = stock.lot_gate(lot)
    inspections = list(
        InspectionLot.objects.filter(lot_id=lot.pk, voided_at__isnull=True)
        .only("number", "gate", "kind", "status", "decision", "decided_at", "created_at")
        .order_by("-created_at", "-id")
    )
    if not inspections:
        return None
    decided = [
        i
        for i in inspections
        if i.gate == gate and i.kind == InspectionKind.LOT and i.status == InspectionStatus.DECIDED
    ]
    latest = decided[0] if decided else None
    blocks: tuple[str, ...] = ()
    if lot.origin == LotOrigin.PRODUCTION:
        block = _first_article_block(lot, inspections)
        blocks = (block,) if block else ()
    return InspectionVerdict(
        decision=str(latest.decision) if latest is not None else "",
        reference=latest.number if latest is not None else "",
        blocks=blocks,
        partial=tuple(i.number for i in inspections if i.kind != InspectionKind.LOT),
    )
