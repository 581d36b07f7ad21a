"""Every write of the performance app (decision 0005): keyword-only, authority checked, one
transaction, one audit event naming the clause. Quality objectives under §7.1.2; appraisal under
§6 g) and §7.1.7."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, snapshot
from cqo.authorities import engine
from cqo.authorities.services import approval_request_raise
from cqo.core.clauses import clause
from cqo.core.metrics import Direction, metric_get
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.sod import SegregationOfDutiesError
from cqo.core.uploads import file_sha256, upload_check
from cqo.notifications.services import notify

from . import selectors as sel
from .models import (
    AppealStatus,
    Appraisal,
    AppraisalAppeal,
    AppraisalRound,
    Objective,
    ObjectiveActual,
    RoundObjective,
    RoundStatus,
    SubjectKind,
)

CLAUSE_OBJECTIVES = clause("§7.1.2")
CLAUSE_APPRAISAL = clause("§6 g)")
KIND_ROUND = "appraisal_round"


def _decimal(value: Any, field: str, clause_: str, *, minimum: Decimal | None = None) -> Decimal:
    try:
        found = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        if not found.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(
            {field: _("Enter a number (%(clause)s).") % {"clause": clause_}}
        ) from None
    if minimum is not None and found < minimum:
        raise ValidationError(
            {field: _("Enter a number of at least %(min)s (%(clause)s).")
             % {"min": minimum, "clause": clause_}}
        )  # fmt: skip
    return found


def _period(first: Any, last: Any, clause_: str) -> None:
    if not isinstance(first, datetime.date) or not isinstance(last, datetime.date):
        raise ValidationError(
            {"first": _("Enter the period's dates (%(clause)s).") % {"clause": clause_}}
        )
    if last < first:
        raise ValidationError(
            {
                "last": _("The period ends on or after its first day (%(clause)s).")
                % {"clause": clause_}
            }
        )


# --- objectives (§7.1.2) ---------------------------------------------------------------------


@transaction.atomic
def objective_create(
    *,
    actor: Any,
    title: str,
    target: Any,
    first: datetime.date,
    last: datetime.date,
    owner: Any,
    unit: Any = None,
    parent: Objective | None = None,
    metric: str = "",
    measure_name: str = "",
    measure_unit: str = "",
    direction: str = "",
    tolerance: Any = "0",
) -> Objective:
    """Set an objective of the enterprise (no unit) or of a unit, cascaded from ``parent``. Its
    measure is a registered metric, or entered with evidence (``measure_name``, ``direction``)."""
    require(actor, "performance.add_objective", clause=CLAUSE_OBJECTIVES)
    c = CLAUSE_OBJECTIVES
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Name the objective (%(clause)s).") % {"clause": c}})
    target_value = _decimal(target, "target", c)
    tolerance_value = _decimal(tolerance if tolerance not in (None, "") else "0", "tolerance", c,
                               minimum=Decimal(0))  # fmt: skip
    _period(first, last, c)
    if owner is None or not getattr(owner, "is_active", False):
        raise ValidationError({"owner": _("Name an active owner (%(clause)s).") % {"clause": c}})
    if parent is not None:
        if parent.voided_at is not None:
            raise ValidationError(
                {"parent": _("The objective cascaded from is voided (%(clause)s).") % {"clause": c}}
            )
        if first < parent.first or last > parent.last:
            raise ValidationError(
                {"first": _("A cascaded objective's period lies within its parent's "
                            "(%(clause)s).") % {"clause": c}}
            )  # fmt: skip
        if unit is None:
            raise ValidationError(
                {"unit": _("Name the unit the objective is cascaded to (%(clause)s).")
                 % {"clause": c}}
            )  # fmt: skip
    if metric:
        found = metric_get(metric)
        if found is None:
            raise ValidationError({"metric": _("Choose a measure from the list (%(clause)s).")
                                   % {"clause": c}})  # fmt: skip
        direction = found.direction
        measure_name, measure_unit = "", str(found.unit)
    else:
        measure_name = (measure_name or "").strip()
        if not measure_name:
            raise ValidationError(
                {"measure_name": _("Name the measure entered with evidence, or choose a computed "
                                   "one (%(clause)s).") % {"clause": c}}
            )  # fmt: skip
        if direction not in Direction.values:
            raise ValidationError(
                {"direction": _("Say whether higher or lower is better (%(clause)s).")
                 % {"clause": c}}
            )  # fmt: skip
    objective = Objective(
        number=number_next(Objective, f"OBJ-{first.year}-", 3),
        title=title, parent=parent, unit=unit, metric=metric or "",
        measure_name=measure_name, measure_unit=(measure_unit or "")[:30], direction=direction,
        target=target_value, tolerance=tolerance_value, first=first, last=last, owner=owner,
        created_by=actor,
    )  # fmt: skip
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, action="performance.objective.create", obj=objective,
                 after=snapshot(objective), clause=c)  # fmt: skip
    return objective


@transaction.atomic
def objective_void(*, actor: Any, objective: Objective, reason: str) -> Objective:
    require(actor, "performance.change_objective", objective, clause=CLAUSE_OBJECTIVES)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for voiding (%(clause)s).")
                               % {"clause": CLAUSE_OBJECTIVES}})  # fmt: skip
    locked = Objective.objects.select_for_update().get(pk=objective.pk)
    if locked.voided_at is not None:
        raise ValidationError({"status": _("The objective is already voided.")})
    before = snapshot(locked)
    locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), actor, reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_record(actor=actor, action="performance.objective.void", obj=locked, before=before,
                 after=snapshot(locked), reason=reason, clause=CLAUSE_OBJECTIVES)  # fmt: skip
    return locked


@transaction.atomic
def actual_enter(
    *, actor: Any, objective: Objective, month: datetime.date, value: Any, evidence: Any,
    note: str = "",
) -> ObjectiveActual:  # fmt: skip
    """Enter a month's actual of an objective whose measure is not computed, with its evidence;
    a later entry for the same month replaces (voids) the earlier one."""
    c = CLAUSE_OBJECTIVES
    require(actor, "performance.enter_objectiveactual", objective, clause=c)
    if objective.voided_at is not None:
        raise ValidationError({"objective": _("The objective is voided.")})
    if objective.computed:
        raise ValidationError(
            {"value": _("This objective's actual is computed from the data; it is not entered "
                        "(%(clause)s).") % {"clause": c}}
        )  # fmt: skip
    if not isinstance(month, datetime.date):
        raise ValidationError({"month": _("Enter the month (%(clause)s).") % {"clause": c}})
    month = month.replace(day=1)
    if month < objective.first.replace(day=1) or month > objective.last:
        raise ValidationError(
            {"month": _("The month lies outside the objective's period (%(clause)s).")
             % {"clause": c}}
        )  # fmt: skip
    if month > timezone.localdate():
        raise ValidationError({"month": _("A month to come has no actual yet (%(clause)s).")
                               % {"clause": c}})  # fmt: skip
    number = _decimal(value, "value", c)
    if evidence is None:
        raise ValidationError(
            {"evidence": _("Attach the evidence of the actual (%(clause)s).") % {"clause": c}}
        )
    upload_check(evidence, field="evidence")
    digest = file_sha256(evidence)
    now = timezone.now()
    for old in ObjectiveActual.objects.select_for_update().filter(
        objective=objective, month=month, voided_at__isnull=True
    ):
        old.voided_at, old.voided_by = now, actor
        old.void_reason = _("Replaced by a later entry")
        old.save(update_fields=["voided_at", "voided_by", "void_reason"])
    actual = ObjectiveActual(
        objective=objective, month=month, value=number, evidence=evidence,
        evidence_sha256=digest, note=(note or "").strip(), entered_by=actor,
    )  # fmt: skip
    actual.save()
    audit_record(actor=actor, action="performance.actual.enter", obj=actual,
                 after={**snapshot(actual), "objective": objective.number}, clause=c)  # fmt: skip
    return actual


# --- appraisal (§6 g), §7.1.7) -----------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: Any,
    title: str,
    subject_kind: str,
    first: datetime.date,
    last: datetime.date,
    points_green: Any = "100",
    points_amber: Any = "60",
    points_red: Any = "0",
    deduction_per_penalty: Any = "5",
    deduction_cap: Any = "20",
    credit_per_reward: Any = "5",
    credit_cap: Any = "10",
) -> AppraisalRound:
    c = CLAUSE_APPRAISAL
    require(actor, "performance.add_appraisalround", clause=c)
    title = (title or "").strip()
    if not title:
        raise ValidationError(
            {"title": _("Name the appraisal round (%(clause)s).") % {"clause": c}}
        )
    if subject_kind not in SubjectKind.values:
        raise ValidationError({"subject_kind": _("Choose units or people (%(clause)s).")
                               % {"clause": c}})  # fmt: skip
    _period(first, last, c)
    zero = Decimal(0)
    values = {
        name: _decimal(value, name, c, minimum=zero)
        for name, value in (
            ("points_green", points_green), ("points_amber", points_amber),
            ("points_red", points_red), ("deduction_per_penalty", deduction_per_penalty),
            ("deduction_cap", deduction_cap), ("credit_per_reward", credit_per_reward),
            ("credit_cap", credit_cap),
        )
    }  # fmt: skip
    if not values["points_green"] >= values["points_amber"] >= values["points_red"]:
        raise ValidationError(
            {"points_amber": _("Points for amber lie between those for red and green "
                               "(%(clause)s).") % {"clause": c}}
        )  # fmt: skip
    found = AppraisalRound(
        number=number_next(AppraisalRound, f"AR-{first.year}-", 3), title=title,
        subject_kind=subject_kind, first=first, last=last, created_by=actor, **values,
    )  # fmt: skip
    found.full_clean()
    found.save()
    audit_record(actor=actor, action="performance.round.create", obj=found,
                 after=snapshot(found), clause=c)  # fmt: skip
    return found


def _editable(found: AppraisalRound) -> None:
    if found.voided_at is not None or found.status != RoundStatus.DRAFT:
        raise ValidationError(
            {"status": _("The round's scheme is fixed once its scores are proposed "
                         "(%(clause)s).") % {"clause": CLAUSE_APPRAISAL}}
        )  # fmt: skip


@transaction.atomic
def round_weight_set(
    *, actor: Any, round: AppraisalRound, objective: Objective, weight: Any
) -> RoundObjective:
    c = CLAUSE_APPRAISAL
    require(actor, "performance.propose_appraisalround", round, clause=c)
    locked = AppraisalRound.objects.select_for_update().get(pk=round.pk)
    _editable(locked)
    value = _decimal(weight, "weight", c, minimum=Decimal(0))
    if value == 0:
        raise ValidationError({"weight": _("A weight is greater than zero (%(clause)s).")
                               % {"clause": c}})  # fmt: skip
    if objective is None or objective.voided_at is not None:
        raise ValidationError({"objective": _("Choose an objective in force (%(clause)s).")
                               % {"clause": c}})  # fmt: skip
    if objective.last < locked.first or objective.first > locked.last:
        raise ValidationError(
            {"objective": _("The objective's period does not meet the round's (%(clause)s).")
             % {"clause": c}}
        )  # fmt: skip
    if locked.subject_kind == SubjectKind.UNIT and objective.unit_id is None:
        raise ValidationError(
            {"objective": _("A round of units weighs objectives of units (%(clause)s).")
             % {"clause": c}}
        )  # fmt: skip
    row, created = RoundObjective.objects.update_or_create(
        round=locked, objective=objective, defaults={"weight": value}
    )
    audit_record(
        actor=actor, action="performance.round.weight", obj=locked,
        after={"objective": objective.number, "weight": str(value), "new": created}, clause=c,
    )  # fmt: skip
    return row


def _subjects_of(found: AppraisalRound) -> list[tuple[Any, Any]]:
    """(unit, person) pairs appraised: the units or the owners of the weighed objectives."""
    weights = list(found.weights.select_related("objective__unit", "objective__owner"))
    seen: dict[int, tuple[Any, Any]] = {}
    for w in weights:
        if found.subject_kind == SubjectKind.UNIT:
            seen.setdefault(w.objective.unit_id or 0, (w.objective.unit, None))
        else:
            seen.setdefault(w.objective.owner_id, (None, w.objective.owner))
    return list(seen.values())


@transaction.atomic
def round_propose(*, actor: Any, round: AppraisalRound) -> AppraisalRound:
    """Compute every subject's score from the weighed objectives' lights over the round's
    period and the quality record's penalties, and propose them. Nobody proposes a round in
    which they are appraised."""
    c = CLAUSE_APPRAISAL
    require(actor, "performance.propose_appraisalround", round, clause=c)
    locked = AppraisalRound.objects.select_for_update().get(pk=round.pk)
    _editable(locked)
    subjects = _subjects_of(locked)
    if not subjects:
        raise ValidationError({"weights": _("Weigh at least one objective first (%(clause)s).")
                               % {"clause": c}})  # fmt: skip
    if any(person is not None and person.pk == actor.pk for _unit, person in subjects):
        raise SegregationOfDutiesError(
            _("You are appraised in this round; someone else proposes it (%(clause)s).")
            % {"clause": c}
        )
    now = timezone.now()
    for unit, person in subjects:
        computed = sel.score_compute(locked, unit=unit, person=person)
        Appraisal.objects.create(
            round=locked, unit=unit, person=person, objective_points=computed["objective_points"],
            deductions=computed["deductions"], credits=computed["credits"],
            score=computed["score"], breakdown=computed["breakdown"], computed_at=now,
        )  # fmt: skip
    before = snapshot(locked)
    locked.status, locked.proposed_at = RoundStatus.PROPOSED, now
    locked.save(update_fields=["status", "proposed_at"])
    audit_record(
        actor=actor, action="performance.round.propose", obj=locked, before=before,
        after={**snapshot(locked), "scores": sel.scores_digest(locked)}, clause=c,
    )  # fmt: skip
    return locked


def _appraised_ids(found: AppraisalRound) -> set[int]:
    return {pk for pk in found.appraisals.values_list("person_id", flat=True) if pk}


@transaction.atomic
def round_review(*, actor: Any, round: AppraisalRound, note: str = "") -> AppraisalRound:
    """The reviewer (not the proposer, not appraised, not the CQO who signs) checks the scores
    and sends the round to the CQO in office for signature through the approval inbox."""
    c = CLAUSE_APPRAISAL
    require(actor, "performance.review_appraisalround", round, clause=c)
    locked = AppraisalRound.objects.select_for_update().get(pk=round.pk)
    if locked.voided_at is not None or locked.status != RoundStatus.PROPOSED:
        raise ValidationError({"status": _("Only proposed scores are reviewed (%(clause)s).")
                               % {"clause": c}})  # fmt: skip
    if locked.created_by_id == actor.pk:
        raise SegregationOfDutiesError(
            _("You proposed these scores; someone else reviews them (%(clause)s).") % {"clause": c}
        )
    if actor.pk in _appraised_ids(locked):
        raise SegregationOfDutiesError(
            _("You are appraised in this round; someone else reviews it (%(clause)s).")
            % {"clause": c}
        )
    if engine.is_current_cqo(actor):
        raise SegregationOfDutiesError(
            _("The CQO signs the round; someone else reviews it (%(clause)s).") % {"clause": c}
        )
    request = approval_request_raise(
        actor=actor, subject=locked, kind=KIND_ROUND, authority="g",
        summary=_("Appraisal round %(number)s %(title)s: %(n)d scores for the CQO's signature")
        % {"number": locked.number, "title": locked.title, "n": locked.appraisals.count()},
    )  # fmt: skip
    before = snapshot(locked)
    locked.status, locked.reviewed_by, locked.reviewed_at = (
        RoundStatus.REVIEWED,
        actor,
        timezone.now(),
    )
    locked.approval = request
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "approval"])
    audit_record(actor=actor, action="performance.round.review", obj=locked, before=before,
                 after=snapshot(locked), reason=(note or "").strip(), clause=c)  # fmt: skip
    return locked


def round_content(found: AppraisalRound) -> dict[str, Any]:
    """What the CQO signs about a round: its scheme and every score."""
    return {
        "round": found.number, "title": found.title, "subjects": found.subject_kind,
        "period": [found.first.isoformat(), found.last.isoformat()],
        "scheme": {k: str(getattr(found, k)) for k in (
            "points_green", "points_amber", "points_red", "deduction_per_penalty",
            "deduction_cap", "credit_per_reward", "credit_cap")},
        "scores": sel.scores_digest(found),
    }  # fmt: skip


def round_approval_decided(*, actor: Any, request: Any, subject: AppraisalRound) -> None:
    """The inbox's decision on a round (in its transaction): approved → signed; rejected →
    returned (a new round is set up to appraise again). The signer is never the proposer, the
    reviewer or someone appraised in it."""
    c = CLAUSE_APPRAISAL
    locked = AppraisalRound.objects.select_for_update().get(pk=subject.pk)
    if actor.pk in {locked.created_by_id, locked.reviewed_by_id} | _appraised_ids(locked):
        raise SegregationOfDutiesError(
            _("You proposed, reviewed or are appraised in this round; someone else signs it "
              "(%(clause)s).") % {"clause": c}
        )  # fmt: skip
    before = snapshot(locked)
    if request.status == "approved":
        locked.status, locked.signed_by, locked.signed_at = (
            RoundStatus.SIGNED,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "signed_by", "signed_at"])
        action = "performance.round.sign"
        people = [a.person for a in locked.appraisals.select_related("person") if a.person_id]
        if people:
            notify(
                people,
                lambda: _("Your quality appraisal %(number)s is signed (%(clause)s).")
                % {"number": locked.number, "clause": c},
                url="/performance/my-appraisal/", clause=c,
            )  # fmt: skip
    else:
        locked.status = RoundStatus.RETURNED
        locked.save(update_fields=["status"])
        action = "performance.round.return"
    audit_record(actor=actor, action=action, obj=locked, before=before, after=snapshot(locked),
                 reason=request.decision_reason, clause=c)  # fmt: skip


def round_approval_withdrawn(*, actor: Any, request: Any, subject: AppraisalRound) -> None:
    locked = AppraisalRound.objects.select_for_update().get(pk=subject.pk)
    before = snapshot(locked)
    locked.status, locked.reviewed_by, locked.reviewed_at = RoundStatus.PROPOSED, None, None
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="performance.round.withdraw", obj=locked, before=before,
                 after=snapshot(locked), clause=CLAUSE_APPRAISAL)  # fmt: skip


@transaction.atomic
def appeal_raise(*, actor: Any, appraisal: Appraisal, grounds: str) -> AppraisalAppeal:
    c = CLAUSE_APPRAISAL
    require(actor, "performance.add_appraisalappeal", appraisal, clause=c)
    grounds = (grounds or "").strip()
    if not grounds:
        raise ValidationError({"grounds": _("Give the grounds of your appeal (%(clause)s).")
                               % {"clause": c}})  # fmt: skip
    if appraisal.appeals.filter(status=AppealStatus.OPEN).exists():
        raise ValidationError({"grounds": _("Your appeal is already awaiting an answer "
                                            "(%(clause)s).") % {"clause": c}})  # fmt: skip
    appeal = AppraisalAppeal.objects.create(appraisal=appraisal, grounds=grounds, raised_by=actor)
    audit_record(actor=actor, action="performance.appeal.raise", obj=appeal,
                 after=snapshot(appeal), clause=c)  # fmt: skip
    notify(
        [u for u in engine_cqo_users() if u.pk != actor.pk],
        lambda: _("An appraisal appeal awaits your answer (%(clause)s).") % {"clause": c},
        url=appraisal.get_absolute_url(), clause=c,
    )  # fmt: skip
    return appeal


def engine_cqo_users() -> list[Any]:
    from cqo.authorities.services import authority_holders

    return list(authority_holders("g", engine.WHOLE_ENTERPRISE))


@transaction.atomic
def appeal_answer(*, actor: Any, appeal: AppraisalAppeal, answer: str) -> AppraisalAppeal:
    c = CLAUSE_APPRAISAL
    require(actor, "performance.answer_appraisalappeal", appeal, clause=c)
    locked = AppraisalAppeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.raised_by_id == actor.pk or locked.appraisal.person_id == actor.pk:
        raise SegregationOfDutiesError(
            _("You appealed; someone else answers (%(clause)s).") % {"clause": c}
        )
    if locked.status != AppealStatus.OPEN:
        raise ValidationError({"answer": _("The appeal is already answered.")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer (%(clause)s).") % {"clause": c}})
    before = snapshot(locked)
    locked.status, locked.answer = AppealStatus.ANSWERED, answer
    locked.answered_by, locked.answered_at = actor, timezone.now()
    locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit_record(actor=actor, action="performance.appeal.answer", obj=locked, before=before,
                 after=snapshot(locked), clause=c)  # fmt: skip
    notify(
        [locked.raised_by],
        lambda: _("Your appraisal appeal was answered (%(clause)s).") % {"clause": c},
        url=locked.appraisal.get_absolute_url(), clause=c,
    )  # fmt: skip
    return locked
