"""A department head submits or withdraws only the decisions of the unit tree they head, and a
decision the principal approved is withdrawn only by its approver (issue 8 §1).

Before the fix any department head could submit or withdraw any unit's decision, even one the
principal had approved or one under a veto. Tried from the attacker's side, by API and page.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from cqo.authorities import services as S
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision, DecisionStatus
from cqo.organisation import roles as R
from cqo.organisation.models import UnitKind
from cqo.post.models import Appointment, AppointmentStatus
from cqo.testing.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    UnitFactory,
    member,
)


class Org:
    def __init__(self) -> None:
        enterprise = EnterpriseFactory()
        self.root = UnitFactory(enterprise=enterprise, kind=UnitKind.COMPANY, code="ROOT")
        self.production = UnitFactory(parent=self.root, code="PD", name="生产部")
        self.workshop = UnitFactory(parent=self.production, code="PD-AS", name="装配车间")
        self.sales = UnitFactory(parent=self.root, code="SA", name="销售部")
        self.principal = member([R.PRINCIPAL], unit=self.root, username="boss")
        self.cqo = member([R.CQO], unit=self.root, username="cqo")
        self.author = member([R.QUALITY_ENGINEER], unit=self.workshop, username="qe")
        self.head_production = member([R.DEPARTMENT_HEAD], unit=self.production, username="hp")
        self.head_sales = member([R.DEPARTMENT_HEAD], unit=self.sales, username="hs")
        for unit, head in ((self.production, self.head_production), (self.sales, self.head_sales)):
            unit.head = head.person
            unit.save(update_fields=["head"])
        enterprise.principal = self.principal.person
        enterprise.save(update_fields=["principal"])
        Appointment.objects.create(
            enterprise=enterprise, number="SCOPE-CQO", person=self.cqo.person,
            principal=self.principal.person,
            effective_from=timezone.localdate() - datetime.timedelta(days=10),
            status=AppointmentStatus.SIGNED, signed_at=timezone.now(),
        )  # fmt: skip

    def decision(self, status: str = DecisionStatus.DRAFT) -> BusinessDecision:
        decision = DS.decision_create(
            actor=self.author, kind="other", title="装配线改造", unit=self.workshop
        )
        if status != DecisionStatus.DRAFT:
            DS.decision_submit(actor=self.author, decision=decision)
        if status == DecisionStatus.APPROVED:
            DS.decision_approve(actor=self.principal, decision=decision)
        decision.refresh_from_db()
        return decision

    def api(self, user: Any, step: str, decision: BusinessDecision) -> int:
        client = APIClient()
        client.force_login(user)
        body = {"reason": "不要了"} if step == "withdraw" else {}
        url = f"/api/v1/authorities/decisions/{decision.pk}/{step}/"
        return client.post(url, body, format="json").status_code

    def page(self, user: Any, step: str, decision: BusinessDecision) -> None:
        client = Client()
        client.force_login(user)
        client.post(f"/authorities/decisions/{decision.pk}/{step}/", {"reason": "不要了"})


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _status(decision: BusinessDecision) -> str:
    decision.refresh_from_db()
    return decision.status


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_a_head_of_another_unit_cannot_move_the_decision_through_the_api(
    org: Org, step: str
) -> None:
    decision = org.decision()
    assert org.api(org.head_sales, step, decision) == 403
    assert _status(decision) == DecisionStatus.DRAFT


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_a_head_of_another_unit_cannot_move_the_decision_on_the_page(org: Org, step: str) -> None:
    decision = org.decision()
    org.page(org.head_sales, step, decision)
    assert _status(decision) == DecisionStatus.DRAFT


def test_the_head_of_a_unit_above_submits_it(org: Org) -> None:
    decision = org.decision()
    assert org.api(org.head_production, "submit", decision) == 200
    assert _status(decision) == DecisionStatus.SUBMITTED


def test_a_head_of_another_unit_cannot_withdraw_a_decision_under_veto(org: Org) -> None:
    decision = org.decision(DecisionStatus.SUBMITTED)
    S.veto_impose(actor=org.cqo, subject=decision, reason="安全风险", password=TEST_PASSWORD)
    assert org.api(org.head_sales, "withdraw", decision) == 403
    assert _status(decision) == DecisionStatus.SUBMITTED


@pytest.mark.parametrize("who", ["head_sales", "head_production", "author"])
def test_only_the_approver_withdraws_an_approved_decision(org: Org, who: str) -> None:
    decision = org.decision(DecisionStatus.APPROVED)
    assert org.api(getattr(org, who), "withdraw", decision) == 403
    assert _status(decision) == DecisionStatus.APPROVED
    assert org.api(org.principal, "withdraw", decision) == 200
    assert _status(decision) == DecisionStatus.WITHDRAWN


def test_a_head_sees_no_button_for_a_decision_outside_their_tree(org: Org) -> None:
    decision = org.decision()
    assert not org.head_sales.has_perm("decisions.submit_businessdecision", decision)
    assert org.head_production.has_perm("decisions.submit_businessdecision", decision)
