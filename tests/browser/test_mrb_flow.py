"""The review board in a browser (§6 c)): an inspector's rejection opens an NCR on the lot; the
quality engineer proposes a concession on it from the NCR's page; the request is in the CQO's
inbox, she approves it with an e-signature, and the lot is conditionally released. In Chinese
and in English."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cqo.anomalies.models import Anomaly, Disposition, DispositionStatus
from cqo.inspection import services_results as R
from cqo.masterdata.models import StockStatus
from cqo.testing.results import full_rows, inspection_lot
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {"concession": "提出让步接收", "propose": "提交处置"},
    "en": {"concession": "Propose a concession", "propose": "Propose the disposition"},
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_board_proposes_a_concession_the_cqo_signs_it_and_the_lot_is_released(
    browser: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    sheet = inspection_lot(org.engineer, n_ma=13, n_cr=13)
    R.results_record(
        actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet, bad_bore=(1, 2))
    )
    R.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="reject")
    lot = sheet.ilot.lot
    ncr = Anomaly.objects.get(source_ref=sheet.ilot.number)  # opened by the rejection itself
    base = live_server.url
    errors: list[str] = []

    engineer = _page(browser)
    engineer.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(engineer, base, org.engineer.username, language)
    engineer.goto(base + reverse("anomalies:ncr_detail", args=[ncr.pk]))
    engineer.get_by_role("link", name=words["concession"]).click()
    engineer.wait_for_load_state()
    form = engineer.locator("#disposition-form")
    assert form.locator("select[name=kind]").input_value() == "concession"
    form.locator("input[name=quantity]").fill("500")
    form.locator("textarea[name=reason]").fill("孔径超上限 0.04 mm，装配验证不影响功能")
    form.locator("textarea[name=conditions]").fill("仅用于本月订单，装配后全检")
    form.get_by_role("button", name=words["propose"]).click()
    engineer.wait_for_load_state()
    disposition = Disposition.objects.get(anomaly=ncr)
    assert disposition.status == DispositionStatus.SUBMITTED and disposition.lot == lot

    cqo = _page(browser)
    cqo.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(cqo, base, org.cqo.username, language)
    cqo.goto(base + reverse("authorities:approval_list"))
    detail = reverse("authorities:approval_detail", args=[disposition.approval_id])
    cqo.locator(f'a[href="{detail}"]').first.click()
    cqo.wait_for_load_state()
    assert disposition.get_absolute_url() in cqo.content()
    form = cqo.locator("form:has(input[name=sig-password])")
    form.locator("input[name=decision][value=approve]").check()
    form.locator("textarea[name=reason]").fill("风险可控，限本月订单")
    form.locator("input[name=sig-password]").fill(PASSWORD)
    form.locator("input[name=sig-confirm]").check()
    form.locator("button[type=submit]").click()
    cqo.wait_for_load_state()
    disposition.refresh_from_db()
    lot.refresh_from_db()
    assert disposition.status == DispositionStatus.DECIDED and disposition.lot_released
    assert lot.stock_status == StockStatus.CONDITIONAL

    engineer.goto(base + disposition.get_absolute_url())
    assert engineer.locator(".disposition-status").count() == 1
    assert errors == []
