"""The regulator clocks in a browser, across a public holiday (§7.2.1.4): the CQO records on a
recall case the signal and the confirmed defect on the eve of National Day 2026; the report clock
is due two working days after the holiday, the plan clock ten (the make-up Saturday counted), the
unverified deadline is marked; the calendar shows the holiday and the make-up day; the
administrator then makes a later Monday a holiday, and the due dates already shown do not move.
Once in Chinese, once in English."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.recall.models import RecallClock
from cqo.testing.clocks import admin_of, profiles, recall_case
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "recorded": "事件已登记到时限。",
        "unverified": "期限未核实",
        "verified": "期限已核实",
        "holiday": "国庆节",
        "set": "日期已设定。",
    },
    "en": {
        "recorded": "The event was recorded on the clocks.",
        "unverified": "Unverified deadline",
        "verified": "Verified deadline",
        "holiday": "National Day",
        "set": "The day was set.",
    },
}


def _sign_in(page: Any, base: str, username: str, language: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    if language == "en":
        page.locator(".lang-switch button[value=en]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"


def _event(page: Any, event: str, on: str) -> None:
    form = page.locator("form.event-form")
    form.locator("select[name=event]").select_option(event)
    form.locator("input[name=on]").fill(on)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_clocks_are_followed_across_national_day(
    page: Any, browser: Any, live_server: Any, language: str
) -> None:
    org = Org()
    admin_of(org)
    profiles(org)
    case = recall_case(org)
    base = live_server.url
    text = TEXT[language]
    clocks_url = f"{base}/recall/clocks/case/{case.pk}/"

    _sign_in(page, base, "cqo", language)
    page.goto(clocks_url)
    _event(page, "signal_received", "2026-09-30")
    assert text["recorded"] in page.content()
    _event(page, "defect_confirmed", "2026-09-30")
    report = page.locator("tr.clock-report")
    plan = page.locator("tr.clock-plan")
    assert "2026-10-09" in report.locator("td.due").inner_text()
    assert text["unverified"] in report.inner_text()
    assert "2026-10-20" in plan.locator("td.due").inner_text()
    assert text["verified"] in plan.inner_text()

    # The calendar shows the holiday and the make-up Saturday.
    page.goto(f"{base}/recall/calendar/2026/")
    assert "holiday" in (page.locator('td[data-day="2026-10-01"]').get_attribute("class") or "")
    assert "makeup" in (page.locator('td[data-day="2026-10-10"]').get_attribute("class") or "")
    assert text["holiday"] in page.locator('li[data-day="2026-10-01"]').inner_text()

    # The administrator makes Monday 12 October a holiday: later clocks count it, the due dates
    # already shown stay.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    admin = context.new_page()
    admin.set_default_timeout(15000)
    try:
        _sign_in(admin, base, "admin", language)
        admin.goto(f"{base}/recall/calendar/admin/")
        form = admin.locator("form.day-form")
        form.locator("input[name=day-day]").fill("2026-10-12")
        form.locator("select[name=day-kind]").select_option("holiday")
        form.locator("[name=day-reason]").fill("测试：更正单日")
        form.locator("button[type=submit]").click()
        admin.wait_for_load_state()
        assert text["set"] in admin.content()
    finally:
        context.close()
    page.goto(clocks_url)
    assert "2026-10-20" in page.locator("tr.clock-plan td.due").inner_text()
    assert RecallClock.objects.get(case=case, key="plan").due_on.isoformat() == "2026-10-20"
