"""The one-vote veto (§6 i)) closed on every side: only the CQO in office lifts it, a decision
that may still go forward may be vetoed whatever its status, every vetoable record can be vetoed
from its page and the API, and no door around the services lifts a veto or moves a vetoed
record forward."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from cqo.authorities import engine
from cqo.authorities import services as S
from cqo.authorities.models import ApprovalRequest, Veto
from cqo.authorities.vetoable import VetoActiveError, VetoTamperError, flow_for
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision, Proposal
from cqo.plans import services as PS
from cqo.plans.models import QualityPlan
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db
API = "/api/v1/authorities"


def _decision(org: Org) -> BusinessDecision:
    decision = DS.decision_create(
        actor=org.head, kind="product_launch", title="新款制动卡钳上市", unit=org.production
    )
    return DS.decision_submit(actor=org.head, decision=decision)


def _veto(org: Org, subject: Any, actor: Any = None) -> Veto:
    return S.veto_impose(
        actor=actor or org.cqo, subject=subject, reason="制动性能验证未完成", password=PASSWORD
    )


def _plan(org: Org) -> QualityPlan:
    plan = PS.plan_create(actor=org.cqo, title="2026 年质量计划", year=today().year)
    PS.plan_item_add(actor=org.cqo, plan=plan, title="IATF 16949 再认证", owner=org.deputy.person,
                    due_date=days(100))  # fmt: skip
    return plan


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _api(user: Any, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


# --- 1. only the CQO in office lifts a veto ------------------------------------------------


def test_a_deputy_holding_a_delegated_veto_cannot_lift_the_cqos_veto(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "veto_delegable", lambda: True)
    S.delegation_create(
        actor=org.cqo, authority="i", delegate=org.deputy.person, units=[org.root],
        start_date=today(), end_date=days(30),
    )  # fmt: skip
    decision = _decision(org)
    assert org.deputy.has_perm("authorities.veto", decision)
    veto = _veto(org, decision)
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as exc:
        S.veto_lift(actor=org.deputy, veto=veto, reason="市场需要", password=PASSWORD)
    assert "§6 i)" in str(exc.value)
    assert "首席质量官" in str(exc.value)
    veto.refresh_from_db()
    assert veto.is_active
    S.veto_lift(actor=org.cqo, veto=veto, reason="验证已完成", password=PASSWORD)
    assert not Veto.objects.get(pk=veto.pk).is_active


# --- 2. a veto is refused only on a final status ------------------------------------------


def test_a_deferred_proposal_and_a_returned_plan_can_be_vetoed(org: Org) -> None:
    proposal = DS.proposal_submit(actor=org.cqo, title="提高来料抽检比例", body="……")
    proposal = DS.proposal_answer(
        actor=org.principal, proposal=proposal, answer="defer", deferred_until=days(30)
    )
    assert proposal.status == "deferred"
    _veto(org, proposal)
    # the deferral date comes: the decision layer owes an answer again, and may not accept
    Proposal.objects.filter(pk=proposal.pk).update(deferred_until=today())
    with pytest.raises(VetoActiveError):
        DS.proposal_answer(actor=org.principal, proposal=proposal, answer="accept")
    assert Proposal.objects.get(pk=proposal.pk).status == "deferred"
    plan = _plan(org)
    request = PS.plan_submit(actor=org.cqo, plan=plan)
    S.approval_decide(
        actor=org.principal,
        request=request,
        decision="reject",
        reason="目标不清",
        password=PASSWORD,
    )
    plan.refresh_from_db()
    assert plan.status == "returned"
    _veto(org, plan)
    with pytest.raises(VetoActiveError):
        PS.plan_submit(actor=org.cqo, plan=plan)


def test_a_veto_is_refused_on_every_final_status_of_every_flow(org: Org) -> None:
    for model in (ApprovalRequest, BusinessDecision, Proposal, QualityPlan):
        flow = flow_for(model)
        assert flow is not None and flow.final, model
        assert all(flow.is_final(s) for s in flow.final)
    rejected = DS.proposal_submit(actor=org.cqo, title="设立质量奖", body="……")
    rejected = DS.proposal_answer(
        actor=org.principal, proposal=rejected, answer="reject", reason="预算不足"
    )
    with pytest.raises(ValidationError) as exc:
        _veto(org, rejected)
    assert "subject" in exc.value.message_dict
    withdrawn = DS.decision_withdraw(actor=org.head, decision=_decision(org), reason="撤回")
    with pytest.raises(ValidationError):
        _veto(org, withdrawn)
    assert not Veto.objects.exists()


# --- 3. every vetoable record can be vetoed from its page and the API -----------------------


def test_the_cqo_vetoes_a_proposal_a_plan_and_an_approval_from_their_pages(org: Org) -> None:
    proposal = DS.proposal_submit(actor=org.cqo, title="提高来料抽检比例", body="……")
    plan = _plan(org)
    request = PS.plan_submit(actor=org.cqo, plan=plan)
    cqo = _client(org.cqo)
    for subject, detail in (
        (proposal, "decisions:proposal_detail"),
        (plan, "plans:plan_detail"),
        (request, "authorities:approval_detail"),
    ):
        url = reverse("authorities:veto_impose", args=[subject._meta.label_lower, subject.pk])
        page = cqo.get(reverse(detail, args=[subject.pk])).content.decode()
        assert f'action="{url}"' in page
        refused = _client(org.principal).post(
            url, {"veto-reason": "x", "vsig-password": PASSWORD, "vsig-confirm": "on"}
        )
        assert refused.status_code == 403
        response = cqo.post(
            url, {"veto-reason": "验证未完成", "vsig-password": PASSWORD, "vsig-confirm": "on"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse(detail, args=[subject.pk])
        assert Veto.objects.active_for(subject).exists()
        page = cqo.get(reverse(detail, args=[subject.pk])).content.decode()
        assert "lift-form" in page
    missing = cqo.post(reverse("authorities:veto_impose", args=["organisation.unit", org.qm.pk]))
    assert missing.status_code == 404


def test_the_cqo_vetoes_any_vetoable_record_through_the_api(org: Org) -> None:
    proposal = DS.proposal_submit(actor=org.cqo, title="提高来料抽检比例", body="……")
    plan = _plan(org)
    body = {"subject_type": "decisions.proposal", "subject_id": str(proposal.pk),
            "reason": "验证未完成", "password": PASSWORD}  # fmt: skip
    refused = _api(org.principal).post(f"{API}/vetoes/", body, format="json")
    assert refused.status_code == 403 and "§6 i)" in refused.json()["detail"]
    created = _api(org.cqo).post(f"{API}/vetoes/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["subject_type"] == "decisions.proposal"
    again = _api(org.cqo).post(f"{API}/vetoes/", body, format="json")
    assert again.status_code == 400
    plan_body = {**body, "subject_type": "plans.qualityplan", "subject_id": str(plan.pk)}
    assert _api(org.cqo).post(f"{API}/vetoes/", plan_body, format="json").status_code == 201
    unknown = {**body, "subject_type": "organisation.unit", "subject_id": str(org.qm.pk)}
    assert _api(org.cqo).post(f"{API}/vetoes/", unknown, format="json").status_code == 400
    gone = {**body, "subject_id": "999999"}
    assert _api(org.cqo).post(f"{API}/vetoes/", gone, format="json").status_code == 404
    schema = _api(org.cqo).get("/api/v1/schema/", {"format": "json"})
    if schema.status_code == 200:
        assert "VetoImpose" in schema.content.decode()


# --- 4. no door around the services -------------------------------------------------------


def test_an_imported_or_saved_veto_row_cannot_lift_the_veto(org: Org) -> None:
    decision = _decision(org)
    veto = _veto(org, decision)
    veto.lifted_at = timezone.now()
    veto.lifted_by = org.cqo
    veto.lift_reason = "导入"
    with translation.override("en"), pytest.raises(VetoTamperError) as exc:
        veto.save()
    assert "§6 i)" in str(exc.value)
    with pytest.raises(VetoTamperError):
        for item in serializers.deserialize("json", serializers.serialize("json", [veto])):
            item.save()
    with pytest.raises(VetoTamperError):
        Veto.objects.filter(pk=veto.pk).update(lifted_at=timezone.now())
    with pytest.raises(VetoTamperError):
        Veto.objects.filter(pk=veto.pk).update(object_id="999999")
    with pytest.raises(VetoTamperError):
        Veto.objects.bulk_update([veto], ["lifted_at"])
    assert Veto.objects.get(pk=veto.pk).is_active
    with pytest.raises(VetoActiveError):
        DS.decision_approve(actor=org.principal, decision=decision)


def test_an_update_with_an_expression_on_the_status_is_refused_while_vetoed(org: Org) -> None:
    decision = _decision(org)
    _veto(org, decision)
    for value in (Value("approved"), F("status"), Concat(Value("appr"), Value("oved"))):
        with pytest.raises(VetoActiveError):
            BusinessDecision.objects.filter(pk=decision.pk).update(status=value)
    assert BusinessDecision.objects.get(pk=decision.pk).status == "submitted"
    other = _decision(org)
    BusinessDecision.objects.filter(pk=other.pk).update(status=Value("approved"))
    assert BusinessDecision.objects.get(pk=other.pk).status == "approved"
