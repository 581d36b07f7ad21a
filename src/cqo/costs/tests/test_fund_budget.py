"""The quality budget (§6 f)): prepared by the CQO, approved by the principal only; commitments
and actuals against it; variance alerts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.authorities.models import ApprovalRequest
from cqo.costs import selectors_fund as sel
from cqo.costs import services_fund as S
from cqo.costs.models import BudgetStatus, PurposeKind
from cqo.notifications.models import Notification
from cqo.testing.fund import (
    budget_with_lines,
    decide,
    fund_with_purposes,
    spending_applied,
)
from cqo.testing.world import Org, today


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def test_the_principal_approves_the_cqos_budget_with_an_e_signature(org: Org) -> None:
    budget = budget_with_lines(org)
    budget = S.budget_submit(actor=org.cqo, budget=budget)
    request = ApprovalRequest.objects.get(pk=budget.approval_id)
    assert budget.status == BudgetStatus.SUBMITTED and request.kind == "quality_budget"
    assert request.amount == Decimal("30000.00")
    with pytest.raises(PermissionDenied):
        decide(org.cqo, budget)  # her own request goes to the principal
    budget = decide(org.principal, budget)
    assert budget.status == BudgetStatus.APPROVED and budget.approved_at is not None
    assert sel.budget_figures(budget).approved
    assert AuditEvent.objects.filter(action="costs.budget.approve").count() == 1


def test_a_budget_returned_by_the_principal_is_not_approved_and_can_be_changed(org: Org) -> None:
    budget = S.budget_submit(actor=org.cqo, budget=budget_with_lines(org))
    budget = decide(org.principal, budget, "reject", "培训预算偏高")
    assert budget.status == BudgetStatus.RETURNED
    assert not sel.budget_figures(budget).approved
    S.budget_line_set(actor=org.cqo, budget=budget, unit=org.qm, item_code="p_training",
                      amount="8000")  # fmt: skip
    assert S.budget_total(budget) == Decimal("28000.00")


def test_it_never_counts_a_budget_without_the_principals_approval_as_approved(org: Org) -> None:
    budget = budget_with_lines(org, alert_percent="50")
    figures = sel.budget_figures(budget)
    assert not figures.approved and figures.alerts == 0
    assert sel.budget_alert_rows(org.cqo, year=budget.year) == []


def test_it_refuses_a_line_with_an_unknown_cost_item_naming_the_field_and_clause(org: Org) -> None:
    budget = budget_with_lines(org)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        S.budget_line_set(actor=org.cqo, budget=budget, unit=org.qm, item_code="x_nothing",
                          amount="1")  # fmt: skip
    assert "item_code" in caught.value.message_dict
    assert "§7.1.5" in caught.value.message_dict["item_code"][0]


@pytest.mark.parametrize("amount", ["abc", "1e400", "NaN", "12.345", "-5", ""])
def test_it_refuses_an_amount_that_is_not_yuan_with_two_places(org: Org, amount: str) -> None:
    budget = budget_with_lines(org)
    with pytest.raises(ValidationError) as caught:
        S.budget_line_set(actor=org.cqo, budget=budget, unit=org.qm, item_code="p_training",
                          amount=amount)  # fmt: skip
    assert "§6 f)" in caught.value.message_dict["amount"][0]


def test_only_the_cqo_in_office_prepares_and_sends_the_budget(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        S.budget_create(actor=org.deputy, year=today().year)
    budget = budget_with_lines(org)
    with pytest.raises(PermissionDenied):
        S.budget_submit(actor=org.principal, budget=budget)


def test_an_approved_budget_cannot_be_changed(org: Org) -> None:
    budget = decide(org.principal, S.budget_submit(actor=org.cqo, budget=budget_with_lines(org)))
    with pytest.raises(ValidationError) as caught:
        S.budget_line_set(actor=org.cqo, budget=budget, unit=org.qm, item_code="p_training",
                          amount="1")  # fmt: skip
    assert "budget" in caught.value.message_dict


def test_it_refuses_a_second_budget_for_the_same_year(org: Org) -> None:
    budget_with_lines(org)
    with pytest.raises(ValidationError) as caught:
        S.budget_create(actor=org.cqo, year=today().year)
    assert "year" in caught.value.message_dict


def test_an_approved_spending_is_a_commitment_and_passing_the_alert_level_tells_the_cqo(
    org: Org,
) -> None:
    budget = decide(org.principal, S.budget_submit(
        actor=org.cqo, budget=budget_with_lines(org, alert_percent="80")))  # fmt: skip
    fund, purposes = fund_with_purposes(org)
    spending = spending_applied(org, fund, purposes[PurposeKind.TALENT], "8500", unit=org.qm)
    figures = sel.budget_figures(budget)
    row = next(r for r in figures.rows if r.line.item_code == "p_training")
    assert row.commitment == 0  # awaiting a decision is not yet a commitment
    decide(org.cqo, spending)
    row = next(r for r in sel.budget_figures(budget).rows if r.line.item_code == "p_training")
    assert row.commitment == Decimal("8500.00") and row.percent == Decimal("85.0") and row.alert
    assert row.actual is None  # the ledger has no figure: shown as missing, not as zero
    assert S.budget_alerts_notify() == 1
    assert Notification.objects.filter(
        recipient=org.cqo, url__contains=f"/budgets/{budget.pk}/"
    ).exists()
    assert S.budget_alerts_notify() == 0  # once a week per line
