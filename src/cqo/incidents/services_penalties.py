"""Penalties by procedure (§6 d)): proposed by the investigation, the person told and heard
(申辩), decided by whom the enterprise's rules name — never by the proposer — and a revision is a
new decision superseding the old one. No penalty is final before the person was heard."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, snapshot
from cqo.core.permissions import require
from cqo.core.sod import sod_check
from cqo.notifications.services import notify

from .models import (
    MEASURE_WEIGHT,
    HearingOutcome,
    Incident,
    IncidentStatus,
    Measure,
    Penalty,
    PenaltyDecision,
    PenaltyStatus,
    Verdict,
)
from .services_incidents import CLAUSE_INCIDENT, _blank, _with, rules_current


def penalty_url(penalty: Penalty) -> str:
    return reverse("incidents:penalty_detail", args=[penalty.pk])


def _measure_check(measure: str, amount: Decimal | None, errors: dict[str, str]) -> None:
    if measure not in Measure.values:
        errors["measure"] = _with(_("Choose a measure."), CLAUSE_INCIDENT)
    elif measure == Measure.FINE and (amount is None or amount <= 0):
        errors["amount"] = _with(_("A fine needs an amount above zero."), CLAUSE_INCIDENT)
    if amount is not None and amount < 0:
        errors["amount"] = _with(_("Give an amount of zero or more."), CLAUSE_INCIDENT)


@transaction.atomic
def penalty_propose(
    *,
    actor: User,
    incident: Incident,
    basis: str,
    measure: str,
    person: Any = None,
    unit: Any = None,
    amount: Decimal | None = None,
    measure_text: str = "",
) -> Penalty:
    """A penalty proposed by the investigation, on a person, a unit or both, on a stated basis.
    Who will decide it is fixed now from the rules in force."""
    require(actor, "incidents.propose_penalty", incident, clause=CLAUSE_INCIDENT)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    errors: dict[str, str] = {}
    if incident.voided_at is not None or incident.status not in (
        IncidentStatus.INVESTIGATING, IncidentStatus.CONCLUDED,
    ):  # fmt: skip
        errors["incident"] = _with(
            _("Penalties are proposed from an open or concluded investigation."), CLAUSE_INCIDENT
        )
    if person is None and unit is None:
        errors["person"] = _with(_("Name the person or the unit to be penalised."),
                                 CLAUSE_INCIDENT)  # fmt: skip
    basis = _blank(basis)
    if not basis:
        errors["basis"] = _with(_("Give the rule and article the penalty rests on."),
                                CLAUSE_INCIDENT)  # fmt: skip
    _measure_check(measure, amount, errors)
    if errors:
        raise ValidationError(errors)
    rules = rules_current() or incident.rules
    count = Penalty.objects.filter(incident=incident).count()
    penalty = Penalty.objects.create(
        incident=incident,
        number=f"{incident.number}-P{count + 1}",
        person=person,
        unit=unit,
        basis=basis,
        measure=measure,
        amount=amount,
        measure_text=_blank(measure_text),
        decider_role=rules.decider_role,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    audit_record(actor=actor, action="incidents.penalty.propose", obj=penalty,
                 after=snapshot(penalty), clause=CLAUSE_INCIDENT)  # fmt: skip
    return penalty


def _live(penalty: Penalty, field: str) -> None:
    if penalty.voided_at is not None:
        raise ValidationError({field: _with(_("This penalty was voided."), CLAUSE_INCIDENT)})
    if penalty.status == PenaltyStatus.WITHDRAWN:
        raise ValidationError({field: _with(_("This penalty was withdrawn."), CLAUSE_INCIDENT)})


def penalty_notify(*, actor: User, penalty: Penalty, notice: str) -> Penalty:
    """The person (or the unit's head) is told what is proposed and on what basis; the hearing
    window of the rules opens."""
    require(actor, "incidents.hear_penalty", penalty, clause=CLAUSE_INCIDENT)
    notice = _blank(notice)
    if not notice:
        raise ValidationError({"notice": _with(
            _("Write the notice: what is proposed, on what basis, and how to answer."),
            CLAUSE_INCIDENT)})  # fmt: skip
    rules = rules_current()
    days = rules.hearing_days if rules else 5
    with audited_change(
        actor=actor, obj=penalty, action="incidents.penalty.notify", clause=CLAUSE_INCIDENT
    ) as locked:
        _live(locked, "notice")
        if locked.status != PenaltyStatus.PROPOSED:
            raise ValidationError({"notice": _with(_("The person was already told."),
                                                   CLAUSE_INCIDENT)})  # fmt: skip
        now = timezone.now()
        locked.notice = notice
        locked.notified_by = actor
        locked.notified_at = now
        locked.hearing_until = now + datetime.timedelta(days=days)
        locked.status = PenaltyStatus.NOTIFIED
    who = [getattr(locked.person, "user", None)] if locked.person else []
    if locked.unit is not None and locked.unit.head_id is not None:
        who.append(getattr(locked.unit.head, "user", None))
    notify(
        who,
        lambda: _("A penalty is proposed (%(number)s). You may state your case until %(until)s.")
        % {"number": locked.number,
           "until": timezone.localtime(locked.hearing_until).strftime("%Y-%m-%d %H:%M")},
        url=penalty_url(locked),
        clause=CLAUSE_INCIDENT,
    )  # fmt: skip
    return locked


def penalty_hear(*, actor: User, penalty: Penalty, statement: str = "") -> Penalty:
    """The person's statement (申辩) recorded — by them, or by the investigator from what they
    said — or, with no statement, the hearing window recorded as passed (only once it has)."""
    require(actor, "incidents.state_case_penalty", penalty, clause=CLAUSE_INCIDENT)
    statement = _blank(statement)
    with audited_change(
        actor=actor, obj=penalty, action="incidents.penalty.hear", clause=CLAUSE_INCIDENT
    ) as locked:
        _live(locked, "statement")
        if locked.status == PenaltyStatus.PROPOSED:
            raise ValidationError({"notice": _with(
                _("Tell the person first: they are heard on a notice."), CLAUSE_INCIDENT)})  # fmt: skip
        if locked.status != PenaltyStatus.NOTIFIED:
            raise ValidationError({"statement": _with(_("The person was already heard."),
                                                      CLAUSE_INCIDENT)})  # fmt: skip
        now = timezone.now()
        if not statement:
            assert locked.hearing_until is not None
            if now < locked.hearing_until:
                raise ValidationError({"statement": _with(
                    _("Record the person's statement, or wait until the hearing window closes "
                      "(%(until)s).") % {"until": timezone.localtime(locked.hearing_until)
                                         .strftime("%Y-%m-%d %H:%M")},
                    CLAUSE_INCIDENT)})  # fmt: skip
            locked.hearing_outcome = HearingOutcome.WINDOW_PASSED
        else:
            locked.statement = statement
            locked.hearing_outcome = HearingOutcome.STATEMENT
        locked.heard_by = actor
        locked.heard_at = now
        locked.status = PenaltyStatus.HEARD
    return locked


def _decision_check(
    penalty: Penalty, verdict: str, measure: str, amount: Decimal | None, reasons: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _with(_("Choose to impose the penalty or not."), CLAUSE_INCIDENT)
    if not reasons:
        errors["reasons"] = _with(_("Give the reasons for the decision."), CLAUSE_INCIDENT)
    if verdict == Verdict.IMPOSE:
        _measure_check(measure, amount, errors)
        # The person was heard on the proposal: a heavier measure needs a new proposal.
        if "measure" not in errors and MEASURE_WEIGHT[measure] > MEASURE_WEIGHT[penalty.measure]:
            errors["measure"] = _with(
                _("The decision cannot be heavier than the measure the person was heard on; "
                  "propose a new penalty instead."), CLAUSE_INCIDENT)  # fmt: skip
        if (
            "amount" not in errors and amount is not None
            and amount > (penalty.amount or Decimal("0"))
        ):  # fmt: skip
            errors["amount"] = _with(
                _("The amount cannot exceed the amount the person was heard on (%(amount)s).")
                % {"amount": penalty.amount or 0}, CLAUSE_INCIDENT)  # fmt: skip
    return errors


@transaction.atomic
def penalty_decide(
    *,
    actor: User,
    penalty: Penalty,
    verdict: str,
    reasons: str,
    measure: str = "",
    amount: Decimal | None = None,
) -> PenaltyDecision:
    """Decided by the role the rules named when it was proposed, never by the proposer, and
    only once the person was heard. Final: it goes on the quality record."""
    require(actor, "incidents.decide_penalty", penalty, clause=CLAUSE_INCIDENT)
    locked = Penalty.objects.select_for_update().get(pk=penalty.pk)
    _live(locked, "verdict")
    if locked.status in (PenaltyStatus.PROPOSED, PenaltyStatus.NOTIFIED):
        raise ValidationError({"statement": _with(
            _("No penalty is final before the person was heard: record their statement, or "
              "the hearing window passing."), CLAUSE_INCIDENT)})  # fmt: skip
    if locked.status == PenaltyStatus.DECIDED:
        raise ValidationError({"verdict": _with(
            _("This penalty is decided; revise the decision instead."), CLAUSE_INCIDENT)})  # fmt: skip
    sod_check(actor=actor, raised_by=locked.proposed_by_id, clause=CLAUSE_INCIDENT)
    reasons = _blank(reasons)
    errors = _decision_check(locked, verdict, measure, amount, reasons)
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    decision = PenaltyDecision.objects.create(
        penalty=locked,
        verdict=verdict,
        measure=measure if verdict == Verdict.IMPOSE else "",
        amount=amount if verdict == Verdict.IMPOSE else None,
        reasons=reasons,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    locked.status = PenaltyStatus.DECIDED
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor, action="incidents.penalty.decide", obj=locked, before=before,
        after={**snapshot(locked), "decision": snapshot(decision)}, reason=reasons,
        clause=CLAUSE_INCIDENT,
    )  # fmt: skip
    _tell_decided(locked, decision)
    return decision


def _tell_decided(penalty: Penalty, decision: PenaltyDecision) -> None:
    notify(
        [getattr(penalty.person, "user", None) if penalty.person else None,
         penalty.proposed_by],
        lambda: _("Penalty %(number)s was decided: %(verdict)s.")
        % {"number": penalty.number, "verdict": decision.get_verdict_display()},
        url=penalty_url(penalty),
        clause=CLAUSE_INCIDENT,
    )  # fmt: skip


@transaction.atomic
def penalty_revise(
    *,
    actor: User,
    penalty: Penalty,
    verdict: str,
    reasons: str,
    measure: str = "",
    amount: Decimal | None = None,
) -> PenaltyDecision:
    """A decided penalty is changed only by a new decision that supersedes the standing one;
    the old decision stays as it was."""
    require(actor, "incidents.decide_penalty", penalty, clause=CLAUSE_INCIDENT)
    locked = Penalty.objects.select_for_update().get(pk=penalty.pk)
    _live(locked, "verdict")
    if locked.status != PenaltyStatus.DECIDED:
        raise ValidationError({"verdict": _with(_("Only a decided penalty is revised."),
                                                CLAUSE_INCIDENT)})  # fmt: skip
    sod_check(actor=actor, raised_by=locked.proposed_by_id, clause=CLAUSE_INCIDENT)
    reasons = _blank(reasons)
    errors = _decision_check(locked, verdict, measure, amount, reasons)
    if errors:
        raise ValidationError(errors)
    standing = locked.current_decision
    assert standing is not None
    decision = PenaltyDecision.objects.create(
        penalty=locked,
        verdict=verdict,
        measure=measure if verdict == Verdict.IMPOSE else "",
        amount=amount if verdict == Verdict.IMPOSE else None,
        reasons=reasons,
        decided_by=actor,
        decided_at=timezone.now(),
        supersedes=standing,
    )
    audit_record(
        actor=actor, action="incidents.penalty.revise", obj=locked,
        before={"decision": snapshot(standing)}, after={"decision": snapshot(decision)},
        reason=reasons, clause=CLAUSE_INCIDENT,
    )  # fmt: skip
    _tell_decided(locked, decision)
    return decision


def penalty_withdraw(*, actor: User, penalty: Penalty, reason: str) -> Penalty:
    require(actor, "incidents.propose_penalty", penalty, clause=CLAUSE_INCIDENT)
    reason = _blank(reason)
    if not reason:
        raise ValidationError({"reason": _with(_("Give a reason for withdrawing the penalty."),
                                               CLAUSE_INCIDENT)})  # fmt: skip
    with audited_change(
        actor=actor, obj=penalty, action="incidents.penalty.withdraw", clause=CLAUSE_INCIDENT,
        reason=reason,
    ) as locked:  # fmt: skip
        _live(locked, "reason")
        if locked.status == PenaltyStatus.DECIDED:
            raise ValidationError({"reason": _with(
                _("A decided penalty is not withdrawn; revise the decision instead."),
                CLAUSE_INCIDENT)})  # fmt: skip
        locked.status = PenaltyStatus.WITHDRAWN
        locked.withdrawn_reason = reason
    return locked
