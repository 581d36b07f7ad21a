"""Every change to proposals (§6 b)) and business decisions: keyword-only, the actor's authority
checked, audited, in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, snapshot
from cqo.authorities.services import (
    CLAUSE_DECISION,
    CLAUSE_PROPOSAL,
    _principal_user,
    _reason,
    _unit_check,
    _url,
)
from cqo.authorities.vetoable import (
    veto_refuse_if_active,
)
from cqo.core.permissions import require
from cqo.core.sod import sod_check
from cqo.notifications.services import notify
from cqo.organisation.models import Unit

from .models import BusinessDecision, DecisionKind, DecisionStatus, Proposal, ProposalStatus

# --- proposals (§6 b)) -------------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *,
    actor: User,
    title: str,
    body: str,
    addressee: Any = None,
    unit: Unit | None = None,
    answer_by: datetime.date | None = None,
) -> Proposal:
    """A proposal from the CQO to the decision layer, which must answer it (§6 b))."""
    require(actor, "decisions.add_proposal", unit, clause=CLAUSE_PROPOSAL)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the proposal a title.")})
    if not body:
        raise ValidationError({"body": _("Write out what you propose.")})
    addressee = addressee or _principal_user()
    if addressee is None:
        raise ValidationError(
            {"addressee": _("Name who in the decision layer must answer; the enterprise has no "
                            "principal on record.")}
        )  # fmt: skip
    from cqo.organisation.rules import user_roles

    if not addressee.is_active or "principal" not in user_roles(addressee):
        raise ValidationError(
            {"addressee": _("A proposal goes to the principal or another member of the decision "
                            "layer.")}
        )  # fmt: skip
    if answer_by is not None and answer_by < timezone.localdate():
        raise ValidationError({"answer_by": _("The date for an answer cannot be in the past.")})
    _unit_check(unit)
    proposal = Proposal(
        title=title,
        body=body,
        unit=unit,
        addressee=addressee,
        raised_by=actor,
        submitted_at=timezone.now(),
        answer_by=answer_by,
    )
    proposal.full_clean()
    proposal.save()
    audit_record(
        actor=actor,
        action="decisions.proposal.submit",
        obj=proposal,
        after=snapshot(proposal),
        clause=CLAUSE_PROPOSAL,
    )
    notify(
        [addressee],
        lambda: (
            _("A proposal from the CQO awaits your answer (§6 b)): %(title)s") % {"title": title}
        ),
        url=_url("decisions:proposal_detail", proposal.pk),
        clause=CLAUSE_PROPOSAL,
    )
    return proposal


@transaction.atomic
def proposal_answer(
    *,
    actor: User,
    proposal: Proposal,
    answer: str,
    reason: str = "",
    deferred_until: datetime.date | None = None,
) -> Proposal:
    """The decision layer answers: accept, reject with a reason, or defer to a date."""
    require(actor, "decisions.answer_proposal", proposal, clause=CLAUSE_PROPOSAL)
    if answer not in ("accept", "reject", "defer"):
        raise ValidationError({"answer": _("Choose to accept, reject or defer.")})
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.awaiting_answer:
        raise ValidationError(
            {"answer": _("This proposal is not awaiting an answer (%(status)s).")
             % {"status": locked.get_status_display()}}
        )  # fmt: skip
    reason = (reason or "").strip()
    if answer == "reject" and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the proposal.")})
    if answer == "defer":
        if deferred_until is None:
            raise ValidationError({"deferred_until": _("Give the date the answer is deferred to.")})
        if deferred_until <= timezone.localdate():
            raise ValidationError({"deferred_until": _("Defer the answer to a date after today.")})
    if answer == "accept":
        veto_refuse_if_active(locked)
    before = snapshot(locked)
    locked.status = {
        "accept": ProposalStatus.ACCEPTED,
        "reject": ProposalStatus.REJECTED,
        "defer": ProposalStatus.DEFERRED,
    }[answer]
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.answer = reason
    locked.deferred_until = deferred_until if answer == "defer" else None
    locked.save()
    audit_record(
        actor=actor,
        action=f"decisions.proposal.{answer}",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_PROPOSAL,
    )
    notify(
        [locked.raised_by],
        lambda: (
            _("Your proposal “%(title)s” was answered: %(status)s")
            % {"title": locked.title, "status": locked.get_status_display()}
        ),
        url=_url("decisions:proposal_detail", locked.pk),
        clause=CLAUSE_PROPOSAL,
    )
    return locked


# --- business decisions ----------------------------------------------------------------


@transaction.atomic
def decision_create(
    *, actor: User, kind: str, title: str, description: str = "", unit: Unit | None = None
) -> BusinessDecision:
    require(actor, "decisions.add_businessdecision", clause=CLAUSE_DECISION)
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose a kind of decision from the list.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the decision a title.")})
    _unit_check(unit)
    decision = BusinessDecision(
        kind=kind, title=title, description=(description or "").strip(), unit=unit, created_by=actor
    )
    decision.full_clean()
    decision.save()
    audit_record(
        actor=actor,
        action="decisions.decision.create",
        obj=decision,
        after=snapshot(decision),
        clause=CLAUSE_DECISION,
    )
    return decision


_DECISION_STEPS: dict[str, tuple[str, tuple[str, ...], str]] = {
    # step: (permission, statuses it may start from, status it leads to)
    "submit": (
        "decisions.submit_businessdecision", (DecisionStatus.DRAFT,), DecisionStatus.SUBMITTED
    ),
    "approve": (
        "decisions.approve_businessdecision", (DecisionStatus.SUBMITTED,),
        DecisionStatus.APPROVED,
    ),
    "effect": (
        "decisions.effect_businessdecision", (DecisionStatus.APPROVED,),
        DecisionStatus.IN_EFFECT,
    ),
    "withdraw": (
        "decisions.withdraw_businessdecision",
        (DecisionStatus.DRAFT, DecisionStatus.SUBMITTED, DecisionStatus.APPROVED),
        DecisionStatus.WITHDRAWN,
    ),
}  # fmt: skip


DECISION_STEP_PERMS = {step: perm for step, (perm, _from, _to) in _DECISION_STEPS.items()}


@transaction.atomic
def decision_advance(
    *, actor: User, decision: BusinessDecision, step: str, reason: str = ""
) -> BusinessDecision:
    """Move a business decision one step: submit, approve, put in effect, or withdraw."""
    if step not in _DECISION_STEPS:
        raise ValidationError({"step": _("Choose submit, approve, put in effect or withdraw.")})
    perm, allowed_from, target = _DECISION_STEPS[step]
    require(actor, perm, decision, clause=CLAUSE_DECISION)
    locked = BusinessDecision.objects.select_for_update().get(pk=decision.pk)
    if step != "withdraw":
        veto_refuse_if_active(locked)
    if locked.voided_at is not None or locked.status not in allowed_from:
        raise ValidationError(
            {"status": _("A decision that is “%(status)s” cannot take this step.")
             % {"status": locked.get_status_display()}}
        )  # fmt: skip
    if step == "approve":
        sod_check(actor=actor, raised_by=locked.created_by_id, clause=CLAUSE_DECISION)
    if step == "withdraw":
        reason = _reason(reason, message=_("Give a reason for withdrawing the decision."))
    before = snapshot(locked)
    now = timezone.now()
    locked.status = target
    if step == "submit":
        locked.submitted_at = now
    elif step == "approve":
        locked.approved_by, locked.approved_at = actor, now
    elif step == "effect":
        locked.effective_at = now
    locked.save()
    audit_record(
        actor=actor,
        action=f"decisions.decision.{step}",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_DECISION,
    )
    return locked


def decision_submit(*, actor: User, decision: BusinessDecision) -> BusinessDecision:
    return decision_advance(actor=actor, decision=decision, step="submit")


def decision_approve(*, actor: User, decision: BusinessDecision) -> BusinessDecision:
    return decision_advance(actor=actor, decision=decision, step="approve")


def decision_put_in_effect(*, actor: User, decision: BusinessDecision) -> BusinessDecision:
    return decision_advance(actor=actor, decision=decision, step="effect")


def decision_withdraw(*, actor: User, decision: BusinessDecision, reason: str) -> BusinessDecision:
    return decision_advance(actor=actor, decision=decision, step="withdraw", reason=reason)
