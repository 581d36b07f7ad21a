"""The rewards part's reads (§7.2.4.2): the rules and decisions a user may see, and the
quality-record source that puts each decided penalty and reward on the person's or unit's record."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from .models_rewards import DecisionStatus, RewardDecision, RewardKind, RewardRule


def rules_visible(user: Any, *, kind: str = "", voided: bool = False) -> QuerySet[RewardRule]:
    if not user.has_perm("costs.view_rewardrule"):
        return RewardRule.objects.none()
    qs = RewardRule.objects.select_related("created_by")
    if kind in RewardKind.values:
        qs = qs.filter(kind=kind)
    if not voided:
        qs = qs.filter(voided_at__isnull=True)
    return qs


def decisions_visible(
    user: Any, *, kind: str = "", status: str = "", rule: Any = None
) -> QuerySet[RewardDecision]:
    if not user.has_perm("costs.view_rewarddecision"):
        return RewardDecision.objects.none()
    qs = RewardDecision.objects.select_related(
        "rule", "person", "unit", "raised_by", "decided_by", "spending"
    )
    if kind in RewardKind.values:
        qs = qs.filter(kind=kind)
    if status in DecisionStatus.values:
        qs = qs.filter(status=status)
    if rule not in (None, ""):
        try:
            qs = qs.filter(rule_id=int(str(rule)))
        except ValueError:
            qs = qs.none()
    return qs


def quality_record_entries(
    *,
    person: Any = None,
    unit: Any = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> Iterator[Any]:
    """The quality-record source: each decided penalty or reward under an enterprise rule
    (§7.2.4.2) on the person or unit it names (the appraisal deducts for the one and credits the
    other, §6 g)); rejected and voided ones leave no entry."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from cqo.core.clauses import clause
    from cqo.organisation.quality_record import QualityRecordEntry

    qs = RewardDecision.objects.filter(
        voided_at__isnull=True, status=DecisionStatus.DECIDED
    ).select_related("rule")
    qs = qs.filter(person=person) if person is not None else qs.filter(unit=unit)
    for decision in qs.order_by("id"):
        assert decision.decided_at is not None
        day = timezone.localtime(decision.decided_at).date()
        if (first and day < first) or (last and day > last):
            continue
        yield QualityRecordEntry(
            source="costs.rewards",
            key=f"decision:{decision.pk}",
            date=day,
            kind="penalty" if decision.kind == RewardKind.PENALTY else "reward",
            title=(
                _("Penalty %(number)s under rule %(rule)s")
                if decision.kind == RewardKind.PENALTY
                else _("Reward %(number)s under rule %(rule)s")
            )
            % {"number": decision.number, "rule": decision.rule.title},
            measure=decision.rule.title,
            clause=clause("§7.2.4.2"),
            amount=decision.amount,
            url=reverse("costs:reward_decision_detail", args=[decision.pk]),
            person_id=decision.person_id,
            unit_id=decision.unit_id,
        )
