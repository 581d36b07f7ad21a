"""Every change to the quality strategy and plans (§6 a)): keyword-only, the actor's authority
checked, audited, in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, snapshot
from cqo.authorities.models import ApprovalRequest, ApprovalStatus
from cqo.authorities.services import (
    CLAUSE_APPROVAL,
    CLAUSE_STRATEGY,
    _unit_check,
    approval_request_raise,
)
from cqo.authorities.vetoable import (
    veto_refuse_if_active,
)
from cqo.core.permissions import require
from cqo.organisation.models import Person, PersonStatus, Unit

from .models import PlanItem, PlanStatus, QualityPlan, QualityStrategy, StrategyStatus

# --- strategy and plans (§6 a)) ----------------------------------------------------------


def _year(value: Any, field: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a year, e.g. 2026.")}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({field: _("Give a year between 2000 and 2100.")})
    return year


@transaction.atomic
def strategy_create(
    *,
    actor: User,
    title: str,
    start_year: int,
    end_year: int,
    summary: str = "",
    title_en: str = "",
) -> QualityStrategy:
    require(actor, "plans.add_qualitystrategy", clause=CLAUSE_STRATEGY)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the strategy a title.")})
    first, last = _year(start_year, "start_year"), _year(end_year, "end_year")
    if last < first:
        raise ValidationError({"end_year": _("The last year cannot come before the first.")})
    strategy = QualityStrategy(
        title=title,
        title_en=(title_en or "").strip(),
        summary=(summary or "").strip(),
        start_year=first,
        end_year=last,
        owner=actor,
    )
    strategy.full_clean()
    strategy.save()
    audit_record(
        actor=actor,
        action="plans.strategy.create",
        obj=strategy,
        after=snapshot(strategy),
        clause=CLAUSE_STRATEGY,
    )
    return strategy


@transaction.atomic
def strategy_set_status(
    *, actor: User, strategy: QualityStrategy, status: str, reason: str = ""
) -> QualityStrategy:
    require(actor, "plans.change_qualitystrategy", strategy, clause=CLAUSE_STRATEGY)
    if status not in StrategyStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    locked = QualityStrategy.objects.select_for_update().get(pk=strategy.pk)
    before = snapshot(locked)
    locked.status = status
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="plans.strategy.status",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_STRATEGY,
    )
    return locked


@transaction.atomic
def plan_create(
    *,
    actor: User,
    title: str,
    year: int,
    strategy: QualityStrategy | None = None,
    unit: Unit | None = None,
    title_en: str = "",
) -> QualityPlan:
    require(actor, "plans.add_qualityplan", unit, clause=CLAUSE_STRATEGY)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the plan a title.")})
    plan_year = _year(year, "year")
    if strategy is not None:
        if strategy.voided_at is not None or strategy.status == StrategyStatus.RETIRED:
            raise ValidationError({"strategy": _("This strategy is no longer in use.")})
        if not strategy.start_year <= plan_year <= strategy.end_year:
            raise ValidationError(
                {"year": _("The plan's year lies outside the strategy's years (%(a)s–%(b)s).")
                 % {"a": strategy.start_year, "b": strategy.end_year}}
            )  # fmt: skip
    _unit_check(unit)
    plan = QualityPlan(
        title=title,
        title_en=(title_en or "").strip(),
        year=plan_year,
        strategy=strategy,
        unit=unit,
        owner=actor,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="plans.plan.create",
        obj=plan,
        after=snapshot(plan),
        clause=CLAUSE_STRATEGY,
    )
    return plan


@transaction.atomic
def plan_item_add(
    *,
    actor: User,
    plan: QualityPlan,
    title: str,
    owner: Person,
    due_date: datetime.date,
    note: str = "",
) -> PlanItem:
    require(actor, "plans.add_planitem", plan, clause=CLAUSE_STRATEGY)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(
            {"plan": _("Items are added while the plan is a draft or has been returned.")}
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what the item is.")})
    if owner is None or owner.status != PersonStatus.ACTIVE:
        raise ValidationError({"owner": _("Choose an owner who is still with the enterprise.")})
    if due_date is None:
        raise ValidationError({"due_date": _("Give the item a deadline.")})
    item = PlanItem(plan=plan, title=title, owner=owner, due_date=due_date, note=note or "")
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="plans.planitem.create",
        obj=item,
        after=snapshot(item),
        clause=CLAUSE_STRATEGY,
    )
    return item


@transaction.atomic
def plan_item_progress(*, actor: User, item: PlanItem, progress: Any, note: str = "") -> PlanItem:
    require(actor, "plans.update_planitem", item, clause=CLAUSE_STRATEGY)
    try:
        value = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": _("Give progress as a whole percentage.")}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    locked = PlanItem.objects.select_for_update().get(pk=item.pk)
    if locked.plan.status not in (PlanStatus.APPROVED,):
        raise ValidationError(
            {"progress": _("Progress is recorded once the plan has been approved.")}
        )
    before = snapshot(locked)
    locked.progress = value
    if note:
        locked.note = note.strip()
    locked.save(update_fields=["progress", "note"])
    audit_record(
        actor=actor,
        action="plans.planitem.progress",
        obj=locked,
        before=before,
        after=snapshot(locked),
        clause=CLAUSE_STRATEGY,
    )
    return locked


def _plan_status(actor: User, plan: QualityPlan, status: str, *, reason: str = "") -> QualityPlan:
    locked = QualityPlan.objects.select_for_update().get(pk=plan.pk)
    before = snapshot(locked)
    locked.status = status
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=f"plans.plan.{status}",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_APPROVAL
        if status in (PlanStatus.APPROVED, PlanStatus.RETURNED)
        else CLAUSE_STRATEGY,
    )
    return locked


@transaction.atomic
def plan_submit(
    *, actor: User, plan: QualityPlan, due: datetime.date | None = None
) -> ApprovalRequest:
    """Send a plan for approval through the inbox (§6 c)); approval moves it to "approved"."""
    require(actor, "plans.submit_qualityplan", plan, clause=CLAUSE_STRATEGY)
    veto_refuse_if_active(plan)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError({"status": _("Only a draft or returned plan can be submitted.")})
    if not plan.items.filter(voided_at__isnull=True).exists():
        raise ValidationError({"items": _("Add at least one item before submitting the plan.")})
    _plan_status(actor, plan, PlanStatus.SUBMITTED)
    plan.refresh_from_db()
    return approval_request_raise(
        actor=actor,
        subject=plan,
        kind=KIND_QUALITY_PLAN,
        authority="c",
        unit=plan.unit,
        due=due,
        summary=_("Approve the quality plan “%(title)s” for %(year)s.")
        % {"title": plan.title, "year": plan.year},
    )


@transaction.atomic
def plan_close(*, actor: User, plan: QualityPlan, reason: str = "") -> QualityPlan:
    require(actor, "plans.change_qualityplan", plan, clause=CLAUSE_STRATEGY)
    veto_refuse_if_active(plan)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved plan can be closed.")})
    return _plan_status(actor, plan, PlanStatus.CLOSED, reason=reason)


KIND_QUALITY_PLAN = "quality_plan"


def plan_approval_decided(*, actor: User, request: ApprovalRequest, subject: QualityPlan) -> None:
    """The ``quality_plan`` kind's handler: approval approves the submitted plan, rejection
    returns it."""
    if subject.status != PlanStatus.SUBMITTED:
        return
    status = (
        PlanStatus.APPROVED if request.status == ApprovalStatus.APPROVED else PlanStatus.RETURNED
    )
    _plan_status(actor, subject, status, reason=request.decision_reason)


def plan_approval_withdrawn(*, actor: User, request: ApprovalRequest, subject: QualityPlan) -> None:
    """A withdrawn plan request returns the submitted plan to its author."""
    if subject.status == PlanStatus.SUBMITTED:
        _plan_status(actor, subject, PlanStatus.RETURNED, reason=request.decision_reason)
