"""The quality-cost ledger in a browser (§7.1.5, §7.2.3.7): finance imports a month of sales,
output value and profit; a scrap disposition carried out on an NCR reaches the ledger as an
internal-failure line linked to the NCR when the CQO pulls the sources; the CQO closes the
month, and a wrong line of it is corrected by a reversal in the open month. The report shows the
ratio of the month with figures and the current month's as missing. In Chinese and in English."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from cqo.anomalies import services_mrb as MRB
from cqo.costs import services_ledger as S
from cqo.costs.models_ledger import BaseFigure, LedgerLine, LineOrigin, MonthClose
from cqo.testing.ledger import finance_keeper, workbook
from cqo.testing.mrb import rejected_ncr
from cqo.testing.world import PASSWORD, Org, today

TEXT = {
    "zh-hans": {"ledger": "质量成本台账", "missing": "缺失", "closed": "已结账"},
    "en": {"ledger": "Quality-cost ledger", "missing": "missing", "closed": "is closed"},
}


def _page(browser: Any) -> Any:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
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


def _job_done(page: Any) -> None:
    page.wait_for_url("**/costs/jobs/*/")
    page.wait_for_selector('.job-status[data-status="done"]', timeout=30000)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_finance_imports_sales_a_scrap_reaches_the_ledger_and_a_closed_month_is_corrected(
    browser: Any, live_server: Any, language: str, tmp_path: Path
) -> None:
    words = TEXT[language]
    org = Org()
    keeper = finance_keeper(org)
    last_month = (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    # A scrap disposition carried out on an NCR: the NCR's cost source now yields its line.
    ncr = rejected_ncr(org.engineer, quantity="100")
    scrap = MRB.disposition_propose(actor=org.engineer, anomaly=ncr, kind="scrap", quantity="30",
                                    reason="裂纹无法返工", unit_cost="8.5")  # fmt: skip
    MRB.disposition_complete(actor=org.head, disposition=scrap, note="已报废")
    # A line of last month entered with the wrong amount.
    wrong = S.ledger_line_add(actor=org.deputy, date=last_month + datetime.timedelta(days=4),
                              item_code="a_testing", amount="18600.00", unit=org.lab,
                              note="型式试验费")  # fmt: skip
    base = live_server.url
    errors: list[str] = []

    # Finance imports last month's figures.
    finance = _page(browser)
    finance.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(finance, base, keeper.username, language)
    finance.goto(base + reverse("costs:ledger_figures"))
    finance.locator(f'a[href="{reverse("costs:ledger_import")}?kind=figures"]').first.click()
    finance.wait_for_load_state()
    sheet = tmp_path / "sales.xlsx"
    sheet.write_bytes(
        workbook(
            ["month", "sales", "output", "profit"],
            [[last_month.strftime("%Y-%m"), "6500000", "6890000", "455000"]],
        )
    )
    finance.locator("#import-form input[type=file]").set_input_files(str(sheet))
    finance.locator("#import-form button[type=submit]").click()
    _job_done(finance)
    assert BaseFigure.objects.active().filter(month=last_month).count() == 3
    finance.goto(base + reverse("costs:ledger_figures") + f"?year={last_month.year}")
    row = finance.locator(f'#figures tr[data-month="{last_month:%Y-%m}"]')
    assert "6500000.00" in row.inner_text()

    # The CQO pulls the sources: the scrap is an internal-failure line linked to its NCR.
    cqo = _page(browser)
    cqo.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(cqo, base, org.cqo.username, language)
    cqo.goto(base + reverse("costs:ledger_lines"))
    assert words["ledger"] in cqo.locator("h1").inner_text()
    cqo.locator("#sync summary").click()
    cqo.fill("#sync-first", last_month.isoformat())
    cqo.fill("#sync-last", today().isoformat())
    cqo.locator("#sync button[type=submit]").click()
    _job_done(cqo)
    copied = LedgerLine.objects.get(origin=LineOrigin.SOURCE, item_code="i_scrap")
    assert copied.category == "internal" and copied.amount == Decimal("255.00")
    cqo.goto(base + reverse("costs:ledger_lines") + "?category=internal")
    scrap_row = cqo.locator('#ledger-lines tr[data-item="i_scrap"]')
    assert scrap_row.count() == 1
    ncr_url = reverse("anomalies:ncr_detail", args=[ncr.pk])
    assert scrap_row.locator(f'a[href="{ncr_url}"]').count() == 1

    # The month closes; a line in it is refused; the wrong line is reversed in the open month.
    cqo.goto(base + reverse("costs:ledger_months"))
    cqo.fill("#close-form input[name=month]", last_month.strftime("%Y-%m"))
    cqo.locator("#close-form button[type=submit]").click()
    cqo.wait_for_load_state()
    assert MonthClose.objects.filter(month=last_month).exists()
    assert cqo.locator("#closed-months").inner_text().count(last_month.strftime("%Y-%m")) == 1
    cqo.goto(base + reverse("costs:ledger_line_add"))
    cqo.fill("#line-form input[name=date]", (last_month + datetime.timedelta(days=6)).isoformat())
    cqo.locator("#line-form select[name=item_code]").select_option("a_testing")
    cqo.fill("#line-form input[name=amount]", "16800.00")
    cqo.locator("#line-form button[type=submit]").click()
    cqo.wait_for_load_state()
    assert words["closed"] in cqo.locator("#line-form .error").first.inner_text()
    cqo.goto(base + reverse("costs:ledger_line_detail", args=[wrong.pk]))
    cqo.fill("#reverse-form input[name=reason]", "金额录入错误 / wrong amount")
    cqo.locator("#reverse-form button[type=submit]").click()
    cqo.wait_for_load_state()
    reversal = LedgerLine.objects.get(reverses=wrong)
    assert reversal.amount == Decimal("-18600.00") and reversal.month == today().replace(day=1)
    assert "-18600.00" in cqo.locator("#line-facts").inner_text()
    wrong.refresh_from_db()
    assert wrong.amount == Decimal("18600.00")

    # The report: last month's ratio computed, this month's shown as missing.
    cqo.goto(base + reverse("costs:ledger_report") + f"?first={last_month.isoformat()}")
    months = cqo.locator("#report-months tbody tr")
    assert months.count() == 2
    assert words["missing"] not in months.nth(0).locator('td[data-kind="sales"]').inner_text()
    assert words["missing"] in months.nth(1).locator('td[data-kind="sales"]').inner_text()
    cqo.wait_for_selector('[data-chart="cost-trend-option"][data-chart-drawn="1"]')
    assert errors == []
