"""The review board (MRB) of a nonconformance: opinions, dispositions per quantity and their
approval by the CQO (§6 c)), the veto of a disposition (§6 i)), and the review policy.

Decisions taken here, and why:

* The dispositions of an NCR never cover more than its nonconforming quantity: each new one is
  checked against what the live ones (awaiting approval, decided or done) already cover, under
  a lock on the NCR so two board members cannot both take the last units.
* A disposition goes to the CQO (or a delegate of §6 c)) as an approval request of kind
  ``ncr_disposition`` when it is a concession, when the NCR's worst defect is critical (CR), or
  when its estimated cost or its quantity reaches the review policy's threshold. The others are
  the board's own decision and take effect at once. Nobody approves what they proposed
  (segregation of duties, in the approval engine).
* An approved concession releases the lot conditionally through ``masterdata.stock`` (the gate
  keeps the release behind any open hold, and a vetoed lot stays held).
* A disposition is vetoable: while a veto holds it, it is neither approved nor marked done
  (409 on the API).
* Marking a scrap, rework, repair or regrade done writes its cost (scrap quantity × unit cost,
  rework hours × rate, regrade quantity × loss per unit) as a cost entry on the NCR.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.authorities.models import ApprovalRequest, ApprovalStatus
from cqo.authorities.services import approval_request_raise
from cqo.authorities.vetoable import veto_refuse_if_active
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.masterdata import stock
from cqo.masterdata.models import DefectClass, Lot

from . import services_costs
from .models import (
    Anomaly,
    AnomalyLot,
    AnomalyStatus,
    Disposition,
    DispositionKind,
    DispositionStatus,
    OpinionStance,
    ReviewOpinion,
    ReviewPolicy,
)
from .models_mrb import LIVE_STATUSES

CLAUSE_MRB = clause("§6 c)")
CLAUSE_VETO = clause("§6 i)")

# ApprovalRequest.kind holds 20 characters.
KIND_DISPOSITION = "ncr_disposition"

MAX_QUANTITY = Decimal(10) ** 11
MAX_MONEY = Decimal(10) ** 11
CENT = Decimal("0.01")

# The cost item a completed disposition is typed with, and how its cost is reckoned.
COST_ITEM_OF_KIND = {
    DispositionKind.SCRAP: "i_scrap",
    DispositionKind.REWORK: "i_rework",
    DispositionKind.REPAIR: "i_rework",
    DispositionKind.REGRADE: "i_downgrade",
}
BY_HOURS = (DispositionKind.REWORK, DispositionKind.REPAIR)
BY_UNITS = (DispositionKind.SCRAP, DispositionKind.REGRADE)


def plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(
    value: Any, field: str, *, places: Decimal, required: bool = False, limit: Decimal = MAX_MONEY
) -> Decimal | None:
    """A positive number for ``field`` (a Decimal, a string typed in a form), or None when blank
    and not required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field: _("Give the quantity.")})
        return None
    if isinstance(value, bool):
        raise ValidationError({field: _("Give a number.")})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError({field: _("The number must be greater than zero.")})
    if number >= limit:
        raise ValidationError({field: _("The number is too large.")})
    return number.quantize(places)


# --- the review policy ---------------------------------------------------------------------------


def review_policy() -> ReviewPolicy:
    """The enterprise's policy: its one row, or the defaults while nobody has set it."""
    policy = ReviewPolicy.objects.order_by("pk").first()
    return policy if policy is not None else ReviewPolicy()


@transaction.atomic
def review_policy_update(
    *, actor: User, cost_threshold: Any, quantity_threshold: Any, reason: str
) -> ReviewPolicy:
    """The CQO sets the cost and quantity above which a disposition needs her approval."""
    require(actor, "anomalies.change_reviewpolicy", clause=CLAUSE_MRB)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the thresholds change.")})
    cost = _number(cost_threshold, "cost_threshold", places=CENT)
    quantity = _number(quantity_threshold, "quantity_threshold", places=Decimal("0.001"))
    policy = ReviewPolicy.objects.select_for_update().order_by("pk").first()
    if policy is None:
        policy = ReviewPolicy(cost_threshold=cost, quantity_threshold=quantity, updated_by=actor)
        policy.save()
        audit_record(
            actor=actor, action="anomalies.reviewpolicy.update", obj=policy,
            after=snapshot(policy), reason=reason, clause=CLAUSE_MRB,
        )  # fmt: skip
        return policy
    with audited_change(
        actor=actor, obj=policy, action="anomalies.reviewpolicy.update", clause=CLAUSE_MRB,
        reason=reason, lock=False,
    ) as locked:  # fmt: skip
        locked.cost_threshold = cost
        locked.quantity_threshold = quantity
        locked.updated_by = actor
    return locked


# --- the NCR as the board sees it ---------------------------------------------------------------


def _anomaly_locked(anomaly: Anomaly) -> Anomaly:
    locked = Anomaly._base_manager.select_for_update().get(pk=anomaly.pk)
    if locked.voided_at is not None:
        raise ValidationError({"anomaly": _("This NCR was voided.")})
    if locked.status == AnomalyStatus.CLOSED:
        raise ValidationError(
            {"anomaly": _("This NCR is closed (%(clause)s).") % {"clause": CLAUSE_MRB}}
        )
    return locked


def dispositioned_quantity(anomaly: Anomaly, *, statuses: Any = LIVE_STATUSES) -> Decimal:
    """What the NCR's live dispositions cover (awaiting approval, decided or done)."""
    total = Disposition.objects.filter(
        anomaly=anomaly, voided_at__isnull=True, status__in=statuses
    ).aggregate(q=Sum("quantity"))["q"]
    return Decimal(total or 0)


def quantity_left(anomaly: Anomaly) -> Decimal:
    return max(Decimal(anomaly.quantity or 0) - dispositioned_quantity(anomaly), Decimal(0))


def _status_move(actor: User, anomaly: Anomaly, status: str) -> None:
    with audited_change(
        actor=actor, obj=anomaly, action="anomalies.anomaly.status", clause=CLAUSE_MRB,
        update_fields=["status"], lock=False,
    ) as locked:  # fmt: skip
        locked.status = status


def _review_start(actor: User, anomaly: Anomaly) -> None:
    """The NCR is under review once the board has said or proposed something."""
    if anomaly.status in (AnomalyStatus.OPEN, AnomalyStatus.CONTAINED):
        _status_move(actor, anomaly, AnomalyStatus.REVIEW)


def _status_refresh(actor: User, anomaly: Anomaly) -> None:
    """Dispositioned once the whole quantity is decided and nothing waits for the CQO; back in
    review when a disposition is refused or voided and part of it is free again."""
    locked = Anomaly._base_manager.select_for_update().get(pk=anomaly.pk)
    if locked.status not in (AnomalyStatus.REVIEW, AnomalyStatus.DISPOSITIONED):
        return
    decided = dispositioned_quantity(
        locked, statuses=(DispositionStatus.DECIDED, DispositionStatus.DONE)
    )
    pending = Disposition.objects.filter(
        anomaly=locked, voided_at__isnull=True, status=DispositionStatus.SUBMITTED
    ).exists()
    complete = not pending and decided >= Decimal(locked.quantity or 0) and decided > 0
    target = AnomalyStatus.DISPOSITIONED if complete else AnomalyStatus.REVIEW
    if target != locked.status:
        _status_move(actor, locked, target)


# --- opinions ------------------------------------------------------------------------------------


@transaction.atomic
def opinion_record(
    *,
    actor: User,
    anomaly: Anomaly,
    text: str,
    stance: str = OpinionStance.AGREE,
    recommendation: str = "",
    role: str = "",
) -> ReviewOpinion:
    """A board member records their opinion on the NCR (§6 c))."""
    require(actor, "anomalies.add_reviewopinion", anomaly, clause=CLAUSE_MRB)
    locked = _anomaly_locked(anomaly)
    text = _text(text)
    if not text:
        raise ValidationError({"text": _("Write your opinion.")})
    if stance not in OpinionStance.values:
        raise ValidationError({"stance": _("Choose agree, agree with conditions, or disagree.")})
    recommendation = _text(recommendation)
    if recommendation and recommendation not in DispositionKind.values:
        raise ValidationError({"recommendation": _("Choose a disposition from the list.")})
    role = _text(role)
    if len(role) > 80:
        raise ValidationError({"role": _("At most 80 characters.")})
    opinion = ReviewOpinion(
        anomaly=locked,
        member=actor,
        role=role,
        recommendation=recommendation,
        stance=stance,
        text=text,
    )
    opinion.full_clean()
    opinion.save()
    audit_record(
        actor=actor, action="anomalies.reviewopinion.create", obj=opinion,
        after=snapshot(opinion), clause=CLAUSE_MRB,
    )  # fmt: skip
    _review_start(actor, locked)
    return opinion


def opinion_void(*, actor: User, opinion: ReviewOpinion, reason: str) -> Any:
    return record_void(
        actor=actor,
        record=opinion,
        reason=reason,
        perm="anomalies.void_reviewopinion",
        clause=CLAUSE_MRB,
    )


# --- dispositions --------------------------------------------------------------------------------


def estimated_cost(
    kind: str, quantity: Decimal, unit_cost: Decimal | None, hours: Decimal | None,
    hourly_rate: Decimal | None,
) -> Decimal:  # fmt: skip
    if kind in BY_UNITS and unit_cost is not None:
        return (quantity * unit_cost).quantize(CENT)
    if kind in BY_HOURS and hours is not None and hourly_rate is not None:
        return (hours * hourly_rate).quantize(CENT)
    return Decimal("0.00")


def approval_grounds(
    anomaly: Anomaly, kind: str, quantity: Decimal, cost: Decimal, policy: ReviewPolicy
) -> list[str]:
    """Why this disposition goes to the CQO (§6 c)); empty when the board decides it alone."""
    grounds: list[str] = []
    if kind == DispositionKind.CONCESSION:
        grounds.append(_("a concession"))
    if anomaly.defect_class == DefectClass.CR:
        grounds.append(_("a critical (CR) defect"))
    if policy.cost_threshold is not None and cost >= policy.cost_threshold:
        grounds.append(
            _("estimated cost %(cost)s yuan at or above the threshold of %(limit)s")
            % {"cost": plain(cost), "limit": plain(policy.cost_threshold)}
        )
    if policy.quantity_threshold is not None and quantity >= policy.quantity_threshold:
        grounds.append(
            _("quantity %(quantity)s at or above the threshold of %(limit)s")
            % {"quantity": plain(quantity), "limit": plain(policy.quantity_threshold)}
        )
    return grounds


def anomaly_lots(anomaly: Anomaly) -> list[Lot]:
    rows = AnomalyLot.objects.filter(anomaly=anomaly, voided_at__isnull=True).select_related(
        "lot__item"
    )
    return [row.lot for row in rows]


def _lot_choose(anomaly: Anomaly, kind: str, lot: Any) -> Lot | None:
    lots = anomaly_lots(anomaly)
    if lot in (None, ""):
        if kind == DispositionKind.CONCESSION and len(lots) == 1:
            return lots[0]
        if kind == DispositionKind.CONCESSION and len(lots) > 1:
            raise ValidationError(
                {"lot": _("Name the lot the concession releases (%(clause)s).")
                 % {"clause": CLAUSE_MRB}}
            )  # fmt: skip
        return None
    lot_pk = getattr(lot, "pk", lot)
    for candidate in lots:
        if str(candidate.pk) == str(lot_pk):
            return candidate
    raise ValidationError({"lot": _("Choose one of the NCR's lots.")})


def _summary(anomaly: Anomaly, disposition: Disposition) -> str:
    uom = getattr(getattr(anomaly, "item", None), "uom", "") or ""
    return _("%(ncr)s: %(kind)s of %(quantity)s %(uom)s — %(reason)s") % {
        "ncr": anomaly.number,
        "kind": disposition.get_kind_display(),
        "quantity": plain(disposition.quantity),
        "uom": uom,
        "reason": disposition.reason[:200],
    }


@transaction.atomic
def disposition_propose(
    *,
    actor: User,
    anomaly: Anomaly,
    kind: str,
    quantity: Any,
    reason: str,
    conditions: str = "",
    lot: Any = None,
    unit_cost: Any = None,
    hours: Any = None,
    hourly_rate: Any = None,
    due: datetime.date | None = None,
) -> Disposition:
    """The board disposes of a quantity of the NCR (§6 c)). A concession, a critical defect, or a
    cost or quantity at the policy's threshold sends it to the CQO as an approval request with
    the NCR as evidence; otherwise it is decided at once."""
    require(actor, "anomalies.add_disposition", anomaly, clause=CLAUSE_MRB)
    locked = _anomaly_locked(anomaly)
    if kind not in DispositionKind.values:
        raise ValidationError({"kind": _("Choose a disposition from the list.")})
    amount = _number(quantity, "quantity", places=Decimal("0.001"), required=True,
                     limit=MAX_QUANTITY)  # fmt: skip
    assert amount is not None
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why this disposition is right.")})
    conditions = _text(conditions)
    if kind == DispositionKind.CONCESSION and not conditions:
        raise ValidationError(
            {"conditions": _("Say where, for how long and under what conditions it may be used.")}
        )
    unit = _number(unit_cost, "unit_cost", places=CENT)
    hrs = _number(hours, "hours", places=CENT, limit=Decimal(10) ** 7)
    rate = _number(hourly_rate, "hourly_rate", places=CENT, limit=Decimal(10) ** 7)
    if kind in BY_HOURS and (hrs is None) != (rate is None):
        raise ValidationError(
            {"hourly_rate" if rate is None else "hours":
             _("Give both the rework hours and the hourly rate, or neither.")}
        )  # fmt: skip
    left = quantity_left(locked)
    if amount > left:
        raise ValidationError(
            {"quantity": _(
                "The NCR's nonconforming quantity is %(total)s and %(done)s of it is already "
                "dispositioned, so at most %(left)s remains (%(clause)s)."
            ) % {"total": plain(Decimal(locked.quantity or 0)),
                 "done": plain(dispositioned_quantity(locked)), "left": plain(left),
                 "clause": CLAUSE_MRB}}
        )  # fmt: skip
    chosen = _lot_choose(locked, kind, lot)
    cost = estimated_cost(kind, amount, unit, hrs, rate)
    grounds = approval_grounds(locked, kind, amount, cost, review_policy())
    disposition = Disposition(
        anomaly=locked,
        lot=chosen,
        kind=kind,
        quantity=amount,
        reason=reason,
        conditions=conditions,
        unit_cost=unit,
        hours=hrs,
        hourly_rate=rate,
        cost=cost,
        needs_approval=bool(grounds),
        approval_grounds="; ".join(grounds)[:300],
        status=DispositionStatus.SUBMITTED if grounds else DispositionStatus.DECIDED,
        decided_at=None if grounds else timezone.now(),
        raised_by=actor,
    )
    disposition.full_clean(exclude=["approval"])
    disposition.save()
    if grounds:
        approval = approval_request_raise(
            actor=actor,
            subject=disposition,
            kind=KIND_DISPOSITION,
            authority="c",
            unit=getattr(locked, "unit", None),
            amount=cost if cost else None,
            due=due,
            summary=_summary(locked, disposition),
        )
        disposition.approval = approval
        disposition.save(update_fields=["approval"])
    audit_record(
        actor=actor, action="anomalies.disposition.create", obj=disposition,
        after=snapshot(disposition), clause=CLAUSE_MRB,
    )  # fmt: skip
    _review_start(actor, locked)
    _status_refresh(actor, locked)
    return disposition


def disposition_content(disposition: Disposition) -> dict[str, Any]:
    """What the approver signs about a disposition: the disposition as proposed and the NCR it
    disposes of (its number, quantity, worst defect class and lots)."""
    anomaly = disposition.anomaly
    return {
        "disposition": disposition.pk,
        "ncr": anomaly.number,
        "ncr_quantity": str(anomaly.quantity),
        "defect_class": anomaly.defect_class,
        "lots": [lot.number for lot in anomaly_lots(anomaly)],
        "kind": disposition.kind,
        "quantity": str(disposition.quantity),
        "lot": disposition.lot.number if disposition.lot is not None else "",
        "reason": disposition.reason,
        "conditions": disposition.conditions,
        "cost": str(disposition.cost),
        "grounds": disposition.approval_grounds,
    }


def _status_set(actor: User, disposition: Disposition, status: str, reason: str = "") -> Any:
    with audited_change(
        actor=actor, obj=disposition, action=f"anomalies.disposition.{status}",
        clause=CLAUSE_MRB, reason=reason, update_fields=["status", "decided_at"],
    ) as locked:  # fmt: skip
        locked.status = status
        if status == DispositionStatus.DECIDED:
            locked.decided_at = timezone.now()
    return locked


def _lot_release(actor: User, disposition: Disposition) -> None:
    """An approved concession lets its lot be used: conditionally released at the gate, with the
    quantity the concession covers noted on the disposition's event."""
    lot = disposition.lot
    if lot is None:
        return
    ref = f"{disposition.anomaly.number}/{disposition.pk}"
    released = stock.lot_accept(actor=actor, lot=lot, inspection_ref=ref, conditional=True)
    with audited_change(
        actor=actor, obj=disposition, action="anomalies.disposition.lot_release",
        clause=CLAUSE_MRB, update_fields=["lot_released"],
    ) as locked:  # fmt: skip
        locked.lot_released = True
    audit_record(
        actor=actor, action="anomalies.disposition.lot_release_quantity", obj=locked,
        after={"lot": lot.number, "quantity": str(disposition.quantity),
               "stock_status": released.stock_status},
        clause=CLAUSE_MRB,
    )  # fmt: skip


def disposition_approval_decided(
    *, actor: User, request: ApprovalRequest, subject: Disposition
) -> None:
    """The ``ncr_disposition`` kind's handler, in the approver's transaction: approval decides the
    disposition (and releases a concession's lot conditionally); rejection refuses it."""
    disposition = Disposition.objects.select_for_update().get(pk=subject.pk)
    if disposition.status != DispositionStatus.SUBMITTED or disposition.voided_at is not None:
        return
    if request.status != ApprovalStatus.APPROVED:
        _status_set(actor, disposition, DispositionStatus.REJECTED, request.decision_reason)
        _status_refresh(actor, disposition.anomaly)
        return
    veto_refuse_if_active(disposition)
    decided = _status_set(actor, disposition, DispositionStatus.DECIDED, request.decision_reason)
    if decided.kind == DispositionKind.CONCESSION:
        _lot_release(actor, decided)
    _status_refresh(actor, decided.anomaly)


def disposition_approval_withdrawn(
    *, actor: User, request: ApprovalRequest, subject: Disposition
) -> None:
    disposition = Disposition.objects.select_for_update().get(pk=subject.pk)
    if disposition.status == DispositionStatus.SUBMITTED:
        _status_set(actor, disposition, DispositionStatus.WITHDRAWN, request.decision_reason)
        _status_refresh(actor, disposition.anomaly)


@transaction.atomic
def disposition_complete(
    *, actor: User, disposition: Disposition, note: str = "", on: datetime.date | None = None
) -> Disposition:
    """The disposition was carried out (scrapped, reworked, returned…). Its cost, when it has
    one, becomes a cost entry on the NCR. Refused while a veto holds it (§6 i))."""
    require(actor, "anomalies.complete_disposition", disposition, clause=CLAUSE_MRB)
    veto_refuse_if_active(disposition)
    done_on = on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    with audited_change(
        actor=actor, obj=disposition, action="anomalies.disposition.done", clause=CLAUSE_MRB,
        reason=_text(note), update_fields=["status", "done_by", "done_at", "done_note"],
    ) as locked:  # fmt: skip
        if locked.voided_at is not None:
            raise ValidationError({"disposition": _("This disposition was voided.")})
        if locked.status == DispositionStatus.SUBMITTED:
            raise ValidationError(
                {"status": _("This disposition awaits the CQO's approval (%(clause)s).")
                 % {"clause": CLAUSE_MRB}}
            )  # fmt: skip
        if locked.status != DispositionStatus.DECIDED:
            raise ValidationError(
                {"status": _("Only a decided disposition can be marked done (it is %(status)s).")
                 % {"status": locked.get_status_display()}}
            )  # fmt: skip
        locked.status = DispositionStatus.DONE
        locked.done_by = actor
        locked.done_at = timezone.now()
        locked.done_note = _text(note)
    item_code = COST_ITEM_OF_KIND.get(DispositionKind(locked.kind))
    if item_code is not None and locked.cost > 0:
        by_hours = locked.kind in BY_HOURS
        services_costs.cost_entry_write(
            actor=actor,
            record=locked.anomaly,
            item_code=item_code,
            quantity=locked.hours if by_hours else locked.quantity,
            rate=locked.hourly_rate if by_hours else locked.unit_cost,
            amount=locked.cost,
            incurred_on=done_on,
            note=str(locked),
            disposition=locked,
        )
    return locked


def disposition_void(*, actor: User, disposition: Disposition, reason: str) -> Any:
    """A disposition recorded in error is voided with a reason; its quantity is free again. One
    awaiting approval is withdrawn from the inbox instead, and one carried out stays."""
    require(actor, "anomalies.void_disposition", disposition, clause=CLAUSE_MRB)
    if disposition.status == DispositionStatus.SUBMITTED:
        raise ValidationError(
            {"disposition": _("This disposition awaits the CQO's approval: withdraw its request "
                              "instead (%(clause)s).") % {"clause": CLAUSE_MRB}}
        )  # fmt: skip
    if disposition.status == DispositionStatus.DONE or disposition.lot_released:
        raise ValidationError(
            {"disposition": _("A disposition already carried out is not voided; record another "
                              "one for what remains.")}
        )  # fmt: skip
    with transaction.atomic():
        voided = record_void(
            actor=actor,
            record=disposition,
            reason=reason,
            perm="anomalies.void_disposition",
            clause=CLAUSE_MRB,
        )
        _status_refresh(actor, disposition.anomaly)
    return voided


# --- closure -------------------------------------------------------------------------------------


def closure_obstacles(anomaly: Anomaly) -> list[str]:
    """What the board still owes before the NCR may close: the whole nonconforming quantity
    dispositioned, nothing awaiting the CQO, and every disposition done (§6 c))."""
    found: list[str] = []
    live = list(
        Disposition.objects.filter(
            anomaly=anomaly, voided_at__isnull=True, status__in=LIVE_STATUSES
        ).values_list("status", "quantity")
    )
    covered = sum((Decimal(q) for s, q in live if s != DispositionStatus.SUBMITTED), Decimal(0))
    total = Decimal(anomaly.quantity or 0)
    if covered < total:
        found.append(
            _("Dispositions: %(done)s of the nonconforming quantity %(total)s is dispositioned; "
              "dispose of the rest (%(clause)s).")
            % {"done": plain(covered), "total": plain(total), "clause": CLAUSE_MRB}
        )  # fmt: skip
    waiting = sum(1 for s, _q in live if s == DispositionStatus.SUBMITTED)
    if waiting:
        found.append(
            _("Dispositions: %(count)d await the CQO's approval (%(clause)s).")
            % {"count": waiting, "clause": CLAUSE_MRB}
        )
    open_ = sum(1 for s, _q in live if s == DispositionStatus.DECIDED)
    if open_:
        found.append(
            _("Dispositions: %(count)d are decided but not yet done (%(clause)s).")
            % {"count": open_, "clause": CLAUSE_MRB}
        )
    return found
