from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.authorities import services as S
from cqo.authorities.models import ApprovalRequest, Delegation, Veto
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db
BASE = "/api/v1/authorities"


def _as(user: Any, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def _decision(org: Org) -> BusinessDecision:
    decision = DS.decision_create(
        actor=org.head, kind="supplier_approval", title="批准新压铸件供应商", unit=org.production
    )
    return DS.decision_submit(actor=org.head, decision=decision)


def test_the_cqo_delegates_through_the_api_and_a_wider_sub_delegation_is_refused(
    org: Org,
) -> None:
    response = _as(org.cqo).post(
        f"{BASE}/delegations/",
        {
            "authority": "c", "delegate": org.deputy.person.pk, "units": [org.inspection.pk],
            "start_date": today().isoformat(), "end_date": days(30).isoformat(),
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "in_force"
    count = AuditEvent.objects.count()
    wider = _as(org.deputy).post(
        f"{BASE}/delegations/",
        {
            "authority": "c", "delegate": org.engineer.person.pk, "units": [org.qm.pk],
            "start_date": today().isoformat(), "end_date": days(10).isoformat(),
        },
        format="json",
    )  # fmt: skip
    assert wider.status_code == 400
    assert "§6 c)" in wider.json()["units"][0]
    assert AuditEvent.objects.count() == count
    revoked = _as(org.cqo).post(
        f"{BASE}/delegations/{response.json()['id']}/revoke/", {"reason": "调整"}, format="json"
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"


def test_someone_without_authority_cannot_delegate_or_revoke(org: Org) -> None:
    delegation = S.delegation_create(
        actor=org.cqo, authority="c", delegate=org.deputy.person, units=[org.inspection],
        start_date=today(), end_date=days(5),
    )  # fmt: skip
    assert _as(org.engineer).post(f"{BASE}/delegations/", {}, format="json").status_code == 403
    response = _as(org.engineer).post(
        f"{BASE}/delegations/{delegation.pk}/revoke/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    assert Delegation.objects.get(pk=delegation.pk).revoked_at is None


def test_a_module_raises_a_request_and_the_cqo_decides_it_with_a_signature(org: Org) -> None:
    decision = _decision(org)
    raised = _as(org.inspector).post(
        f"{BASE}/approvals/",
        {
            "subject_type": "decisions.businessdecision", "object_id": str(decision.pk),
            "kind": "deviation", "unit": org.inspection.pk, "summary": "偏离许可：尺寸公差放宽",
            "amount": "300.00",
        },
        format="json",
    )  # fmt: skip
    assert raised.status_code == 201, raised.content
    pk = raised.json()["id"]
    inbox = _as(org.cqo).get(f"{BASE}/approvals/?inbox=1").json()
    assert [r["id"] for r in inbox["results"]] == [pk]
    wrong = _as(org.cqo).post(
        f"{BASE}/approvals/{pk}/decide/",
        {"decision": "approve", "reason": "ok", "password": "bad"},
        format="json",
    )
    assert wrong.status_code == 400
    decided = _as(org.cqo).post(
        f"{BASE}/approvals/{pk}/decide/",
        {"decision": "approve", "reason": "风险可控", "password": PASSWORD},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["decided_as"] == "Approved as CQO under §6 c)"


def test_raising_for_a_record_that_does_not_exist_is_a_400(org: Org) -> None:
    response = _as(org.inspector).post(
        f"{BASE}/approvals/",
        {"subject_type": "decisions.businessdecision", "object_id": "999", "kind": "anomaly",
         "summary": "x"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "object_id" in response.json()


def test_an_engineer_cannot_decide_a_request(org: Org) -> None:
    request = S.approval_request_raise(
        actor=org.inspector, subject=_decision(org), kind="anomaly", summary="异常处置"
    )
    response = _as(org.engineer).post(
        f"{BASE}/approvals/{request.pk}/decide/",
        {"decision": "approve", "reason": "ok", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 403
    assert ApprovalRequest.objects.get(pk=request.pk).status == "pending"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_vetoed_decision_answers_409_citing_clause_6_i_and_lifts_only_for_the_cqo(
    org: Org, language: str
) -> None:
    decision = _decision(org)
    vetoed = _as(org.cqo).post(
        f"{BASE}/vetoes/",
        {"subject_type": "decisions.businessdecision", "subject_id": str(decision.pk),
         "reason": "供应商质量体系审核未通过", "password": PASSWORD},
        format="json",
    )  # fmt: skip
    assert vetoed.status_code == 201, vetoed.content
    refused = _as(org.principal, language).post(f"{BASE}/decisions/{decision.pk}/approve/")
    assert refused.status_code == 409
    assert refused.json()["clause"] == "§6 i)"
    assert "§6 i)" in refused.json()["detail"]
    if language == "zh-hans":
        assert "一票否决" in refused.json()["detail"]
    assert BusinessDecision.objects.get(pk=decision.pk).status == "submitted"
    veto_id = vetoed.json()["id"]
    not_cqo = _as(org.principal, language).post(
        f"{BASE}/vetoes/{veto_id}/lift/", {"reason": "x", "password": PASSWORD}, format="json"
    )
    assert not_cqo.status_code == 403 and "§6 i)" in not_cqo.json()["detail"]
    lifted = _as(org.cqo).post(
        f"{BASE}/vetoes/{veto_id}/lift/",
        {"reason": "复审通过", "password": PASSWORD},
        format="json",
    )
    assert lifted.status_code == 200 and lifted.json()["active"] is False
    assert _as(org.principal).post(f"{BASE}/decisions/{decision.pk}/approve/").status_code == 200


def test_a_non_cqo_veto_through_the_api_is_403_with_the_clause(org: Org) -> None:
    decision = _decision(org)
    response = _as(org.deputy).post(
        f"{BASE}/vetoes/",
        {"subject_type": "decisions.businessdecision", "subject_id": str(decision.pk),
         "reason": "x", "password": PASSWORD},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403 and "§6 i)" in response.json()["detail"]
    assert not Veto.objects.exists()


def test_proposals_plans_and_notifications_through_the_api(org: Org) -> None:
    proposal = _as(org.cqo).post(
        f"{BASE}/proposals/", {"title": "设立质量奖", "body": "……"}, format="json"
    )
    assert proposal.status_code == 201, proposal.content
    pk = proposal.json()["id"]
    assert [
        p["id"]
        for p in _as(org.principal).get(f"{BASE}/proposals/?side=principal").json()["results"]
    ] == [pk]
    assert [p["id"] for p in _as(org.cqo).get(f"{BASE}/proposals/?side=cqo").json()["results"]] == [
        pk
    ]
    answered = _as(org.principal).post(
        f"{BASE}/proposals/{pk}/answer/", {"answer": "accept"}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    assert (
        _as(org.engineer)
        .post(f"{BASE}/proposals/", {"title": "x", "body": "y"}, format="json")
        .status_code
        == 403
    )

    plan = _as(org.cqo).post(
        f"{BASE}/plans/", {"title": "年度计划", "year": today().year}, format="json"
    )
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    item = _as(org.cqo).post(
        f"{BASE}/plans/{plan_id}/items/",
        {"title": "供应商审核", "owner": org.deputy.person.pk, "due_date": days(60).isoformat()},
        format="json",
    )
    assert item.status_code == 201, item.content
    submitted = _as(org.cqo).post(f"{BASE}/plans/{plan_id}/submit/", {}, format="json")
    assert submitted.status_code == 201 and submitted.json()["kind"] == "quality_plan"

    notes = _as(org.cqo).get(f"{BASE}/notifications/?unread=1").json()
    assert notes["count"] >= 1
    read = _as(org.cqo).post(f"{BASE}/notifications/read/", {}, format="json")
    assert read.json()["read"] == notes["count"]


def test_the_schema_describes_the_authorities_endpoints(org: Org) -> None:
    response = _as(org.cqo).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/authorities/vetoes/" in response.content
    # One veto path: no per-model veto route beside the generic one.
    assert b"/api/v1/authorities/decisions/{id}/veto/" not in response.content
