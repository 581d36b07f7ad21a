"""The fund part's demo: a budget approved by the principal, a fund with spendings in three
purposes and one refused for lack of balance."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.core.demo import DemoContext
from cqo.costs import demo_fund
from cqo.costs import selectors_fund as sel
from cqo.costs.models import BudgetStatus, FundSpending, SpendingStatus
from cqo.testing.world import PASSWORD, Org


@pytest.mark.django_db
def test_the_demo_builds_an_approved_budget_and_a_fund_with_three_purposes_spent_and_a_refusal(
    monkeypatch: Any,
) -> None:
    org = Org()
    ctx = DemoContext(password=PASSWORD)
    users = {"cqo": org.cqo, "principal": org.principal, "deputy": org.deputy,
             "head_production": org.head, "metrology": org.inspector}  # fmt: skip
    units = {"QM": org.qm, "QM-IN": org.inspection, "QM-MT": org.lab, "PD": org.production,
             "PD-MC": org.production}  # fmt: skip
    ctx.add("organisation.users", users)
    ctx.add("organisation.units", units)
    demo_fund.build(ctx)
    assert ctx.get("costs.budget").status == BudgetStatus.APPROVED
    fund = ctx.get("costs.fund")
    spendings = FundSpending.objects.filter(fund=fund)
    assert spendings.count() == 3
    assert len({s.purpose_id for s in spendings}) == 3
    assert set(spendings.values_list("status", flat=True)) <= {
        SpendingStatus.APPROVED, SpendingStatus.PAID}  # fmt: skip
    assert len(sel.refused_applications(fund)) == 1
    assert demo_fund.present()
