"""The report pages and API (§7.1.6): the CQO has a report generated, signs it on its page with
her password; the principal acknowledges it; the PDF served is the archived bytes; bad input is
refused with the field named and writes nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cqo.reports.models import CqoReport, ReportStatus
from cqo.testing.factories import TEST_PASSWORD
from cqo.testing.world import Org


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def _sign(prefix: str) -> dict[str, str]:
    return {f"{prefix}-password": TEST_PASSWORD, f"{prefix}-confirm": "on"}


def test_the_cqo_generates_and_signs_and_the_principal_acknowledges_on_the_pages(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    cqo = _client(org.cqo)
    with django_capture_on_commit_callbacks(execute=True):
        response = cqo.post(reverse("reports:report_list"),
                            {"kind": "quarterly", "year": 2026, "part": 1, "language": "en"})  # fmt: skip
    report = CqoReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = cqo.get(report.get_absolute_url()).content.decode()
    assert report.sha256 in page and "sig-password" in page
    pdf = cqo.get(reverse("reports:report_pdf", args=[report.pk]))
    assert hashlib.sha256(pdf.content).hexdigest() == report.sha256
    assert cqo.post(reverse("reports:report_sign", args=[report.pk]),
                    _sign("sig")).status_code == 302  # fmt: skip
    principal = _client(org.principal, "zh-hans")
    assert "ack-password" in principal.get(report.get_absolute_url()).content.decode()
    response = principal.post(reverse("reports:report_acknowledge", args=[report.pk]),
                              {**_sign("ack"), "note-note": "已阅"})  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ARCHIVED and report.acknowledgement_note == "已阅"


def test_the_request_form_names_the_field_it_refuses_and_writes_nothing(org: Org) -> None:
    response = _client(org.cqo).post(reverse("reports:report_list"),
                                     {"kind": "quarterly", "year": 2026, "part": 6,
                                      "language": "en"})  # fmt: skip
    assert response.status_code == 200
    assert "does not exist" in response.content.decode()
    assert not CqoReport.objects.exists()


def test_the_api_requests_a_report_and_the_principal_cannot_sign_it(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    api = APIClient()
    api.force_authenticate(org.cqo)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/reports/reports/",
                            {"kind": "monthly", "year": 2026, "part": 2, "language": "zh-hans"},
                            format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api.get(f"/api/v1/reports/reports/{pk}/").json()["status"] == "draft"
    principal = APIClient()
    principal.force_authenticate(org.principal)
    refused = principal.post(f"/api/v1/reports/reports/{pk}/sign/", {"password": TEST_PASSWORD},
                             format="json")  # fmt: skip
    assert refused.status_code == 403
    bad = api.post("/api/v1/reports/reports/", {"kind": "weekly", "year": 2026,
                                                "language": "en"}, format="json")  # fmt: skip
    assert bad.status_code == 400 and "kind" in bad.json()
