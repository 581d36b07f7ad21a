"""Results and the usage decision in a browser (§6 e), §6 c)): an inspector types an IQC lot's
results with the keyboard alone, sees the out-of-spec cells turn red as typed, saves, and rejects
the lot, which is then blocked; a quality engineer raises a concession, the CQO approves it with
an e-signature, and the lot is conditionally released. In Chinese and in English."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.inspection.models import Concession, Measurement
from cqo.masterdata import stock
from cqo.masterdata.models import StockStatus
from cqo.testing.results import inspection_lot
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {"save": "保存结果", "decide": "记录决策", "raise": "提交审批"},
    "en": {
        "save": "Save the results",
        "decide": "Record the decision",
        "raise": "Send for approval",
    },
}


def _page(browser: Any) -> Any:
    # Each person in a browser of their own (the ``page`` fixture's settings: a Chinese locale).
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
def test_an_inspector_records_a_failing_lot_by_keyboard_and_a_concession_releases_it(
    browser: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    sheet = inspection_lot(org.engineer, n_ma=3, n_cr=3)
    ilot = sheet.ilot
    base = live_server.url
    errors: list[str] = []

    inspector = _page(browser)
    inspector.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(inspector, base, org.inspector.username, language)
    inspector.goto(f"{base}/inspection/lots/{ilot.pk}/results/")
    # The first empty cell has the focus: BORE, unit 1. Enter goes down the column.
    first = inspector.locator(f"input[name=v-{sheet.bore.pk}-1]")
    assert first.evaluate("el => el === document.activeElement")
    for value in ("10.01", "10.09", "10.08"):
        inspector.keyboard.type(value)
        inspector.keyboard.press("Enter")
    # Two bores beyond the upper limit are red before anything is saved.
    assert inspector.locator("td.out-of-spec").count() == 2
    # Arrow keys: up from below the column's end stays in it; right moves to the next column.
    inspector.locator(f"input[name=v-{sheet.length.pk}-1]").focus()
    for value in ("10.00", "9.99", "10.02"):
        inspector.keyboard.type(value)
        inspector.keyboard.press("ArrowDown")
    inspector.locator(f"input[name=v-{sheet.crack.pk}-1]").focus()
    for value in ("0", "OK", "0"):
        inspector.keyboard.type(value)
        inspector.keyboard.press("Enter")
    inspector.get_by_role("button", name=words["save"]).click()
    inspector.wait_for_load_state()
    assert Measurement.objects.filter(inspection_lot=ilot).count() == 9
    assert Measurement.objects.filter(inspection_lot=ilot, conforming=False).count() == 2

    inspector.goto(f"{base}/inspection/lots/{ilot.pk}/decision/")
    inspector.locator("input[name=decision][value=reject]").check()
    inspector.get_by_role("button", name=words["decide"]).click()
    inspector.wait_for_load_state()
    ilot.lot.refresh_from_db()
    assert ilot.lot.stock_status == StockStatus.REJECTED
    with pytest.raises(Exception):  # noqa: B017 - ConflictError or ValidationError: refused
        stock.lot_release(actor=org.engineer, lot=ilot.lot, reason="急用")

    engineer = _page(browser)
    _sign_in(engineer, base, org.engineer.username, language)
    engineer.goto(f"{base}/inspection/lots/{ilot.pk}/concession/")
    engineer.fill("input[name=quantity]", "500")
    engineer.fill("textarea[name=reason]", "孔径超上限 0.04 mm，装配验证不影响功能")
    engineer.fill("textarea[name=limits]", "仅用于本月订单")
    engineer.get_by_role("button", name=words["raise"]).click()
    engineer.wait_for_load_state()
    concession = Concession.objects.get(inspection_lot=ilot)

    cqo = _page(browser)
    _sign_in(cqo, base, org.cqo.username, language)
    cqo.goto(f"{base}/authorities/approvals/{concession.approval_id}/")
    assert f"/inspection/concessions/{concession.pk}/" in cqo.content()
    form = cqo.locator("form:has(input[name=sig-password])")
    form.locator("input[name=decision][value=approve]").check()
    form.locator("textarea[name=reason]").fill("风险可控")
    form.locator("input[name=sig-password]").fill(PASSWORD)
    form.locator("input[name=sig-confirm]").check()
    form.locator("button[type=submit]").click()
    cqo.wait_for_load_state()
    concession.refresh_from_db()
    ilot.lot.refresh_from_db()
    assert concession.status == "approved"
    assert ilot.lot.stock_status == StockStatus.CONDITIONAL
    assert errors == []
