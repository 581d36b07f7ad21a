"""The CQO's report to the decision layer (§7.1.6): generated from the registered sections,
signed by the CQO, acknowledged by the principal, archived with its hash; a tampered archive is
detected; bad requests are refused with the field named."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqo.audit.models import AuditEvent
from cqo.audit.services import SignatureError
from cqo.core import report_sections as rs
from cqo.reports import selectors as sel
from cqo.reports import services as S
from cqo.reports.models import CqoReport, ReportStatus
from cqo.testing.pdf import pdf_image_count
from cqo.testing.world import PASSWORD, Org, today


@pytest.fixture
def org(db: Any, django_capture_on_commit_callbacks: Any) -> Org:
    world = Org()
    world.jobs = django_capture_on_commit_callbacks  # type: ignore[attr-defined]
    return world


@pytest.fixture
def only_one_section() -> Any:
    def build(first: datetime.date, last: datetime.date, language: str) -> rs.SectionContent:
        return rs.SectionContent(
            figures=[rs.Figure("Lots", 3)],
            charts=[rs.Chart(kind="bar", title="t", labels=["a", "b"], series=[("n", [1, None])])],
        )

    def empty(first: datetime.date, last: datetime.date, language: str) -> rs.SectionContent:
        return rs.SectionContent.no_data()

    saved = dict(rs._SECTIONS)
    rs._SECTIONS.clear()
    rs.report_section_register(code="t.one", title="One", clause="§7.1.6", order=1, build=build)
    rs.report_section_register(code="t.two", title="Two", clause="§7.1.6", order=2, build=empty)
    yield
    rs._SECTIONS.clear()
    rs._SECTIONS.update(saved)


def generated(org: Org, **kwargs: Any) -> CqoReport:
    args = {"kind": "quarterly", "year": 2026, "part": 1, "language": "en", **kwargs}
    with org.jobs(execute=True):  # type: ignore[attr-defined]
        report = S.report_request(actor=org.cqo, **args)
    report.refresh_from_db()  # the queue runs immediately under tests
    return report


def test_the_quarterly_report_is_generated_signed_acknowledged_and_archived(
    org: Org, only_one_section: Any
) -> None:
    report = generated(org)
    assert report.status == ReportStatus.DRAFT and report.progress == 100
    assert bytes(report.pdf).startswith(b"%PDF") and report.pdf_digest() == report.sha256
    assert report.period_start == datetime.date(2026, 1, 1)
    assert report.period_end == datetime.date(2026, 3, 31)
    assert report.number == "CQOR-2026-Q1-EN-01" and report.pages >= 3
    assert pdf_image_count(bytes(report.pdf)) == 1  # the one section's chart, carried with it
    with pytest.raises(ValidationError):  # not signed yet
        S.report_acknowledge(actor=org.principal, report=report, password=PASSWORD)
    report = S.report_sign(actor=org.cqo, report=report, password=PASSWORD)
    assert report.status == ReportStatus.SIGNED
    with pytest.raises(PermissionDenied):
        S.report_acknowledge(actor=org.cqo, report=report, password=PASSWORD)
    report = S.report_acknowledge(actor=org.principal, report=report, password=PASSWORD,
                                  note="Received")  # fmt: skip
    assert report.status == ReportStatus.ARCHIVED and report.acknowledged_by == org.principal
    assert sel.report_integrity(report).ok is True
    assert AuditEvent.objects.filter(action__startswith="reports.report.").count() == 4
    with pytest.raises(ValidationError):  # an archived report is kept unchanged
        S.report_void(actor=org.cqo, report=report, reason="wrong")


def test_it_detects_a_tampered_archive(org: Org, only_one_section: Any) -> None:
    report = S.report_sign(actor=org.cqo, report=generated(org), password=PASSWORD)
    CqoReport.objects.filter(pk=report.pk).update(pdf=bytes(report.pdf) + b"%tampered")
    integrity = sel.report_integrity(report)
    assert integrity.ok is False and integrity.stored != report.sha256
    assert integrity.bad_signatures == 1


def test_a_wrong_password_signs_nothing(org: Org, only_one_section: Any) -> None:
    report = generated(org)
    with pytest.raises(SignatureError):
        S.report_sign(actor=org.cqo, report=report, password="wrong")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.signed_by is None


def test_only_the_cqo_in_office_signs(org: Org, only_one_section: Any) -> None:
    report = generated(org)
    for someone in (org.deputy, org.principal, org.engineer):
        with pytest.raises(PermissionDenied):
            S.report_sign(actor=someone, report=report, password=PASSWORD)


def test_it_refuses_a_period_that_does_not_exist_or_has_not_begun(org: Org) -> None:
    with pytest.raises(ValidationError) as quarter:
        S.report_request(actor=org.cqo, kind="quarterly", year=2026, part=5, language="en")
    assert "part" in quarter.value.error_dict
    with pytest.raises(ValidationError) as month:
        S.report_request(actor=org.cqo, kind="monthly", year=2026, part=None, language="en")
    assert "part" in month.value.error_dict
    with pytest.raises(ValidationError) as future:
        S.report_request(actor=org.cqo, kind="annual", year=2999, language="en")
    assert "year" in future.value.error_dict
    with pytest.raises(ValidationError) as language:
        S.report_request(actor=org.cqo, kind="annual", year=2025, language="fr")
    assert "language" in language.value.error_dict
    assert not CqoReport.objects.exists()


def test_a_failing_section_fails_the_generation_visibly(org: Org) -> None:
    def broken(first: datetime.date, last: datetime.date, language: str) -> rs.SectionContent:
        raise RuntimeError("boom")

    saved = dict(rs._SECTIONS)
    rs._SECTIONS.clear()
    try:
        rs.report_section_register(code="t.b", title="B", clause="§7.1.6", order=1, build=broken)
        report = generated(org)
    finally:
        rs._SECTIONS.clear()
        rs._SECTIONS.update(saved)
    assert report.status == ReportStatus.FAILED and "boom" in report.error
    assert sel.report_integrity(report).ok is None
    S.report_void(actor=org.cqo, report=report, reason="section broken")
    report.refresh_from_db()
    assert report.is_voided


def test_last_months_report_is_prepared_for_the_cqo_in_office_on_the_first(
    org: Org, only_one_section: Any
) -> None:
    first_of_month = today().replace(day=1)  # the CQO took office 30 days ago
    with org.jobs(execute=True):  # type: ignore[attr-defined]
        report = S.reports_monthly_prepare(on=first_of_month)
    assert report is not None
    report.refresh_from_db()
    assert (report.kind, report.language, report.created_by) == ("monthly", "zh-hans", org.cqo)
    last_month_end = first_of_month - datetime.timedelta(days=1)
    assert (report.period_start, report.period_end) == (
        last_month_end.replace(day=1), last_month_end
    )  # fmt: skip
    assert report.status == ReportStatus.DRAFT  # generated, waiting for the CQO to sign
    assert AuditEvent.objects.filter(action="reports.report.request", actor=org.cqo).count() == 1
    # the month has its report: the next run (a retry, a second worker) asks for nothing
    assert S.reports_monthly_prepare(on=first_of_month) is None
    S.report_void(actor=org.cqo, report=report, reason="重做")
    with org.jobs(execute=True):  # type: ignore[attr-defined]
        again = S.reports_monthly_prepare(on=first_of_month)
    assert again is not None and again.pk != report.pk


def test_no_report_is_prepared_when_no_cqo_is_in_office(org: Org) -> None:
    assert S.reports_monthly_prepare(on=datetime.date(2001, 3, 1)) is None
    assert not CqoReport.objects.exists()
