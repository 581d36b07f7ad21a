"""The rewards part's writes (§7.2.4.2): the CQO sets the rules of rewards and penalties and voids
them with a reason; a member raises a decision under a rule about a person or a unit with the
evidence; the CQO decides it — never the person concerned nor the raiser.

A decided reward is paid from the special quality fund: the decision raises a spending under the
fund's improvement-rewards purpose through the fund part's own service, so the balance rules and
the approvals of §8.1 apply. If the fund refuses it (no fund, no such purpose, not enough
balance), the decision stays decided and keeps the refusal, naming the field and the clause.
A decided penalty is read by the quality record (``selectors_rewards.quality_record_entries``).

A decision recorded in error is voided with a reason, never deleted: its raiser may withdraw it
while it awaits the CQO, the CQO voids it at any time, except a reward whose spending stands in
the fund (awaiting approval, approved or paid), which is settled in the fund first so that the
fund's books and the decision agree. A reward the fund refused is sent to it again by the CQO
once the fund can take it (a new spending)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, snapshot
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.uploads import file_sha256, upload_check

from . import services_fund
from .models_fund import Fund, FundPurpose, PurposeKind, SpendingStatus
from .models_rewards import DecisionStatus, RewardDecision, RewardKind, RewardRule
from .services_fund import _text, money

CLAUSE = clause("§7.2.4.2")


def _day(value: Any, field: str, *, required: bool) -> datetime.date | None:
    day = value
    if isinstance(day, datetime.datetime):
        day = day.date()
    if isinstance(day, str):
        day = parse_date(day.strip()) if day.strip() else None
    if day is None and not required:
        return None
    if not isinstance(day, datetime.date):
        raise ValidationError(
            {field: _("Give the date as YYYY-MM-DD (%(clause)s).") % {"clause": CLAUSE}}
        )
    return day


@transaction.atomic
def reward_rule_create(
    *, actor: User, code: str, kind: str, title: str, basis: str, active_from: Any,
    active_to: Any = None, amount_min: Any = None, amount_max: Any = None, points: Any = None,
) -> RewardRule:  # fmt: skip
    """The CQO sets a rule of rewards or penalties with its basis."""
    require(actor, "costs.add_rewardrule", clause=CLAUSE)
    code = _text(code, "code", _("Give the rule's code (%(clause)s).") % {"clause": CLAUSE}, 30)
    if kind not in RewardKind.values:
        raise ValidationError(
            {"kind": _("Choose reward or penalty (%(clause)s).") % {"clause": CLAUSE}}
        )
    title = _text(title, "title", _("Give the rule's title (%(clause)s).") % {"clause": CLAUSE},
                  200)  # fmt: skip
    basis = _text(basis, "basis", _("Give the rule's basis: the clause of the standard or the "
                                    "enterprise's own rule (%(clause)s).") % {"clause": CLAUSE})  # fmt: skip
    low = (
        None
        if amount_min in (None, "")
        else money(amount_min, "amount_min", CLAUSE, positive=False)
    )
    high = (
        None
        if amount_max in (None, "")
        else money(amount_max, "amount_max", CLAUSE, positive=False)
    )
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"amount_max": _("The highest amount is below the lowest (%(clause)s).")
             % {"clause": CLAUSE}}
        )  # fmt: skip
    score = None
    if points not in (None, ""):
        try:
            score = int(str(points).strip())
        except ValueError:
            score = -1
        if not 0 <= score <= 1000:
            raise ValidationError(
                {"points": _("Give the points as a whole number from 0 to 1000 (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
    if low is None and high is None and score is None:
        raise ValidationError(
            {"amount_max": _("Give an amount range or points (%(clause)s).") % {"clause": CLAUSE}}
        )
    start = _day(active_from, "active_from", required=True)
    assert start is not None
    end = _day(active_to, "active_to", required=False)
    if start is not None and end is not None and end < start:
        raise ValidationError(
            {"active_to": _("The end comes before the start (%(clause)s).") % {"clause": CLAUSE}}
        )
    if RewardRule.objects.active().filter(code=code).exists():
        raise ValidationError(
            {"code": _("A rule with this code already exists (%(clause)s).") % {"clause": CLAUSE}}
        )
    rule = RewardRule(
        code=code, kind=kind, title=title, basis=basis, amount_min=low, amount_max=high,
        points=score, active_from=start, active_to=end, created_by=actor,
        created_at=timezone.now(),
    )  # fmt: skip
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action="costs.rewardrule.create", obj=rule, after=snapshot(rule),
                 clause=CLAUSE)  # fmt: skip
    return rule


@transaction.atomic
def reward_rule_void(*, actor: User, rule: RewardRule, reason: str) -> RewardRule:
    """A rule is voided with a reason, never deleted; its decisions stay."""
    require(actor, "costs.void_rewardrule", rule, clause=CLAUSE)
    reason = _text(reason, "reason", _("Give the reason for voiding (%(clause)s).")
                   % {"clause": CLAUSE})  # fmt: skip
    with audited_change(
        actor=actor, obj=rule, action="costs.rewardrule.void", clause=CLAUSE, reason=reason,
        update_fields=["voided_at", "voided_by", "void_reason"],
    ) as locked:  # fmt: skip
        if locked.voided_at is not None:
            raise ValidationError({"rule": _("This rule was voided.")})
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason
    return locked


@transaction.atomic
def reward_decision_raise(
    *, actor: User, rule: Any, reason: str, person: Any = None, unit: Any = None,
    amount: Any = None, evidence: Any = None, source_ref: str = "",
) -> RewardDecision:  # fmt: skip
    """A member raises a reward or a penalty under a rule about one person or one unit, with the
    evidence (a file, a link to the source record, or both); the CQO decides it."""
    require(actor, "costs.add_rewarddecision", clause=CLAUSE)
    today = timezone.localdate()
    if not isinstance(rule, RewardRule) or rule.voided_at is not None or (
        rule.active_from > today or (rule.active_to is not None and rule.active_to < today)
    ):  # fmt: skip
        raise ValidationError(
            {"rule": _("Choose a rule in force (%(clause)s).") % {"clause": CLAUSE}}
        )
    if (person is None) == (unit is None):
        raise ValidationError(
            {"person": _("Name either the person or the unit concerned (%(clause)s).")
             % {"clause": CLAUSE}}
        )  # fmt: skip
    reason = _text(reason, "reason", _("Give the reason (%(clause)s).") % {"clause": CLAUSE})
    ref = str(source_ref or "").strip()
    if len(ref) > 200:
        raise ValidationError({"source_ref": _("Keep it under %(n)d characters.") % {"n": 200}})
    if evidence in (None, "") and not ref:
        raise ValidationError(
            {"evidence": _("Attach the evidence or name the source record (%(clause)s).")
             % {"clause": CLAUSE}}
        )  # fmt: skip
    value = None
    if rule.kind == RewardKind.REWARD or amount not in (None, ""):
        value = money(amount, "amount", CLAUSE)
        if (rule.amount_min is not None and value < rule.amount_min) or (
            rule.amount_max is not None and value > rule.amount_max
        ):
            raise ValidationError(
                {"amount": _("Amount: the rule allows %(low)s to %(high)s yuan (%(clause)s).")
                 % {"low": f"{rule.amount_min or Decimal('0'):,.2f}",
                    "high": "—" if rule.amount_max is None else f"{rule.amount_max:,.2f}",
                    "clause": CLAUSE}}
            )  # fmt: skip
    decision = RewardDecision(
        number=number_next(RewardDecision, f"RP{today.year}-", 4), rule=rule, kind=rule.kind,
        person=person, unit=unit, source_ref=ref, amount=value, reason=reason,
        raised_by=actor, raised_at=timezone.now(),
    )  # fmt: skip
    if evidence not in (None, ""):
        upload_check(evidence, field="evidence")
        decision.evidence_sha256 = file_sha256(evidence)
        decision.evidence.save(getattr(evidence, "name", "evidence.pdf"), evidence, save=False)
    decision.full_clean(exclude=["evidence"])
    decision.save()
    audit_record(actor=actor, action="costs.rewarddecision.create", obj=decision,
                 after=snapshot(decision), clause=CLAUSE)  # fmt: skip
    return decision


def _not_concerned(actor: User, decision: RewardDecision) -> None:
    """Segregation of duties: nobody decides, or pays out, their own reward or penalty."""
    concerned = decision.person.user if decision.person is not None else None
    if concerned is not None and concerned.pk == actor.pk:
        raise PermissionDenied(
            _("The person concerned cannot decide their own reward or penalty (%(clause)s).")
            % {"clause": CLAUSE}
        )


@transaction.atomic
def reward_decision_decide(
    *, actor: User, decision: RewardDecision, approve: bool, note: str = ""
) -> RewardDecision:
    """The CQO decides; never the person concerned nor the raiser (segregation of duties). A
    decided reward raises its spending from the fund (§8.1)."""
    require(actor, "costs.decide_rewarddecision", decision, clause=CLAUSE)
    locked = RewardDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.voided_at is not None or locked.status != DecisionStatus.PROPOSED:
        raise ValidationError(
            {"decision": _("Only a decision awaiting the CQO can be decided; this one is "
                           "%(status)s (%(clause)s).")
             % {"status": locked.get_status_display(), "clause": CLAUSE}}
        )  # fmt: skip
    _not_concerned(actor, locked)
    if locked.raised_by_id == actor.pk:
        raise PermissionDenied(
            _("Whoever raised a reward or penalty cannot decide it (%(clause)s).")
            % {"clause": CLAUSE}
        )
    note = str(note or "").strip()[:5000]
    if not approve and not note:
        raise ValidationError(
            {"note": _("Give the reason for rejecting (%(clause)s).") % {"clause": CLAUSE}}
        )
    with audited_change(
        actor=actor, obj=locked, action="costs.rewarddecision." + ("decide" if approve else "reject"),
        clause=CLAUSE, reason=note,
        update_fields=["status", "decided_by", "decided_at", "decision_note"],
    ) as changed:  # fmt: skip
        changed.status = DecisionStatus.DECIDED if approve else DecisionStatus.REJECTED
        changed.decided_by = actor
        changed.decided_at = timezone.now()
        changed.decision_note = note
    if approve and changed.kind == RewardKind.REWARD:
        _pay_from_fund(actor, changed)
    return RewardDecision.objects.get(pk=changed.pk)


def _pay_from_fund(actor: User, decision: RewardDecision) -> None:
    """Raise the reward's spending under the fund's improvement-rewards purpose; a refusal by the
    fund is kept on the decision, with the field and the clause it names."""
    assert decision.decided_at is not None
    year = timezone.localtime(decision.decided_at).year
    fund = Fund.objects.active().filter(year=year).first()
    purpose = (
        FundPurpose.objects.active().filter(fund=fund, kind=PurposeKind.REWARDS).first()
        if fund is not None else None
    )  # fmt: skip
    unit = decision.unit if decision.unit_id else decision.person.unit  # type: ignore[union-attr]
    refusal = ""
    spending = None
    if fund is None or purpose is None:
        refusal = _("Purpose: the special quality fund %(year)d has no improvement-rewards "
                    "purpose to pay the reward from (%(clause)s).") % {
            "year": year, "clause": services_fund.CLAUSE_FUND}  # fmt: skip
    else:
        try:
            spending = services_fund.fund_spending_apply(
                actor=actor, fund=fund, purpose=purpose, unit=unit,
                title=_("Reward %(number)s: %(rule)s") % {"number": decision.number,
                                                          "rule": decision.rule.title},
                justification=decision.reason, amount=decision.amount,
            )  # fmt: skip
        except ValidationError as exc:
            refusal = " ".join(m for ms in exc.message_dict.values() for m in ms)
    with audited_change(
        actor=actor, obj=decision, action="costs.rewarddecision.fund", clause=CLAUSE,
        reason=refusal, update_fields=["spending", "fund_refusal"],
    ) as changed:  # fmt: skip
        changed.spending = spending
        changed.fund_refusal = refusal


# A reward's spending that no longer stands in the fund: the decision may be voided, or sent to
# the fund again.
_SPENDING_SETTLED = (SpendingStatus.REJECTED, SpendingStatus.WITHDRAWN)


def _live_spending(decision: RewardDecision) -> Any:
    spending = decision.spending
    if spending is None or spending.voided_at is not None or spending.status in _SPENDING_SETTLED:
        return None
    return spending


@transaction.atomic
def reward_decision_void(*, actor: User, decision: RewardDecision, reason: str) -> RewardDecision:
    """Void a decision recorded in error, with the reason: it leaves the quality record and with
    it the appraisal's deductions and credits (§6 g)); the record itself stays."""
    require(actor, "costs.void_rewarddecision", decision, clause=CLAUSE)
    reason = _text(reason, "reason", _("Give the reason for voiding (%(clause)s).")
                   % {"clause": CLAUSE})  # fmt: skip
    with audited_change(
        actor=actor, obj=decision, action="costs.rewarddecision.void", clause=CLAUSE,
        reason=reason, update_fields=["voided_at", "voided_by", "void_reason"],
    ) as locked:  # fmt: skip
        # Again on the locked row: the caller's copy may predate a decision that took the
        # raiser's right to withdraw it away.
        require(actor, "costs.void_rewarddecision", locked, clause=CLAUSE)
        if locked.voided_at is not None:
            raise ValidationError({"decision": _("This decision was voided.")})
        spending = _live_spending(locked)
        if spending is not None:
            raise ValidationError(
                {"decision": _("Its reward is the fund spending %(number)s (%(status)s): settle "
                               "it in the fund before voiding the decision (%(clause)s).")
                 % {"number": spending.number, "status": spending.get_status_display(),
                    "clause": services_fund.CLAUSE_FUND}}
            )  # fmt: skip
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason
    return locked


@transaction.atomic
def reward_decision_pay(*, actor: User, decision: RewardDecision) -> RewardDecision:
    """Send a decided reward the fund refused (or whose spending was rejected or withdrawn) to
    the fund again: a new spending under the improvement-rewards purpose, decided as any other
    (§8.1). A new refusal replaces the old one on the decision."""
    require(actor, "costs.decide_rewarddecision", decision, clause=CLAUSE)
    locked = RewardDecision.objects.select_for_update().get(pk=decision.pk)
    if (
        locked.voided_at is not None
        or locked.status != DecisionStatus.DECIDED
        or locked.kind != RewardKind.REWARD
        or _live_spending(locked) is not None
    ):
        raise ValidationError(
            {"decision": _("Only a decided reward that the fund has not taken can be sent to "
                           "the fund again (%(clause)s).") % {"clause": CLAUSE}}
        )  # fmt: skip
    _not_concerned(actor, locked)
    _pay_from_fund(actor, locked)
    return RewardDecision.objects.get(pk=locked.pk)
