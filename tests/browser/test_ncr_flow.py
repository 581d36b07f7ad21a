"""A rejected lot opens an NCR by itself (§6 c)): the inspector rejects an IQC lot at its usage
decision, and the NCR is on the list and its page, with the lot, the inspection lot it came from
and its containment, in Chinese and in English. The engineer then holds the lot from the page."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.anomalies.models import Anomaly
from cqo.inspection import services_results
from cqo.masterdata.models import StockStatus
from cqo.testing.results import full_rows, inspection_lot
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "decide": "记录决策", "source": "判退批", "containment": "遏制措施",
        "list": "不合格品报告", "hold": "冻结这些批次", "status": "已遏制",
    },
    "en": {
        "decide": "Record the decision", "source": "Rejected lot", "containment": "Containment",
        "list": "Nonconformance reports", "hold": "Hold the lots", "status": "Contained",
    },
}  # fmt: skip


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
def test_a_rejected_lot_opens_an_ncr_seen_on_the_list_and_its_page(
    browser: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    sheet = inspection_lot(org.engineer, n_ma=3, n_cr=3)
    ilot = sheet.ilot
    services_results.results_record(
        actor=org.inspector, inspection_lot=ilot, rows=full_rows(sheet, bad_bore=(1, 2))
    )
    base = live_server.url
    errors: list[str] = []

    inspector = _page(browser)
    inspector.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(inspector, base, org.inspector.username, language)
    inspector.goto(f"{base}/inspection/lots/{ilot.pk}/decision/")
    inspector.locator("input[name=decision][value=reject]").check()
    inspector.get_by_role("button", name=words["decide"]).click()
    inspector.wait_for_load_state()
    ncr = Anomaly.objects.get(source_ref=ilot.number)
    assert ncr.lots.get().lot_id == ilot.lot_id

    inspector.goto(f"{base}/anomalies/ncrs/")
    assert words["list"] in inspector.locator("h1").inner_text()
    row = inspector.locator("#ncr-list tbody tr", has_text=ncr.number)
    assert ilot.number in row.inner_text() and words["source"] in row.inner_text()
    row.get_by_role("link", name=ncr.number).click()
    inspector.wait_for_url(f"{base}/anomalies/ncrs/{ncr.pk}/")
    body = inspector.locator("main").inner_text()
    assert ilot.number in body and ilot.lot.number in body and words["containment"] in body

    engineer = _page(browser)
    engineer.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(engineer, base, org.engineer.username, language)
    engineer.goto(f"{base}/anomalies/ncrs/{ncr.pk}/")
    engineer.get_by_role("button", name=words["hold"]).click()
    engineer.wait_for_url(f"{base}/anomalies/ncrs/{ncr.pk}/")
    assert words["status"] in engineer.locator("#ncr-status").inner_text()
    ilot.lot.refresh_from_db()
    assert ilot.lot.stock_status == StockStatus.HELD
    assert errors == []
