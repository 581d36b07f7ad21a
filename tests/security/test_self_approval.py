"""Self-approval, tried from the attacker's side (issue 8 §1, issue 7 §3.3): the CQO raises a
request and then tries to decide it herself, through the API and through the page; a delegate
tries the same with a request of their own. Each attempt is refused, signs nothing and leaves
the request pending; the CQO's own request goes to the principal, who may decide it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cqo.audit.models import Signature
from cqo.authorities import selectors as sel
from cqo.authorities import services as S
from cqo.authorities.models import ApprovalRequest
from cqo.decisions import services as DS
from cqo.notifications.models import Notification
from cqo.plans import services as PS
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db
API = "/api/v1/authorities/approvals/"


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _api(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def _page(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _plan_request(org: Org) -> ApprovalRequest:
    plan = PS.plan_create(actor=org.cqo, title="2026 年质量计划", year=today().year)
    PS.plan_item_add(
        actor=org.cqo, plan=plan, title="项目一", owner=org.deputy.person, due_date=days(30)
    )
    return PS.plan_submit(actor=org.cqo, plan=plan)


def _decide_body() -> dict[str, str]:
    return {"decision": "approve", "reason": "同意", "password": PASSWORD}


def test_the_cqo_cannot_approve_through_the_api_a_request_she_raised_through_the_api(
    org: Org,
) -> None:
    plan = PS.plan_create(actor=org.cqo, title="计划", year=today().year)
    raised = _api(org.cqo).post(
        API,
        {"subject_type": "plans.qualityplan", "object_id": str(plan.pk),
         "kind": "spending", "amount": "1000.00", "summary": "购置检具"},
        format="json",
    )  # fmt: skip
    assert raised.status_code == 201, raised.content
    signatures = Signature.objects.count()
    response = _api(org.cqo).post(f"{API}{raised.json()['id']}/decide/", _decide_body())
    assert response.status_code == 403
    assert "§6 c)" in response.json()["detail"]
    assert ApprovalRequest.objects.get(pk=raised.json()["id"]).status == "pending"
    assert Signature.objects.count() == signatures


def test_the_cqo_cannot_approve_her_own_plan_on_the_page(org: Org) -> None:
    request = _plan_request(org)
    url = reverse("authorities:approval_detail", args=[request.pk])
    client = _page(org.cqo)
    assert 'name="sig-password"' not in client.get(url).content.decode()
    client.post(
        url,
        {"decision": "approve", "reason": "同意", "sig-password": PASSWORD, "sig-confirm": "on"},
    )
    request.refresh_from_db()
    assert request.status == "pending" and request.decided_by is None
    assert request not in sel.approvals_awaiting(org.cqo)


def test_a_request_raised_by_the_cqo_goes_to_the_principal_who_may_decide_it(org: Org) -> None:
    request = _plan_request(org)
    assert list(sel.approvals_awaiting(org.principal)) == [request]
    assert Notification.objects.filter(recipient=org.principal).exists()
    assert not Notification.objects.filter(recipient=org.cqo, message__contains="计划").exists()
    response = _api(org.principal).post(f"{API}{request.pk}/decide/", _decide_body())
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert "principal" in response.json()["decided_as"]


def test_a_delegate_cannot_decide_a_request_they_raised(org: Org) -> None:
    S.delegation_create(
        actor=org.cqo, authority="c", delegate=org.deputy.person, units=[org.qm],
        start_date=today(), end_date=days(30),
    )  # fmt: skip
    decision = DS.decision_create(actor=org.head, kind="other", title="临时偏离", unit=org.qm)
    raised = _api(org.deputy).post(
        API,
        {"subject_type": "decisions.businessdecision", "object_id": str(decision.pk),
         "kind": "deviation", "unit": org.inspection.pk, "summary": "偏离许可"},
        format="json",
    )  # fmt: skip
    assert raised.status_code == 201, raised.content
    response = _api(org.deputy).post(f"{API}{raised.json()['id']}/decide/", _decide_body())
    assert response.status_code == 403
    assert ApprovalRequest.objects.get(pk=raised.json()["id"]).status == "pending"
    # The CQO, who did not raise it, still may.
    assert (
        _api(org.cqo).post(f"{API}{raised.json()['id']}/decide/", _decide_body()).status_code == 200
    )


def test_nobody_decides_a_request_about_a_record_of_their_own(org: Org) -> None:
    decision = DS.decision_create(actor=org.cqo, kind="other", title="CQO 的决定")
    request = S.approval_request_raise(
        actor=org.engineer, subject=decision, kind="deviation", summary="偏离许可"
    )
    response = _api(org.cqo).post(f"{API}{request.pk}/decide/", _decide_body())
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_principal_cannot_approve_a_business_decision_he_recorded(org: Org) -> None:
    decision = DS.decision_create(actor=org.principal, kind="other", title="自批")
    DS.decision_submit(actor=org.principal, decision=decision)
    response = _api(org.principal).post(f"/api/v1/authorities/decisions/{decision.pk}/approve/")
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.status == "submitted"
