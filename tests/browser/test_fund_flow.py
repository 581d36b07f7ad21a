"""The special quality fund in a browser (§8.1, §6 f)): a unit's head applies to spend from the
fund; the request is in the CQO's inbox, she approves it with an e-signature, and the purpose's
balance moves on the fund's page; an application over the balance is refused, naming the field
and the clause; the year-end report is asked for and offered once its job is done. In Chinese and
in English."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from cqo.costs.models import FundSpending, PurposeKind, SpendingStatus
from cqo.testing.fund import fund_with_purposes
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {"send": "提交申请", "refused": "超出余额的支出不予受理"},
    "en": {"send": "Send the application", "refused": "a spending over the balance is refused"},
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


def _apply(
    page: Any, base: str, fund: Any, purpose: Any, amount: str, words: dict[str, str]
) -> None:
    page.goto(base + reverse("costs:spending_new", args=[fund.pk]))
    form = page.locator("#spending-form")
    form.locator("select[name=purpose]").select_option(str(purpose.pk))
    form.locator("input[name=title]").fill("检测设备校准培训")
    form.locator("textarea[name=justification]").fill("新进检验员 6 人上岗前培训")
    form.locator("input[name=amount]").fill(amount)
    form.get_by_role("button", name=words["send"]).click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_unit_applies_the_cqo_signs_the_balance_moves_and_an_over_balance_spending_is_refused(
    browser: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    fund, purposes = fund_with_purposes(org)
    metrology = purposes[PurposeKind.METROLOGY]  # 10,000 yuan allocated
    base = live_server.url
    errors: list[str] = []

    head = _page(browser)
    head.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(head, base, org.head.username, language)
    _apply(head, base, fund, metrology, "6000.50", words)
    spending = FundSpending.objects.get(fund=fund)
    assert spending.status == SpendingStatus.SUBMITTED and spending.unit == org.production
    assert head.locator(".spending-status").count() == 1

    cqo = _page(browser)
    cqo.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(cqo, base, org.cqo.username, language)
    cqo.goto(base + reverse("authorities:approval_list"))
    detail = reverse("authorities:approval_detail", args=[spending.approval_id])
    cqo.locator(f'a[href="{detail}"]').first.click()
    cqo.wait_for_load_state()
    form = cqo.locator("form:has(input[name=sig-password])")
    form.locator("input[name=decision][value=approve]").check()
    form.locator("textarea[name=reason]").fill("符合计量能力建设计划")
    form.locator("input[name=sig-password]").fill(PASSWORD)
    form.locator("input[name=sig-confirm]").check()
    form.locator("button[type=submit]").click()
    cqo.wait_for_load_state()
    spending.refresh_from_db()
    assert spending.status == SpendingStatus.APPROVED

    cqo.goto(base + reverse("costs:fund_detail", args=[fund.pk]))
    balance = cqo.locator(f'tr[data-purpose="{metrology.pk}"] .balance').inner_text()
    assert balance.replace(",", "") == "3999.50"
    # The year-end report is asked for, built in the queue, and offered on its job's page.
    cqo.locator("#fund-report-request button[value=xlsx]").click()
    cqo.wait_for_url("**/costs/fund/reports/*/")
    cqo.locator("#fund-report-download").wait_for()
    assert len(cqo.locator("#fund-report-sha256").inner_text().strip()) == 64

    _apply(head, base, fund, metrology, "4000", words)  # 3,999.50 left
    assert words["refused"] in head.locator("#spending-form").inner_text()
    assert "§8.1" in head.locator("#spending-form").inner_text()
    assert FundSpending.objects.filter(fund=fund).count() == 1
    assert sum(s.amount for s in FundSpending.objects.all()) == Decimal("6000.50")
    assert errors == []
