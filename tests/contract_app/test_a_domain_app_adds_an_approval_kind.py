"""A domain app adds an approval kind by itself (issue 7 §2): the test app registers
"mrb_disposition" about its own record in its AppConfig.ready(); authorities is neither edited
nor migrated, and the request flows through raise, decide (with the app's handler and signed
content) and withdraw, on the services and the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent, Signature
from cqo.audit.services import signature_matches
from cqo.authorities import services as S
from cqo.authorities.kinds import APPROVAL_KINDS
from cqo.authorities.models import ApprovalRequest
from cqo.decisions import services as DS
from cqo.testing.world import PASSWORD, Org

from .models import Nonconformance

pytestmark = pytest.mark.django_db

AUTHORITIES = Path(S.__file__).resolve().parent


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _nc(org: Org, **kw: Any) -> Nonconformance:
    return Nonconformance.objects.create(
        title="压铸缸体气孔 12 件", quantity=12, reported_by=org.inspector, **kw
    )


def test_the_kind_is_registered_by_the_app_and_authorities_never_names_it() -> None:
    assert APPROVAL_KINDS["mrb_disposition"].app == "contract_app"
    sources = [p.read_text(encoding="utf-8") for p in AUTHORITIES.rglob("*.py")]
    assert not any("mrb_disposition" in s or "contract_app" in s for s in sources)


def test_a_new_kind_is_raised_decided_and_moves_its_subject_through_the_apps_handler(
    org: Org,
) -> None:
    nc = _nc(org)
    request = S.approval_request_raise(
        actor=org.inspector, subject=nc, kind="mrb_disposition", unit=org.inspection,
        summary="评审委员会处置：让步接收",
    )  # fmt: skip
    request.full_clean()  # the model field accepts the registered kind without a migration
    assert request.get_kind_display() == "MRB disposition"
    decided = S.approval_decide(
        actor=org.cqo, request=request, decision="approve", reason="风险可控", password=PASSWORD
    )
    nc.refresh_from_db()
    assert decided.status == "approved" and nc.status == "accepted"
    assert AuditEvent.objects.filter(action="contract_app.nonconformance.dispose").exists()
    # The signature covers what the kind says about its subject.
    content = S.approval_content(decided)
    assert content["subject_content"] == {"title": nc.title, "quantity": 12}
    signature = Signature.objects.get(
        object_type="authorities.approvalrequest", object_id=str(decided.pk)
    )
    assert signature_matches(signature, content)


def test_a_withdrawn_request_of_the_new_kind_runs_the_apps_withdraw_handler(org: Org) -> None:
    nc = _nc(org, status="submitted")
    request = S.approval_request_raise(
        actor=org.inspector, subject=nc, kind="mrb_disposition", summary="处置"
    )
    S.approval_withdraw(actor=org.inspector, request=request, reason="重新评审")
    nc.refresh_from_db()
    assert nc.status == "open"


def test_the_new_kind_refuses_a_subject_it_was_not_registered_for(org: Org) -> None:
    decision = DS.decision_create(actor=org.engineer, kind="other", title="x", unit=org.inspection)
    with pytest.raises(Exception) as exc:
        S.approval_request_raise(
            actor=org.inspector, subject=decision, kind="mrb_disposition", summary="处置"
        )
    assert "subject" in exc.value.message_dict  # type: ignore[attr-defined]
    assert not ApprovalRequest.objects.exists()


def test_the_api_raises_a_request_of_the_new_kind_about_the_apps_record(org: Org) -> None:
    nc = _nc(org)
    client = APIClient()
    client.force_authenticate(org.inspector)
    answer = client.post(
        "/api/v1/authorities/approvals/",
        {"subject_type": "contract_app.nonconformance", "object_id": str(nc.pk),
         "kind": "mrb_disposition", "summary": "处置"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["kind"] == "mrb_disposition"
