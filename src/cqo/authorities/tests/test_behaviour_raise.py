"""Raising a request from the web and the API, with its evidence (issue 7 §3.2): the files are
kept with their SHA-256, checked for type and size, and served only to those who may read the
request; the request page shows its record with a link."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.authorities import services as S
from cqo.authorities.models import ApprovalAttachment, ApprovalRequest
from cqo.decisions import services as DS
from cqo.testing.world import Org, days

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% inspection report\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _pdf(name: str = "report.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _web(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_an_inspector_raises_a_concession_on_the_page_with_evidence(org: Org) -> None:
    client = _web(org.inspector)
    page = client.get(reverse("authorities:approval_new")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="attachments"' in page
    response = client.post(
        reverse("authorities:approval_new"),
        {
            "kind": "concession", "summary": "来料 Fe 含量超标 0.02%，申请让步接收",
            "unit": org.inspection.pk, "amount": "18600.00", "due": days(3).isoformat(),
            "attachments": [_pdf(), _pdf("photo.png", b"\x89PNG\r\n\x1a\nxx")],
        },
    )  # fmt: skip
    request = ApprovalRequest.objects.get()
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert request.raised_by == org.inspector and request.kind == "concession"
    docs = list(request.attachments.order_by("id"))
    assert [d.name for d in docs] == ["report.pdf", "photo.png"]
    assert docs[0].sha256 == hashlib.sha256(PDF).hexdigest() and docs[0].size == len(PDF)
    event = AuditEvent.objects.get(action="authorities.approval.raise")
    assert event.after["attachments"][0]["sha256"] == docs[0].sha256


def test_a_request_page_links_its_record_and_its_evidence(org: Org) -> None:
    decision = DS.decision_create(actor=org.head, kind="other", title="铝锭供应商变更")
    request = S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="deviation", summary="偏离许可",
        attachments=[_pdf()],
    )  # fmt: skip
    page = _web(org.cqo).get(reverse("authorities:approval_detail", args=[request.pk]))
    html = page.content.decode()
    assert reverse("decisions:decision_detail", args=[decision.pk]) in html
    doc = request.attachments.get()
    assert reverse("authorities:approval_attachment", args=[request.pk, doc.pk]) in html


def test_the_evidence_is_served_only_to_those_who_may_read_the_request(org: Org) -> None:
    from cqo.testing.factories import UserFactory

    request = S.approval_request_raise(
        actor=org.inspector, kind="spending", summary="检具采购", attachments=[_pdf()]
    )
    doc = request.attachments.get()
    url = reverse("authorities:approval_attachment", args=[request.pk, doc.pk])
    served = _web(org.cqo).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert "attachment" in served["Content-Disposition"]
    assert _web(UserFactory()).get(url).status_code == 403
    # The other inspector's own request list does not include it, nor its file.
    other = UserFactory(roles=["inspector"])
    assert _web(other).get(url).status_code in (403, 404)
    api = APIClient()
    api.force_authenticate(org.cqo)
    listed = api.get(f"/api/v1/authorities/approvals/{request.pk}/").json()["attachments"]
    assert listed[0]["sha256"] == doc.sha256
    assert api.get(listed[0]["url"]).status_code == 200
    api.force_authenticate(UserFactory())
    assert api.get(listed[0]["url"]).status_code == 403


def test_a_file_of_another_type_or_too_large_is_refused_and_nothing_is_kept(
    org: Org, settings: Any
) -> None:
    client = _web(org.inspector)
    base = {"kind": "concession", "summary": "让步"}
    for bad in (
        SimpleUploadedFile("evil.html", b"<script>", content_type="text/html"),
        _pdf("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024 + 1)),
    ):
        response = client.post(reverse("authorities:approval_new"), {**base, "attachments": [bad]})
        assert response.status_code == 400
        assert (
            "PDF, JPEG or PNG" in response.content.decode() or "10 MB" in response.content.decode()
        )
    assert not ApprovalRequest.objects.exists() and not ApprovalAttachment.objects.exists()


def test_the_api_raises_a_request_with_attachments(org: Org) -> None:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(org.engineer)
    response = api.post(
        "/api/v1/authorities/approvals/",
        {"kind": "spending", "amount": "46000.00", "summary": "X 射线探伤租赁",
         "attachments": [_pdf("quote.pdf")]},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attachments"][0]["name"] == "quote.pdf"
    assert body["attachments"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_a_record_one_may_not_read_cannot_be_named_as_the_subject(org: Org) -> None:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(org.inspector)
    DS.decision_create(actor=org.head, kind="other", title="任一决定")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    response = api.post(
        "/api/v1/authorities/approvals/",
        {"subject_type": "audit.auditevent", "object_id": str(event.pk), "kind": "concession",
         "summary": "x"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert not ApprovalRequest.objects.exists()
