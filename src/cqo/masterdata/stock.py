"""The gate (§6 e)): a lot's stock status, its holds, and the shipments that take lots out.

A lot is in quarantine until a usage decision releases it (``lot_accept``: released, or
conditionally released under a concession) or rejects it (``lot_reject``). A hold (an anomaly, a
recall, the CQO's veto) puts it on ``held`` and remembers the status underneath; lifting the last
open hold gives that status back. A manual release (``lot_release``) is refused while the lot is
not accepted when the item's gate blocks, and is let through with a recorded warning when it
warns; a held, rejected or vetoed lot is never released by hand. A shipment is released only
when every lot in it is released and none is held or vetoed, and the release is a decision the
CQO may veto (§6 i)).

What the inspection found is not master data: the domain that inspects tells the gate through
``lot_verdict_register`` (the decision at the lot's gate, and anything that blocks it, such as a
first article not accepted), so this module never imports a domain app.

A veto on a lot is carried by a hold of its own (source ``veto:<id>``), placed when the veto is
imposed and lifted when the CQO lifts it: the lot shows as held, a usage decision reached under
the veto waits underneath, and lifting the veto gives the lot the status it earned meanwhile.

Every service: keyword-only, ``actor`` first, the permission checked first, one transaction,
one audit event per change; webhooks (``cqo.api.webhooks``) go out after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cqo.api.webhooks import webhook_emit, webhook_event_register
from cqo.audit.services import audit_record, snapshot
from cqo.authorities.vetoable import VETO_CLAUSE, veto_active_for, veto_refuse_if_active
from cqo.core.clauses import UnknownClauseError, clause
from cqo.core.exceptions import ConflictError
from cqo.core.permissions import require
from cqo.core.sod import sod_check
from cqo.core.texts import encode, render, stored

from . import events
from .models import (
    Customer,
    Gate,
    GateBehaviour,
    Lot,
    LotHold,
    LotOrigin,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    StockStatus,
)

CLAUSE_GATE = clause("§6 e)")
CLAUSE_CONCESSION = clause("§6 c)")

RELEASED = (StockStatus.RELEASED, StockStatus.CONDITIONAL)
VETO_SOURCE = "veto:"
RECALL_SOURCE = "recall:"
CLAUSE_RECALL = clause("§7.2.1.4")

# Webhook events (``cqo.api.webhooks``) the gate sends, with their labels and clauses.
WEBHOOK_EVENTS = (
    ("lot.released", gettext_lazy("Lot released"), CLAUSE_GATE),
    ("lot.rejected", gettext_lazy("Lot rejected"), CLAUSE_GATE),
    ("lot.held", gettext_lazy("Lot held"), CLAUSE_GATE),
    ("lot.hold_lifted", gettext_lazy("Hold on a lot lifted"), CLAUSE_GATE),
    ("lot.vetoed", gettext_lazy("Lot release vetoed"), VETO_CLAUSE),
    ("shipment.released", gettext_lazy("Shipment released"), CLAUSE_GATE),
    ("shipment.vetoed", gettext_lazy("Shipment release vetoed"), VETO_CLAUSE),
)

AUDIT_ACTIONS: dict[str, Promise | str] = {
    "masterdata.lot.accept": gettext_lazy("Lot accepted at the gate"),
    "masterdata.lot.reject": gettext_lazy("Lot rejected at the gate"),
    "masterdata.lot.release": gettext_lazy("Lot released"),
    "masterdata.lot.release_warned": gettext_lazy("Lot released with a warning"),
    "masterdata.lot.hold": gettext_lazy("Hold placed on a lot"),
    "masterdata.lot.hold_lift": gettext_lazy("Hold on a lot lifted"),
    "masterdata.shipment.create": gettext_lazy("Shipment created"),
    "masterdata.shipment.line_add": gettext_lazy("Lot added to a shipment"),
    "masterdata.shipment.release": gettext_lazy("Shipment released"),
    "masterdata.shipment.release_warned": gettext_lazy("Shipment released with a warning"),
    "masterdata.shipment.ship": gettext_lazy("Shipment shipped"),
}


# --- what the inspection says about a lot (filled from above) --------------------------------


@dataclass(frozen=True)
class InspectionVerdict:
    """The inspecting domain's word on a lot at its gate.

    ``decision``: "accept", "conditional", "reject", or "" while none is made; ``reference``:
    the inspection record that made it; ``blocks``: reasons no release may pass whatever the
    item's gate behaviour (a first article not accepted holds the production lot); ``partial``:
    the inspection records that judge only part of the run (a first article, a patrol, a last
    piece), whose acceptance does not release the lot."""

    decision: str = ""
    reference: str = ""
    blocks: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.decision in ("accept", "conditional")


_VERDICTS: list[Callable[[Lot], InspectionVerdict | None]] = []


def lot_verdict_register(source: Callable[[Lot], InspectionVerdict | None]) -> None:
    """Called from a domain's ``ready()``: ``source(lot)`` answers what its inspection found."""
    if source not in _VERDICTS:
        _VERDICTS.append(source)


def lot_verdict(lot: Lot) -> InspectionVerdict:
    decision, reference = "", ""
    blocks: list[str] = []
    partial: list[str] = []
    for source in _VERDICTS:
        verdict = source(lot)
        if verdict is None:
            continue
        if verdict.decision and not decision:
            decision, reference = verdict.decision, verdict.reference
        blocks.extend(verdict.blocks)
        partial.extend(verdict.partial)
    return InspectionVerdict(
        decision=decision, reference=reference, blocks=tuple(blocks), partial=tuple(partial)
    )


# --- reading a lot's state ---------------------------------------------------------------------


def lot_gate(lot: Lot) -> str:
    """The gate whose behaviour governs a lot's own release: incoming for a receipt, in-process
    for a lot made on a line."""
    return Gate.IQC if lot.origin == LotOrigin.RECEIPT else Gate.IPQC


def holds_open(lot: Lot) -> models.QuerySet[LotHold]:
    return LotHold.objects.filter(lot=lot, lifted_at__isnull=True, voided_at__isnull=True)


def status_underneath(lot: Lot, holds: list[LotHold] | None = None) -> str:
    """The status a held lot goes back to when its last hold is lifted; else its status."""
    if lot.stock_status != StockStatus.HELD:
        return str(lot.stock_status)
    if holds is None:
        holds = list(holds_open(lot).order_by("placed_at", "id")[:1])
    return str(holds[0].status_before) if holds else StockStatus.QUARANTINE


def _status_label(status: str) -> str:
    return str(StockStatus(status).label) if status in StockStatus.values else status


def _gate_label(gate: str) -> str:
    return str(Gate(gate).label)


def hold_text(hold: LotHold) -> str:
    """A hold's reason in the reader's language (a veto's hold is stored as system text)."""
    return render(hold.reason)


def _hold_line(hold: LotHold) -> str:
    return _("Held: %(reason)s (%(clause)s)") % {"reason": hold_text(hold), "clause": hold.clause}


@dataclass
class Obstacles:
    """Why a lot may not be released (``refusals``: nothing lets it through; ``warnings``: a
    release goes through and is recorded with them)."""

    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    veto: Any = None
    holds: list[LotHold] = field(default_factory=list)
    blocked: bool = False  # refused by the gate behaviour (not accepted, block item)


def lot_obstacles(
    lot: Lot, *, verdict: InspectionVerdict | None = None, gate: str | None = None
) -> Obstacles:
    """Everything that stands between ``lot`` and a release at ``gate`` (its own by default),
    in the reader's language. A lot already released has none."""
    found = Obstacles()
    verdict = verdict if verdict is not None else lot_verdict(lot)
    gate = gate or lot_gate(lot)
    found.veto = veto_active_for(lot)
    if found.veto is not None:
        found.refusals.append(
            _("The CQO has vetoed this lot's release (%(clause)s): %(reason)s")
            % {"clause": VETO_CLAUSE, "reason": found.veto.reason}
        )
    found.holds = list(holds_open(lot).select_related("placed_by").order_by("placed_at", "id"))
    for hold in found.holds:
        if not hold.source.startswith(VETO_SOURCE):
            found.refusals.append(_hold_line(hold))
    underneath = status_underneath(lot, found.holds)
    found.refusals.extend(verdict.blocks)
    if underneath == StockStatus.REJECTED:
        found.refusals.append(
            _("The lot was rejected at inspection%(ref)s; only a concession (%(clause)s) can "
              "release it.")
            % {"ref": f" ({verdict.reference})" if verdict.reference else "",
               "clause": CLAUSE_CONCESSION}
        )  # fmt: skip
    elif underneath not in RELEASED and not verdict.accepted:
        behaviour = lot.item.gate_behaviour(gate)
        values = {
            "gate": _gate_label(gate),
            "item": lot.item.part_number,
            "clause": CLAUSE_GATE,
        }
        if behaviour == GateBehaviour.WARN:
            found.warnings.append(
                _("Not accepted at the %(gate)s gate yet; item %(item)s is set to warn, so a "
                  "release is recorded with this warning (%(clause)s).") % values
            )  # fmt: skip
        else:
            found.blocked = True
            found.refusals.append(
                _("Not accepted at the %(gate)s gate yet; item %(item)s is set to block, so it "
                  "cannot be released until it is accepted (%(clause)s).") % values
            )  # fmt: skip
    return found


def release_warnings(lot: Lot) -> list[dict[str, Any]]:
    """The warnings recorded when the lot was released before it was accepted."""
    from cqo.audit.models import AuditEvent

    return [
        {"at": e.occurred_at, "by": e.actor_repr, "text": render(e.reason)}
        for e in AuditEvent.objects.filter(
            object_type=lot._meta.label_lower,
            object_id=str(lot.pk),
            action="masterdata.lot.release_warned",
        ).order_by("seq")
    ]


def _veto_json(veto: Any) -> dict[str, Any] | None:
    if veto is None:
        return None
    return {
        "reason": veto.reason,
        "clause": VETO_CLAUSE,
        "vetoed_at": veto.vetoed_at,
        "vetoed_by": str(veto.vetoed_by) if veto.vetoed_by_id else "",
    }


def _hold_json(hold: LotHold) -> dict[str, Any]:
    return {
        "id": hold.pk,
        "reason": hold_text(hold),
        "clause": hold.clause,
        "source": hold.source,
        "placed_at": hold.placed_at,
        "placed_by": str(hold.placed_by) if hold.placed_by_id else "",
    }


def lot_release_status(lot: Lot) -> dict[str, Any]:
    """What an ERP or MES asks before it uses or ships a lot, in the reader's language."""
    verdict = lot_verdict(lot)
    status = str(lot.stock_status)
    released = status in RELEASED
    found = Obstacles() if released else lot_obstacles(lot, verdict=verdict)
    if released:
        found.veto = veto_active_for(lot)
        found.holds = list(holds_open(lot))
    return {
        "lot": lot.number,
        "item": lot.item.part_number,
        "gate": lot_gate(lot),
        "gate_behaviour": lot.item.gate_behaviour(lot_gate(lot)),
        "gate_behaviour_label": str(GateBehaviour(lot.item.gate_behaviour(lot_gate(lot))).label),
        "status": status,
        "status_label": _status_label(status),
        "released": released,
        "conditional": status == StockStatus.CONDITIONAL,
        "vetoed": found.veto is not None,
        "veto": _veto_json(found.veto),
        "holds": [_hold_json(h) for h in found.holds],
        "decision": verdict.decision,
        "inspection": verdict.reference,
        "reasons": found.refusals,
        "warnings": found.warnings,
        "may_release": not released and not found.refusals,
    }


# --- webhooks and events -------------------------------------------------------------------------


def _announce(event: str, payload: dict[str, Any]) -> None:
    """One webhook event, written in this transaction and sent after commit."""
    webhook_emit(event=event, payload=payload)


def _lot_payload(lot: Lot, **extra: Any) -> dict[str, Any]:
    return {
        "lot": lot.number,
        "lot_id": lot.pk,
        "item": lot.item.part_number,
        "status": lot.stock_status,
        **extra,
    }


def _shipment_payload(shipment: Shipment, **extra: Any) -> dict[str, Any]:
    return {
        "shipment": shipment.number,
        "shipment_id": shipment.pk,
        "customer": shipment.customer.code,
        "order_number": shipment.order_number,
        "status": shipment.status,
        **extra,
    }


def _released_announce(lot: Lot, actor: Any, *, reason: str = "") -> None:
    conditional = lot.stock_status == StockStatus.CONDITIONAL
    events.lot_released.send(sender=None, lot=lot, actor=actor, conditional=conditional)
    _announce("lot.released", _lot_payload(lot, conditional=conditional, reason=reason))


# --- the lot's stock status ---------------------------------------------------------------------


def _lot_locked(lot: Lot) -> Lot:
    locked = Lot._base_manager.select_for_update().select_related("item").get(pk=lot.pk)
    if locked.voided_at is not None:
        raise ValidationError({"lot": _("This lot was voided.")})
    return locked


def _reason_required(reason: Any, message: str) -> str:
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationError({"reason": message})
    return text


def _status_set(actor: Any, lot: Lot, status: str, *, action: str, reason: Any) -> bool:
    """Give ``lot`` its new status, or, while it is held, keep it for when the holds are lifted.
    True when the lot's own status changed."""
    before = snapshot(lot)
    holds = list(holds_open(lot))
    if holds:
        for hold in holds:
            hold.status_before = status
            hold.save(update_fields=["status_before"])
        moved = False
    else:
        lot.stock_status = status
        lot.save(update_fields=["stock_status"])
        moved = True
    after = snapshot(lot)
    if holds:
        after["status_after_holds"] = status
    audit_record(
        actor=actor, action=action, obj=lot, before=before, after=after,
        reason=encode(reason), clause=CLAUSE_GATE,
    )  # fmt: skip
    return moved


@transaction.atomic
def lot_accept(*, actor: Any, lot: Lot, inspection_ref: str, conditional: bool = False) -> Lot:
    """A usage decision accepted the lot (``conditional``: under an approved concession): it is
    released, or conditionally released. A held lot stays held and gets that status back when
    its last hold is lifted; under a veto the lot is held by the veto's own hold, so the same.
    An inspection of part of the run (a first article, a patrol) releases nothing, and nor does
    an acceptance while something blocks the lot (its first article not accepted): both are
    recorded, and the lot keeps its status."""
    require(actor, "masterdata.accept_lot", lot, clause=CLAUSE_GATE)
    locked = _lot_locked(lot)
    target = StockStatus.CONDITIONAL if conditional else StockStatus.RELEASED
    verdict = lot_verdict(locked)
    ref = str(inspection_ref or "")
    why: Any = None
    if ref in verdict.partial:
        if verdict.blocks or not verdict.accepted:
            why = stored(
                gettext_noop("%(ref)s accepted; it judges part of the run and releases nothing."),
                ref=ref,
            )
        else:
            # The lot's own inspection accepted it earlier; this part was what still blocked it.
            target = (
                StockStatus.CONDITIONAL
                if verdict.decision == "conditional"
                else StockStatus.RELEASED
            )
    elif verdict.blocks:
        why = stored(
            gettext_noop("Usage decision %(ref)s; release blocked: %(blocks)s"),
            ref=ref, blocks=" ".join(verdict.blocks),
        )  # fmt: skip
    if why is not None:
        audit_record(
            actor=actor, action="masterdata.lot.accept", obj=locked, before=snapshot(locked),
            after=snapshot(locked), reason=encode(why), clause=CLAUSE_GATE,
        )  # fmt: skip
        return locked
    if veto_active_for(locked) is not None and not holds_open(locked).exists():
        # A veto imposed before the gate held vetoed lots: the decision is recorded, and the lot
        # waits in its status until the CQO lifts the veto and someone releases it.
        audit_record(
            actor=actor, action="masterdata.lot.accept", obj=locked, before=snapshot(locked),
            after={**snapshot(locked), "status_after_veto": target},
            reason=encode(stored(gettext_noop("Usage decision %(ref)s; release held by a veto."),
                                 ref=inspection_ref)),
            clause=CLAUSE_GATE,
        )  # fmt: skip
        return locked
    reason = stored(gettext_noop("Usage decision %(ref)s"), ref=str(inspection_ref or ""))
    if _status_set(actor, locked, target, action="masterdata.lot.accept", reason=reason):
        _released_announce(locked, actor, reason=str(inspection_ref or ""))
    return locked


@transaction.atomic
def lot_reject(*, actor: Any, lot: Lot, inspection_ref: str, reason: str) -> Lot:
    """A usage decision rejected the lot: it is blocked (the deciding domain sends
    ``events.lot_rejected``, which opens the nonconformance)."""
    require(actor, "masterdata.reject_lot", lot, clause=CLAUSE_GATE)
    text = _reason_required(reason, _("Say why the lot is rejected."))
    locked = _lot_locked(lot)
    _status_set(
        actor, locked, StockStatus.REJECTED, action="masterdata.lot.reject",
        reason=f"{inspection_ref}: {text}" if inspection_ref else text,
    )  # fmt: skip
    _announce(
        "lot.rejected", _lot_payload(locked, inspection=str(inspection_ref or ""), reason=text)
    )
    return locked


@transaction.atomic
def lot_release(*, actor: Any, lot: Lot, reason: str = "") -> Lot:
    """Release a lot by hand for use or shipment (§6 e)). Refused under a veto (§6 i)), while
    held, once rejected, when something blocks it (a first article not accepted), and while it
    is not accepted when the item's gate blocks; when the gate warns, the release goes through
    and the warning is recorded with it."""
    require(actor, "masterdata.release_lot", lot, clause=CLAUSE_GATE)
    locked = _lot_locked(lot)
    veto_refuse_if_active(locked)
    if locked.stock_status in RELEASED:
        raise ValidationError(
            {"lot": _("The lot is already %(status)s.")
             % {"status": _status_label(locked.stock_status).lower()}}
        )  # fmt: skip
    verdict = lot_verdict(locked)
    found = lot_obstacles(locked, verdict=verdict)
    if found.refusals:
        raise ConflictError(" ".join(found.refusals), clause=CLAUSE_GATE)
    target = StockStatus.CONDITIONAL if verdict.decision == "conditional" else StockStatus.RELEASED
    text = (reason or "").strip()
    _status_set(actor, locked, target, action="masterdata.lot.release", reason=text)
    if found.warnings:
        audit_record(
            actor=actor, action="masterdata.lot.release_warned", obj=locked,
            after={"stock_status": target, "gate": lot_gate(locked)},
            reason=encode(_warning_stored(locked)), clause=CLAUSE_GATE,
        )  # fmt: skip
    _released_announce(locked, actor, reason=text)
    return locked


def _warning_stored(lot: Lot, gate: str | None = None) -> Any:
    gate = gate or lot_gate(lot)
    return stored(
        gettext_noop("Released before it was accepted at the %(gate)s gate: item %(item)s is set "
                     "to warn (%(clause)s)."),
        gate=Gate(gate).label, item=lot.item.part_number, clause=CLAUSE_GATE,
    )  # fmt: skip


# --- holds ---------------------------------------------------------------------------------------


def _clause_checked(value: Any) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({"clause": _("Name the clause the hold is placed under.")})
    try:
        return clause(text)
    except UnknownClauseError:
        raise ValidationError(
            {"clause": _("“%(clause)s” is not a clause of the standard.") % {"clause": text}}
        ) from None


def _hold_create(actor: Any, lot: Lot, *, reason: Any, clause_code: str, source: str) -> LotHold:
    before = snapshot(lot)
    holds = list(holds_open(lot).order_by("placed_at", "id")[:1])
    hold = LotHold(
        lot=lot,
        reason=encode(reason),
        clause=clause_code,
        source=(source or "")[:60],
        status_before=status_underneath(lot, holds),
        placed_by=actor,
    )
    hold.full_clean(exclude=["placed_by"])
    hold.save()
    if lot.stock_status != StockStatus.HELD:
        lot.stock_status = StockStatus.HELD
        lot.save(update_fields=["stock_status"])
    audit_record(
        actor=actor, action="masterdata.lot.hold", obj=lot, before=before,
        after={**snapshot(lot), "hold": snapshot(hold)}, reason=encode(reason),
        clause=clause_code,
    )  # fmt: skip
    _announce(
        "lot.held",
        _lot_payload(lot, hold=hold.pk, reason=render(hold.reason), clause=clause_code,
                     source=hold.source),
    )  # fmt: skip
    return hold


@transaction.atomic
def lot_hold_place(*, actor: Any, lot: Lot, reason: str, clause: str, source: str = "") -> LotHold:
    """Hold a lot (an anomaly, a recall, a doubt): it cannot be released until every open hold
    is lifted. ``clause`` is the standard's clause the hold is placed under."""
    require(actor, "masterdata.add_lothold", lot, clause=CLAUSE_GATE)
    text = _reason_required(reason, _("Say why the lot is held."))
    code = _clause_checked(clause)
    locked = _lot_locked(lot)
    if (source or "").startswith(VETO_SOURCE):
        raise ValidationError({"source": _("Only a veto places a veto's hold.")})
    return _hold_create(actor, locked, reason=text, clause_code=code, source=source)


def _hold_lift(actor: Any, hold: LotHold, *, reason: Any) -> LotHold:
    lot = _lot_locked(hold.lot)
    locked = LotHold._base_manager.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None or locked.voided_at is not None:
        raise ValidationError({"hold": _("This hold has already been lifted.")})
    before = snapshot(lot)
    locked.lifted_at = timezone.now()
    locked.lifted_by = actor
    locked.lift_reason = encode(reason)
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    if not holds_open(lot).exists():
        lot.stock_status = locked.status_before
        lot.save(update_fields=["stock_status"])
    audit_record(
        actor=actor, action="masterdata.lot.hold_lift", obj=lot, before=before,
        after={**snapshot(lot), "hold": snapshot(locked)}, reason=encode(reason),
        clause=locked.clause,
    )  # fmt: skip
    _announce(
        "lot.hold_lifted",
        _lot_payload(lot, hold=locked.pk, reason=render(locked.lift_reason),
                     clause=locked.clause),
    )  # fmt: skip
    if lot.stock_status in RELEASED:
        _released_announce(lot, actor, reason=render(locked.lift_reason))
    return locked


@transaction.atomic
def lot_hold_lift(*, actor: Any, hold: LotHold, reason: str) -> LotHold:
    """Lift a hold, with a reason. The last open hold gives the lot back the status it had
    underneath (or the one a usage decision gave it meanwhile). A veto's hold is lifted only
    with the veto, by the CQO (§6 i))."""
    require(actor, "masterdata.lift_lothold", hold, clause=CLAUSE_GATE)
    if hold.source.startswith(RECALL_SOURCE):
        # A recall's hold is released by the CQO alone (§7.2.1.4), always with a reason.
        require(actor, "masterdata.lift_recall_hold", hold, clause=CLAUSE_RECALL)
    text = _reason_required(reason, _("Say why the hold is lifted."))
    if hold.source.startswith(VETO_SOURCE):
        raise ConflictError(
            _("This hold is the CQO's one-vote veto (%(clause)s); it is lifted when the CQO lifts "
              "the veto.") % {"clause": VETO_CLAUSE},
            clause=VETO_CLAUSE,
        )  # fmt: skip
    return _hold_lift(actor, hold, reason=text)


# --- the veto on a lot or a shipment (§6 i)) -----------------------------------------------------


def _veto_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A veto imposed on a lot holds it; lifted, its hold is lifted. Both kinds are announced."""
    if kwargs.get("raw"):
        return
    model = instance.content_type.model_class()
    if model not in (Lot, Shipment):
        return
    subject = model._base_manager.filter(pk=instance.object_id).first()
    if subject is None:
        return
    if model is Shipment:
        if created:
            _announce(
                "shipment.vetoed",
                _shipment_payload(subject, reason=instance.reason, clause=VETO_CLAUSE),
            )
        return
    source = f"{VETO_SOURCE}{instance.pk}"
    if created:
        lot = _lot_locked(subject)
        _hold_create(
            instance.vetoed_by, lot,
            reason=stored(gettext_noop("One-vote veto by the CQO: %(reason)s"),
                          reason=instance.reason),
            clause_code=VETO_CLAUSE, source=source,
        )  # fmt: skip
        _announce("lot.vetoed", _lot_payload(lot, reason=instance.reason, clause=VETO_CLAUSE))
    elif instance.lifted_at is not None:
        for hold in holds_open(subject).filter(source=source):
            _hold_lift(
                instance.lifted_by, hold,
                reason=stored(gettext_noop("The CQO lifted the veto: %(reason)s"),
                              reason=instance.lift_reason),
            )  # fmt: skip


# --- shipments -----------------------------------------------------------------------------------


def _number_new(planned_on: datetime.date) -> str:
    prefix = f"SH{planned_on:%Y%m%d}-"
    taken = Shipment._base_manager.filter(number__startswith=prefix).count()
    n = taken + 1
    while Shipment._base_manager.filter(number=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def shipment_create(
    *,
    actor: Any,
    customer: Customer,
    planned_on: datetime.date,
    order_number: str = "",
    number: str = "",
) -> Shipment:
    """A shipment to a customer, in draft until its lots are released (§6 e))."""
    require(actor, "masterdata.add_shipment", clause=CLAUSE_GATE)
    if customer is None or getattr(customer, "voided_at", None) is not None:
        raise ValidationError({"customer": _("Choose a customer that is still in use.")})
    if not isinstance(planned_on, datetime.date):
        raise ValidationError({"planned_on": _("Give the planned shipping date.")})
    number = (number or "").strip()
    if number and Shipment._base_manager.filter(number=number).exists():
        raise ValidationError(
            {"number": _("Shipment %(number)s already exists.") % {"number": number}}
        )
    shipment = Shipment(
        number=number or _number_new(planned_on),
        customer=customer,
        order_number=(order_number or "").strip(),
        planned_on=planned_on,
        created_by=actor,
    )
    shipment.full_clean(exclude=["created_by"])
    shipment.save()
    audit_record(
        actor=actor, action="masterdata.shipment.create", obj=shipment,
        after=snapshot(shipment), clause=CLAUSE_GATE,
    )  # fmt: skip
    return shipment


def _shipment_locked(shipment: Shipment) -> Shipment:
    locked = (
        Shipment._base_manager.select_for_update().select_related("customer").get(pk=shipment.pk)
    )
    if locked.voided_at is not None:
        raise ValidationError({"shipment": _("This shipment was voided.")})
    return locked


def _quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"quantity": _("Give the quantity as a number.")}) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be greater than zero.")})
    if quantity != quantity.quantize(Decimal("0.001")) or quantity >= Decimal("1e11"):
        raise ValidationError({"quantity": _("Give the quantity with at most three decimals.")})
    return quantity


def shipment_lines(shipment: Shipment) -> models.QuerySet[ShipmentLine]:
    return ShipmentLine.objects.filter(shipment=shipment, voided_at__isnull=True).select_related(
        "lot", "lot__item"
    )


@transaction.atomic
def shipment_line_add(*, actor: Any, shipment: Shipment, lot: Lot, quantity: Any) -> ShipmentLine:
    """Put a quantity of a lot on a draft shipment; no more than the lot has left to ship."""
    require(actor, "masterdata.change_shipment", shipment, clause=CLAUSE_GATE)
    locked = _shipment_locked(shipment)
    if locked.status != ShipmentStatus.DRAFT:
        raise ValidationError({"shipment": _("Lots are added while the shipment is a draft.")})
    amount = _quantity(quantity)
    lot = _lot_locked(lot)
    if ShipmentLine.objects.filter(shipment=locked, lot=lot, voided_at__isnull=True).exists():
        raise ValidationError(
            {"lot": _("Lot %(lot)s is already on this shipment.") % {"lot": lot.number}}
        )
    if lot.stock_status == StockStatus.REJECTED:
        raise ValidationError(
            {"lot": _("Lot %(lot)s was rejected at inspection; it cannot be shipped.")
             % {"lot": lot.number}}
        )  # fmt: skip
    taken = ShipmentLine.objects.filter(lot=lot, voided_at__isnull=True).aggregate(
        total=models.Sum("quantity")
    )["total"] or Decimal(0)
    left = lot.quantity - taken
    if amount > left:
        raise ValidationError(
            {"quantity": _("Lot %(lot)s has %(left)s left to ship; %(asked)s is more.")
             % {"lot": lot.number, "left": left.normalize(), "asked": amount.normalize()}}
        )  # fmt: skip
    line = ShipmentLine(shipment=locked, lot=lot, quantity=amount)
    line.full_clean()
    line.save()
    audit_record(
        actor=actor, action="masterdata.shipment.line_add", obj=locked,
        after={"line": snapshot(line), "lot": lot.number}, clause=CLAUSE_GATE,
    )  # fmt: skip
    return line


def shipment_obstacles(shipment: Shipment) -> Obstacles:
    """Why the shipment may not be released: each lot not released (its item's outgoing gate
    blocks or warns), held, rejected or vetoed; no lots at all."""
    found = Obstacles()
    lines = list(shipment_lines(shipment))
    if not lines:
        found.refusals.append(_("The shipment has no lots yet."))
    for line in lines:
        lot = line.lot
        # A released lot cannot be vetoed (its release is final); a veto or a hold placed
        # later shows as "held".
        if lot.stock_status in RELEASED:
            continue
        each = lot_obstacles(lot, gate=Gate.OQC)
        for text in each.refusals:
            found.refusals.append(
                _("Lot %(lot)s: %(reason)s") % {"lot": lot.number, "reason": text}
            )
        for text in each.warnings:
            found.warnings.append(
                _("Lot %(lot)s: %(reason)s") % {"lot": lot.number, "reason": text}
            )
    return found


@transaction.atomic
def shipment_release(*, actor: Any, shipment: Shipment, reason: str = "") -> Shipment:
    """Release a shipment (OQC, §6 e)): only when every lot in it is released and none is
    held or vetoed; refused while the CQO's veto holds it (§6 i)). Whoever made the shipment
    does not release it."""
    require(actor, "masterdata.release_shipment", shipment, clause=CLAUSE_GATE)
    locked = _shipment_locked(shipment)
    veto_refuse_if_active(locked)
    if locked.status != ShipmentStatus.DRAFT:
        raise ValidationError({"shipment": _("Only a draft shipment can be released.")})
    sod_check(actor=actor, raised_by=locked.created_by_id, clause=CLAUSE_GATE)
    found = shipment_obstacles(locked)
    if found.refusals:
        raise ConflictError(" ".join(found.refusals), clause=CLAUSE_GATE)
    before = snapshot(locked)
    locked.status = ShipmentStatus.RELEASED
    locked.released_by = actor
    locked.released_at = timezone.now()
    locked.save(update_fields=["status", "released_by", "released_at"])
    audit_record(
        actor=actor, action="masterdata.shipment.release", obj=locked, before=before,
        after=snapshot(locked), reason=(reason or "").strip(), clause=CLAUSE_GATE,
    )  # fmt: skip
    for line in shipment_lines(locked):
        lot = line.lot
        if lot.stock_status not in RELEASED:
            audit_record(
                actor=actor, action="masterdata.shipment.release_warned", obj=locked,
                after={"lot": lot.number, "stock_status": lot.stock_status},
                reason=encode(_warning_stored(lot, Gate.OQC)), clause=CLAUSE_GATE,
            )  # fmt: skip
    _announce(
        "shipment.released",
        _shipment_payload(
            locked,
            lots=[line.lot.number for line in shipment_lines(locked)],
            warnings=len(found.warnings),
        ),
    )
    return locked


@transaction.atomic
def shipment_ship(*, actor: Any, shipment: Shipment) -> Shipment:
    """Record that a released shipment left; refused under a veto (§6 i)) or when a lot in it
    has since been held, rejected or vetoed."""
    require(actor, "masterdata.ship_shipment", shipment, clause=CLAUSE_GATE)
    locked = _shipment_locked(shipment)
    veto_refuse_if_active(locked)
    if locked.status != ShipmentStatus.RELEASED:
        raise ValidationError({"shipment": _("Only a released shipment can be shipped.")})
    stopped = []
    for line in shipment_lines(locked):
        lot = line.lot
        if lot.stock_status in (StockStatus.HELD, StockStatus.REJECTED) or veto_active_for(lot):
            stopped.append(
                _("Lot %(lot)s is %(status)s.")
                % {"lot": lot.number, "status": _status_label(lot.stock_status).lower()}
            )
    if stopped:
        raise ConflictError(" ".join(stopped), clause=CLAUSE_GATE)
    before = snapshot(locked)
    locked.status = ShipmentStatus.SHIPPED
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor, action="masterdata.shipment.ship", obj=locked, before=before,
        after=snapshot(locked), clause=CLAUSE_GATE,
    )  # fmt: skip
    return locked


def shipment_release_status(shipment: Shipment) -> dict[str, Any]:
    """What an ERP asks before it ships: may this shipment go, and if not, why."""
    veto = veto_active_for(shipment)
    lines = list(shipment_lines(shipment))
    released = shipment.status in (ShipmentStatus.RELEASED, ShipmentStatus.SHIPPED)
    found = Obstacles() if released else shipment_obstacles(shipment)
    reasons = list(found.refusals)
    if veto is not None:
        reasons.insert(
            0,
            _("The CQO has vetoed this shipment (%(clause)s): %(reason)s")
            % {"clause": VETO_CLAUSE, "reason": veto.reason},
        )
    return {
        "shipment": shipment.number,
        "customer": shipment.customer.code,
        "order_number": shipment.order_number,
        "planned_on": shipment.planned_on,
        "status": shipment.status,
        "status_label": str(ShipmentStatus(shipment.status).label),
        "released": released and veto is None,
        "shipped": shipment.status == ShipmentStatus.SHIPPED,
        "vetoed": veto is not None,
        "veto": _veto_json(veto),
        "lots": [
            {
                "lot": line.lot.number,
                "item": line.lot.item.part_number,
                "quantity": line.quantity,
                "status": line.lot.stock_status,
                "released": line.lot.stock_status in RELEASED,
            }
            for line in lines
        ],
        "reasons": reasons,
        "warnings": found.warnings,
        "may_release": shipment.status == ShipmentStatus.DRAFT
        and veto is None
        and not found.refusals,
    }


# --- registration (from the master data's ``ready()``) -------------------------------------------


def register() -> None:
    from cqo.audit.labels import actions_register
    from cqo.authorities.models import Veto

    actions_register(AUDIT_ACTIONS)
    for code, label, clause_code in WEBHOOK_EVENTS:
        webhook_event_register(code, label, clause_code)
    post_save.connect(_veto_saved, sender=Veto, dispatch_uid="masterdata.stock.veto_saved")
