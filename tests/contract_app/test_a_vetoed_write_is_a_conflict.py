"""A vetoed write answers 409 Conflict citing §6 i) on every API, whichever app it belongs to,
and a refused attempt to pass a veto leaves an audit event naming who tried what, which
survives the rollback of the refused change (issue 7 §2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.audit.services import verify_chain
from cqo.authorities import services as S
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision
from cqo.testing.world import PASSWORD, Org

from .models import Nonconformance

REFUSED = "authorities.veto.refused"


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _vetoed_nc(org: Org) -> Nonconformance:
    nc = Nonconformance.objects.create(title="气孔 12 件", reported_by=org.inspector)
    S.veto_impose(actor=org.cqo, subject=nc, reason="质量安全风险", password=PASSWORD)
    return nc


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
@pytest.mark.urls("tests.contract_app.urls")
def test_a_vetoed_write_in_another_apps_api_answers_409_citing_6_i(org: Org) -> None:
    nc = _vetoed_nc(org)
    answer = _api(org.inspector).post(f"/api/v1/contract/nonconformances/{nc.pk}/submit/")
    assert answer.status_code == 409
    assert answer.json()["clause"] == "§6 i)"
    nc.refresh_from_db()
    assert nc.status == "open"


@pytest.mark.django_db
@pytest.mark.urls("tests.contract_app.urls")
def test_a_refused_attempt_to_pass_a_veto_leaves_an_event_naming_who_tried_what(org: Org) -> None:
    nc = _vetoed_nc(org)
    url = f"/api/v1/contract/nonconformances/{nc.pk}/submit/"
    _api(org.inspector).post(url)
    event = AuditEvent.objects.get(action=REFUSED)
    assert event.actor_id == org.inspector.pk
    assert (event.object_type, event.object_id) == ("contract_app.nonconformance", str(nc.pk))
    assert event.clause == "§6 i)"
    assert f"POST {url}" in event.reason and "to=submitted" in event.reason


@pytest.mark.django_db
def test_a_refused_step_on_a_vetoed_decision_is_audited_from_the_api_and_the_page(
    org: Org,
) -> None:
    decision = DS.decision_create(actor=org.head, kind="other", title="新卡钳上市")
    decision = DS.decision_submit(actor=org.head, decision=decision)
    S.veto_impose(actor=org.cqo, subject=decision, reason="验证未完成", password=PASSWORD)
    api = _api(org.principal).post(f"/api/v1/authorities/decisions/{decision.pk}/approve/")
    assert api.status_code == 409
    page = Client()
    page.force_login(org.principal)
    page.post(reverse("decisions:decision_step", args=[decision.pk, "approve"]))
    assert BusinessDecision.objects.get(pk=decision.pk).status == "submitted"
    events = AuditEvent.objects.filter(action=REFUSED).order_by("seq")
    assert [e.actor_id for e in events] == [org.principal.pk, org.principal.pk]
    assert "/api/v1/" in events[0].reason and "/api/v1/" not in events[1].reason


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.contract_app.urls")
def test_the_refusal_event_survives_the_rollback_of_the_refused_change() -> None:
    # Real transactions: the refused save is rolled back, the event written after it stays.
    org = Org()
    nc = _vetoed_nc(org)
    before = AuditEvent.objects.count()
    answer = _api(org.inspector).post(f"/api/v1/contract/nonconformances/{nc.pk}/submit/")
    assert answer.status_code == 409
    assert Nonconformance.objects.get(pk=nc.pk).status == "open"
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("seq").last().action == REFUSED  # type: ignore[union-attr]
    assert verify_chain() is None
