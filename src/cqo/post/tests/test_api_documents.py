"""The API covers the documents and the last writes the pages had alone (issue item 10): the
appointment letter, the filing record (PDF, Excel), the qualification report and the charter as
downloads, voiding evidence and marking a development action done; each asks the page's
permission on the object."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from cqo.audit.models import AuditEvent
from cqo.charter import services as CS
from cqo.organisation import roles as R
from cqo.post import services as S
from cqo.post.models import CompetenceArea, EvidenceDocument
from cqo.testing.factories import member

pytestmark = pytest.mark.django_db
API = "/api/v1/post"


def api(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def appointed(principal, candidate, password, today):
    return S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )


@pytest.fixture
def engineer(root):
    return member(R.QUALITY_ENGINEER, unit=root, username="qe-docs")


@pytest.mark.parametrize("suffix", ["letter-pdf", "filing-pdf"])
def test_the_api_downloads_the_appointment_letter_and_filing_record_as_pdf_for_readers_only(
    appointed, principal, engineer, suffix
):
    url = f"{API}/appointments/{appointed.pk}/{suffix}/"
    r = api(principal).get(url, HTTP_ACCEPT="application/pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and appointed.number in r["Content-Disposition"]
    assert api(engineer).get(url).status_code == 403


def test_the_api_exports_the_filing_record_to_excel_one_or_all(appointed, principal, engineer):
    for url in (
        f"{API}/appointments/{appointed.pk}/filing-xlsx/",
        f"{API}/appointments/filing-xlsx/",
    ):
        r = api(principal).get(url)
        assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
        ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
        assert ws.cell(row=2, column=7).value == appointed.number
        assert api(engineer).get(url).status_code == 403


def test_the_api_downloads_the_qualification_report_and_the_charter_as_pdf(
    appointed, principal, candidate, engineer, password
):
    url = f"{API}/qualification/{candidate.pk}/report-pdf/"
    r = api(candidate.user).get(url)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert api(engineer).get(url).status_code == 403
    charter = CS.charter_generate(actor=principal)
    # Every member reads the charter, as on its page.
    r = api(engineer).get(f"{API}/charters/{charter.pk}/pdf/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert f"v{charter.version}" in r["Content-Disposition"]


def test_the_api_voids_evidence_with_a_reason_and_refuses_others(
    appointed, principal, candidate, engineer
):
    doc = EvidenceDocument.objects.filter(person=candidate).first()
    url = f"{API}/evidence/{doc.pk}/void/"
    refused = api(engineer).post(url, {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403
    empty = api(candidate.user).post(url, {}, content_type="application/json")
    assert empty.status_code == 400 and "reason" in empty.json()
    r = api(candidate.user).post(url, {"reason": "证书过期"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["voided_at"] and r.json()["void_reason"] == "证书过期"
    doc.refresh_from_db()
    assert doc.voided_at is not None


def test_the_api_marks_a_development_action_done_with_the_permission_on_its_assessment(
    appointed, principal, candidate, engineer, today
):
    assessment = S.assessment_create(actor=principal, person=candidate, assessed_on=today)
    row = S.assessment_action_add(
        actor=principal,
        assessment=assessment,
        area=CompetenceArea.K_BUSINESS,
        action="参加培训",
        due_on=today,
    )
    url = f"{API}/development-actions/{row.pk}/done/"
    before = AuditEvent.objects.count()
    assert api(engineer).post(url).status_code == 403
    assert AuditEvent.objects.count() == before
    r = api(candidate.user).post(url)
    assert r.status_code == 200 and r.json()["done_on"] == today.isoformat()
    again = api(candidate.user).post(url)
    assert again.status_code == 400
