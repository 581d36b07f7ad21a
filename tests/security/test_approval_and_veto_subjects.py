"""Approval and veto subjects from the attacker's side (issue 8 §1): the approval inbox and the
veto route take only the record types the apps registered, and only records the caller may read;
every other subject (an audit event, a user, an API token, a record out of sight, no record) gets
one answer that says nothing of whether it exists, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.authorities.models import ApprovalRequest, Veto
from cqo.decisions import services as DS
from cqo.decisions.models import Proposal
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db

APPROVALS = "/api/v1/authorities/approvals/"
VETOES = "/api/v1/authorities/vetoes/"


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _raise(client: APIClient, subject_type: str, object_id: Any) -> Any:
    return client.post(
        APPROVALS,
        {"subject_type": subject_type, "object_id": str(object_id), "kind": "concession",
         "summary": "探测"},
        format="json",
    )  # fmt: skip


def _proposal(org: Org) -> Proposal:
    return DS.proposal_submit(actor=org.cqo, title="质量奖励专项", body="建议设立")


def _an_audit_event(org: Org) -> AuditEvent:
    DS.decision_create(actor=org.engineer, kind="other", title="留痕", unit=org.inspection)
    event = AuditEvent.objects.order_by("seq").last()
    assert event is not None
    return event


def test_raising_a_request_about_unregistered_records_answers_as_for_no_record(org: Org) -> None:
    token, key = AuthToken.objects.create(user=org.cqo)
    event = _an_audit_event(org)
    missing = _raise(_client(org.inspector), "decisions.businessdecision", 999_999)
    assert missing.status_code == 400
    for subject_type, object_id in [
        ("audit.auditevent", event.pk),
        ("accounts.user", org.cqo.pk),
        ("knox.authtoken", token.pk),
        ("knox.authtoken", "not-a-token"),
        ("organisation.person", org.cqo.person.pk),
        ("nosuch.model", 1),
    ]:
        answer = _raise(_client(org.inspector), subject_type, object_id)
        assert (answer.status_code, answer.json()) == (400, missing.json()), subject_type
        assert key not in answer.content.decode() and token.pk not in answer.content.decode()
    assert not ApprovalRequest.objects.exists()


def test_raising_a_request_about_a_record_the_caller_may_not_read_answers_as_for_no_record(
    org: Org,
) -> None:
    proposal = _proposal(org)
    assert not org.inspector.has_perm("decisions.view_proposal", proposal)
    missing = _raise(_client(org.inspector), "decisions.proposal", 999_999)
    hidden = _raise(_client(org.inspector), "decisions.proposal", proposal.pk)
    assert (hidden.status_code, hidden.json()) == (400, missing.json())
    assert proposal.title not in hidden.content.decode()
    assert not ApprovalRequest.objects.exists()
    # The same record is a subject for someone who may read it.
    assert _raise(_client(org.engineer), "decisions.proposal", proposal.pk).status_code == 201


def test_the_veto_route_answers_404_alike_for_no_record_and_a_record_out_of_sight(
    org: Org,
) -> None:
    from tests.contract_app.models import Nonconformance

    hidden = Nonconformance.objects.create(
        title="气孔", reported_by=org.inspector, confidential=True
    )
    assert not org.cqo.has_perm("contract_app.view_nonconformance", hidden)
    body = {"reason": "质量安全", "password": PASSWORD}
    client = _client(org.cqo)
    answers = [
        client.post(VETOES, {**body, "subject_type": t, "subject_id": i}, format="json")
        for t, i in [
            ("contract_app.nonconformance", str(hidden.pk)),
            ("contract_app.nonconformance", "999999"),
            ("contract_app.nonconformance", "abc"),
        ]
    ]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert not Veto.objects.exists()


def test_the_veto_route_refuses_types_no_app_registered_as_vetoable(org: Org) -> None:
    event = _an_audit_event(org)
    client = _client(org.cqo)
    for subject_type, object_id in [
        ("audit.auditevent", event.pk),
        ("accounts.user", org.cqo.pk),
        ("knox.authtoken", 1),
    ]:
        answer = client.post(
            VETOES,
            {"subject_type": subject_type, "subject_id": str(object_id), "reason": "x",
             "password": PASSWORD},
            format="json",
        )  # fmt: skip
        assert answer.status_code == 400
        assert set(answer.json()) == {"subject_type"}
    assert not Veto.objects.exists()


def test_the_veto_route_takes_a_record_another_app_registered_as_vetoable(org: Org) -> None:
    from tests.contract_app.models import Nonconformance

    nc = Nonconformance.objects.create(title="气孔", reported_by=org.inspector)
    answer = _client(org.cqo).post(
        VETOES,
        {"subject_type": "contract_app.nonconformance", "subject_id": str(nc.pk),
         "reason": "批量气孔，质量安全风险", "password": PASSWORD},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    missing = _client(org.cqo).post(
        VETOES,
        {"subject_type": "contract_app.nonconformance", "subject_id": "999999",
         "reason": "x", "password": PASSWORD},
        format="json",
    )  # fmt: skip
    assert missing.status_code == 404
