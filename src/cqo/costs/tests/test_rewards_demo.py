"""The rewards part's demo: two rules, one reward paid from the fund, one penalty on the record."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.core.demo import DemoContext
from cqo.costs import demo_fund, demo_rewards
from cqo.costs.models import DecisionStatus, RewardDecision, RewardRule, SpendingStatus
from cqo.organisation.quality_record import quality_record
from cqo.testing.world import PASSWORD, Org


@pytest.mark.django_db
def test_the_demo_builds_two_rules_a_reward_paid_from_the_fund_and_a_penalty_on_the_record(
    monkeypatch: Any,
) -> None:
    org = Org()
    ctx = DemoContext(password=PASSWORD)
    ctx.add("organisation.users", {"cqo": org.cqo, "principal": org.principal,
                                   "deputy": org.deputy, "head_production": org.head,
                                   "metrology": org.inspector})  # fmt: skip
    ctx.add("organisation.units", {"QM": org.qm, "QM-IN": org.inspection, "QM-MT": org.lab,
                                   "PD": org.production, "PD-MC": org.production})  # fmt: skip
    demo_fund.build(ctx)
    demo_rewards.build(ctx)
    assert RewardRule.objects.count() == 2
    reward = RewardDecision.objects.get(pk=ctx.get("costs.reward").pk)
    assert reward.fund_refusal == "" and reward.spending.status == SpendingStatus.PAID
    assert RewardDecision.objects.filter(kind="penalty", status=DecisionStatus.DECIDED).exists()
    [entry] = quality_record(person=org.inspector.person)
    assert entry.source == "costs.rewards"
    assert demo_rewards.present()
