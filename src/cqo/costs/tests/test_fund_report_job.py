"""The fund's year-end report (§8.1) as a job: asked for on the fund's page or through the API,
built in the queue with its progress, kept with its size and SHA-256, downloaded by whoever may
see the fund, and a failed build shown as a message, never a 500."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cqo.audit.models import AuditEvent
from cqo.costs import reports_fund
from cqo.costs import services_fund as S
from cqo.costs import services_fund_report as SR
from cqo.costs.models import FundReportJob, ReportJobStatus
from cqo.testing.factories import UserFactory
from cqo.testing.fund import spending_approved, voucher
from cqo.testing.pdf import pdf_text
from cqo.testing.world import Org, today

API = "/api/v1/costs/"


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture
def fund(org: Org) -> Any:
    spending = spending_approved(org, "8000")
    S.fund_payment_record(actor=org.cqo, spending=spending, amount="8000", paid_on=today(),
                          voucher_no="记-010", voucher=voucher())  # fmt: skip
    fund = spending.fund
    fund.spending_number = spending.number
    return fund


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _ask(client: Client, fund: Any, fmt: str, jobs: Any) -> FundReportJob:
    with jobs(execute=True):
        response = client.post(reverse("costs:fund_report", args=[fund.pk]), {"format": fmt})
    assert response.status_code == 302
    job = FundReportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert response["Location"] == job.get_absolute_url()
    return job


def _rows(data: bytes) -> list[list[list[Any]]]:
    wb = load_workbook(io.BytesIO(data))
    return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets]


def test_it_queues_the_pdf_and_the_job_page_then_offers_the_same_report_as_before(
    org: Org, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(org.head)
    events = AuditEvent.objects.count()
    job = _ask(client, fund, "pdf", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE and job.progress == 100
    assert job.created_by == org.head and job.language == "en"
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert job.sha256 in html and "hx-trigger" not in html
    assert reverse("costs:fund_report_file", args=[job.pk]) in html
    response = client.get(reverse("costs:fund_report_file", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert len(data) == job.size and hashlib.sha256(data).hexdigest() == job.sha256
    assert response["X-Content-SHA256"] == job.sha256
    text = pdf_text(data)
    assert "Metrology" in text and fund.spending_number in text and "记-010" in text
    before = pdf_text(reports_fund.fund_report_pdf(fund, language="en"))
    assert text.split()[:40] == before.split()[:40]
    actions = list(AuditEvent.objects.order_by("seq")[events:].values_list("action", "clause"))
    assert actions == [("costs.fund.report.request", "§8.1"), ("costs.fund.report.build", "§8.1")]


def test_it_builds_the_excel_workbook_with_the_same_rows_as_before_and_keeps_it(
    org: Org, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(org.inspector, "zh-hans")
    job = _ask(client, fund, "xlsx", django_capture_on_commit_callbacks)
    url = reverse("costs:fund_report_file", args=[job.pk])
    first = client.get(url)
    assert first.status_code == 200 and "attachment" in first["Content-Disposition"]
    assert _rows(first.content) == _rows(reports_fund.fund_report_xlsx(fund, language="zh-hans"))
    # kept: asked again, the same bytes; a second build of the same job does nothing
    assert SR.fund_report_build(job.pk).sha256 == job.__class__.objects.get(pk=job.pk).sha256
    assert client.get(url).content == first.content


def test_it_shows_a_stranger_neither_the_job_nor_its_file(
    org: Org, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _ask(_client(org.head), fund, "xlsx", django_capture_on_commit_callbacks)
    stranger = _client(UserFactory(username="stranger"))
    assert stranger.get(job.get_absolute_url()).status_code == 404
    assert stranger.get(reverse("costs:fund_report_file", args=[job.pk])).status_code == 404
    assert stranger.post(reverse("costs:fund_report", args=[fund.pk])).status_code == 404
    assert stranger.get(f"{API}fund-reports/{job.pk}/").status_code in (403, 404)
    assert stranger.get(f"{API}fund-reports/{job.pk}/file/").status_code in (403, 404)
    assert FundReportJob.objects.count() == 1
    anonymous = Client()
    assert anonymous.get(job.get_absolute_url()).status_code == 302


def test_it_moves_the_progress_and_the_page_polls_until_the_file_is_ready(
    org: Org, fund: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    client = _client(org.cqo)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("costs:fund_report", args=[fund.pk]), {"format": "pdf"})
    job = FundReportJob.objects.get()
    assert job.status == ReportJobStatus.QUEUED and job.progress == 0 and len(queued) == 1
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'id="fund-report-refresh"' in page
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="fund-report-job"') and "<html" not in partial
    seen: list[int] = []
    render = reports_fund.render_pdf

    def watched(*args: Any, **kwargs: Any) -> bytes:
        job.refresh_from_db()
        seen.append(job.progress)
        assert job.status == ReportJobStatus.RUNNING
        return render(*args, **kwargs)

    monkeypatch.setattr(reports_fund, "render_pdf", watched)
    queued[0]()
    job.refresh_from_db()
    assert seen and 0 < seen[0] < 100 and job.progress == 100
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial and 'id="fund-report-download"' in partial


@pytest.mark.parametrize(("language", "words"), [
    ("en", "The report could not be built"), ("zh-hans", "报告未能生成"),
])  # fmt: skip
def test_it_shows_a_translated_message_when_the_build_fails(
    org: Org, fund: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any,
    language: str, words: str,
) -> None:  # fmt: skip
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(reports_fund, "render_pdf", broken)
    client = _client(org.head, language)
    job = _ask(client, fund, "pdf", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED and "no fonts" in job.error
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert words in page.content.decode() and 'id="fund-report-error"' in page.content.decode()
    assert client.get(reverse("costs:fund_report_file", args=[job.pk])).status_code == 404
    failed = AuditEvent.objects.get(action="costs.fund.report.fail")
    assert failed.clause == "§8.1"
    body = client.get(f"{API}fund-reports/{job.pk}/").json()
    assert body["status"] == "failed" and words in body["error"] and body["file_url"] is None


def test_it_answers_202_with_the_jobs_url_through_the_api_then_the_file(
    org: Org, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(org.head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}funds/{fund.pk}/report/", {"format": "xlsx"},
                               content_type="application/json")  # fmt: skip
    assert response.status_code == 202, response.content
    url = response["Location"]
    assert url == response.json()["url"] == f"{API}fund-reports/{response.json()['id']}/"
    body = client.get(url).json()
    assert body["status"] == "done" and body["progress"] == 100 and body["size"] > 0
    data = client.get(body["file_url"])
    assert data.status_code == 200 and data.content[:2] == b"PK"
    assert hashlib.sha256(data.content).hexdigest() == body["sha256"]
    refused = client.post(f"{API}funds/{fund.pk}/report/", {"format": "doc"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "format" in refused.json()
    listed = client.get(f"{API}fund-reports/").json()
    ids = [j["id"] for j in (listed["results"] if isinstance(listed, dict) else listed)]
    assert ids == [body["id"]]
