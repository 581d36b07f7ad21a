"""A supplier answers a SCAR through its link (§7.1.4), in a browser of its own with no session,
and the quality engineer accepts the answer. In Chinese and in English: the engineer issues the
SCAR in the test's language, and the supplier's page follows the SCAR's language."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cqo.anomalies.models import Scar, ScarAnswer
from cqo.testing.scar import ANSWER, supplier_ncr
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "issue": "发出纠正措施要求",
        "title": "供应商纠正措施要求",
        "send": "提交答复",
        "accept": "接受答复",
        "accepted": "已采纳",
    },
    "en": {
        "issue": "Issue the SCAR",
        "title": "Supplier corrective action request",
        "send": "Send the answer",
        "accept": "Accept the answer",
        "accepted": "Accepted",
    },
}


def _page(browser: Any, locale: str = "zh-CN") -> Any:
    page = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}).new_page()
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
def test_a_supplier_answers_a_scar_through_its_link_and_the_engineer_accepts_it(
    browser: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    ncr = supplier_ncr(org)
    base = live_server.url
    errors: list[str] = []

    engineer = _page(browser)
    engineer.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(engineer, base, org.engineer.username, language)
    engineer.goto(f"{base}/anomalies/ncr/{ncr.pk}/scar/new/")
    engineer.select_option("select[name=lot]", str(ncr.lots.get().lot_id))
    engineer.fill("textarea[name=problem]", "外径 10.08 mm，超出 10.00 ± 0.05 mm")
    engineer.select_option("select[name=language]", language)
    due = timezone.localdate() + datetime.timedelta(days=10)
    engineer.fill("input[name=due_on]", due.isoformat())
    engineer.get_by_role("button", name=words["issue"]).click()
    engineer.wait_for_load_state()
    link = engineer.locator("[data-testid=scar-link]").input_value()
    scar = Scar.objects.get(anomaly=ncr)
    assert f"/anomalies/scar/{scar.pk}/reply/" in link

    # The supplier: a browser of its own, never signed in, in another locale than the SCAR's.
    supplier = _page(browser, locale="en-US" if language == "zh-hans" else "zh-CN")
    supplier.on("pageerror", lambda exc: errors.append(str(exc)))
    supplier.goto(link)
    assert words["title"] in supplier.locator("h1").inner_text()
    assert supplier.locator("nav").count() == 0
    assert supplier.context.cookies() == [] or all(
        c["name"] != "sessionid" for c in supplier.context.cookies()
    )
    for name, value in ANSWER.items():
        selector = f"[name={name}]"
        supplier.fill(selector, value)
    supplier.get_by_role("button", name=words["send"]).click()
    supplier.wait_for_load_state()
    assert supplier.locator("[data-testid=scar-received]").count() == 1
    assert ScarAnswer.objects.filter(scar=scar).count() == 1
    # The link takes nothing more while the answer awaits review.
    assert supplier.goto(link).status == 404

    engineer.goto(f"{base}/anomalies/scar/{scar.pk}/")
    assert ANSWER["root_cause"] in engineer.content()
    engineer.locator("[data-testid=scar-accept] button[type=submit]").click()
    engineer.wait_for_load_state()
    assert words["accepted"] in engineer.locator("[data-testid=scar-status]").inner_text()
    scar.refresh_from_db()
    assert scar.status == "accepted"
    assert errors == []
