"""The CQO's quarterly report to the decision layer in a browser (§7.1.6): the CQO has it
generated, the PDF prints with its charts, she signs it with her password, and the principal
acknowledges it; the archive then matches its hash. In Chinese and in English."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.urls import reverse

from cqo.reports.models import CqoReport, ReportStatus
from cqo.testing.ledger import line
from cqo.testing.pdf import pdf_image_count, pdf_text
from cqo.testing.world import PASSWORD, Org, today

TITLE = {"zh-hans": "首席质量官向决策层的报告", "en": "Report of the chief quality officer"}
ARCHIVED = {"zh-hans": "已确认收悉并归档", "en": "Acknowledged by the principal and archived"}


def _page(browser: Any) -> Any:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(30000)
    return page


def _sign_in(page: Any, base: str, username: str, language: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    if language == "en":
        page.locator(".lang-switch button[value=en]").click()
        page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_quarterly_report_prints_with_its_charts_and_the_principal_acknowledges_it(
    browser: Any, live_server: Any, language: str
) -> None:
    org = Org()
    day = today()
    line(org, on=day, item_code="i_scrap", amount="1200.00")
    line(org, on=day, item_code="a_incoming", amount="300.00")
    base = live_server.url
    errors: list[str] = []

    cqo = _page(browser)
    cqo.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(cqo, base, org.cqo.username, language)
    cqo.goto(base + reverse("reports:report_list"))
    form = cqo.locator("#report-request")
    form.locator("select[name=kind]").select_option("quarterly")
    form.locator("input[name=year]").fill(str(day.year))
    form.locator("input[name=part]").fill(str((day.month - 1) // 3 + 1))
    form.locator("select[name=language]").select_option(language)
    form.locator("button[type=submit]").click()
    cqo.wait_for_load_state()
    report = CqoReport.objects.get()
    cqo.wait_for_selector('.report-status[data-status="draft"]')
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.pages >= 3

    pdf = cqo.request.get(base + reverse("reports:report_pdf", args=[report.pk]))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.body()).hexdigest() == report.sha256
    assert TITLE[language] in pdf_text(pdf.body())
    assert pdf_image_count(pdf.body()) >= 3  # the quality cost by month, its structure, the Pareto

    sign = cqo.locator("form.sign-form")
    sign.locator("input[name=sig-password]").fill(PASSWORD)
    sign.locator("input[name=sig-confirm]").check()
    sign.locator("button[type=submit]").click()
    cqo.wait_for_selector('.report-status[data-status="signed"]')

    principal = _page(browser)
    principal.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(principal, base, org.principal.username, language)
    principal.goto(base + reverse("reports:report_detail", args=[report.pk]))
    ack = principal.locator("#report-ack")
    ack.locator("textarea[name=note-note]").fill("已阅，同意。")
    ack.locator("input[name=ack-password]").fill(PASSWORD)
    ack.locator("input[name=ack-confirm]").check()
    ack.locator("button[type=submit]").click()
    principal.wait_for_selector('.report-status[data-status="archived"]')
    assert ARCHIVED[language] in principal.locator("#report-facts").inner_text()
    assert principal.locator('#report-integrity[data-ok="yes"]').count() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.ARCHIVED and report.acknowledged_by == org.principal
    assert errors == []
