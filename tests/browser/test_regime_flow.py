"""Daily control, weekly check and monthly dispatch in a browser (§7.2.1, §7.2.1.2): yesterday's
daily record is missing and has been chased, so the quality-safety officer finds the reminder and
the gap, records the day (a control not done, its finding and a photo) and today's control; the
director (the CQO, who holds both posts) writes last week's report and raises a rectification
task; the CQO submits the month's report and the principal records the dispatch meeting on it.
Once in Chinese, once in English."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cqo.audit.services import verify_chain
from cqo.safety import selectors_regime as sel
from cqo.safety.models_regime import DailyRecord, DispatchStatus, MonthlyDispatch, RectificationTask
from cqo.safety.services_regime import regime_remind
from cqo.testing import regime as T
from cqo.testing.world import PASSWORD, Org

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

TEXT = {
    "zh-hans": {
        "chase": "每日质量安全管控记录缺失",
        "chased": "已于",
        "record_it": "补录",
        "today": "记录今日管控",
        "daily_saved": "每日管控记录已保存。",
        "weekly_saved": "周排查报告已保存。",
        "raise": "下达整改任务",
        "raised": "已下达",
        "monthly_saved": "报告已提交，待召开调度会议。",
        "held": "调度会议已记录。",
    },
    "en": {
        "chase": "daily quality-safety control record",
        "chased": "chased on",
        "record_it": "Record it",
        "today": "Record today's control",
        "daily_saved": "The daily control record was saved.",
        "weekly_saved": "The weekly check report was saved.",
        "raise": "Raise a rectification task",
        "raised": "was raised.",
        "monthly_saved": "The report was submitted for the dispatch meeting.",
        "held": "The dispatch meeting was recorded.",
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


def _other(browser: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_missing_day_is_chased_and_a_day_week_and_month_are_recorded(
    page: Any, browser: Any, live_server: Any, monkeypatch: Any, language: str
) -> None:
    org = Org()
    T.daily_controls(monkeypatch)
    T.regime_posts(org)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    start = today - datetime.timedelta(days=9)
    T.schedule(org, start, daily_due_hour=0)
    for n in range(9, 1, -1):
        T.daily_record(org, today - datetime.timedelta(days=n))
    regime_remind()  # the hourly chase has run: yesterday's record is missing
    base = live_server.url
    text = TEXT[language]

    # The officer sees the reminder and the gap, and records the missing day.
    _sign_in(page, base, "inspector", language)
    page.goto(f"{base}/authorities/notifications/")
    assert text["chase"] in page.content() and yesterday.isoformat() in page.content()
    page.goto(f"{base}/safety/regime/")
    row = page.locator(f"tr[data-day='{yesterday.isoformat()}']")
    assert "missing" in (row.get_attribute("class") or "")
    assert text["chased"] in row.inner_text()
    page.locator(".regime-gaps a", has_text=text["record_it"]).first.click()
    page.wait_for_load_state()
    assert page.locator("#id_day").input_value() == yesterday.isoformat()
    page.locator("[name=done_1]").uncheck()
    page.locator("[name=finding_1]").fill("精镗刀具寿命计数未清零，已停机换刀")
    page.set_input_files("[name=photo_0]", files=[
        {"name": "保压记录.png", "mimeType": "image/png", "buffer": PNG}
    ])  # fmt: skip
    page.locator("form.daily-form button[type=submit]").click()
    page.wait_for_load_state()
    assert text["daily_saved"] in page.content()
    assert "精镗刀具寿命计数未清零，已停机换刀" in page.content()
    pdf = page.request.get(page.url + "record.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    page.goto(f"{base}/safety/regime/")
    page.locator("a.button", has_text=text["today"]).click()
    page.wait_for_load_state()
    page.locator("form.daily-form button[type=submit]").click()
    page.wait_for_load_state()
    assert text["daily_saved"] in page.content()
    assert DailyRecord.objects.filter(day__in=[yesterday, today]).count() == 2
    assert sel.gaps().days == []

    # The director writes last week's report and raises a rectification task.
    cqo_context, cqo = _other(browser)
    principal_context, principal = _other(browser)
    try:
        _sign_in(cqo, base, "cqo", language)
        monday = T.monday_of(today - datetime.timedelta(days=7))
        cqo.goto(f"{base}/safety/regime/weekly/new/?week={monday.isoformat()}")
        cqo.locator("[name=summary]").fill("本周日管控按清单执行，补录一天。")
        cqo.locator("[name=problems]").fill("精镗刀具寿命计数未清零。")
        cqo.locator("form button[type=submit].primary").click()
        cqo.wait_for_load_state()
        assert text["weekly_saved"] in cqo.content()
        cqo.locator("details#raise-task > summary").click()
        form = cqo.locator("details#raise-task form")
        form.locator("[name=problem]").fill("精镗刀具寿命计数未清零")
        form.locator("[name=action]").fill("加装刀具寿命计数器并培训操作工")
        form.locator("select[name=owner]").select_option(str(org.head.pk))
        form.locator("[name=deadline]").fill((today + datetime.timedelta(days=7)).isoformat())
        form.locator("button[type=submit]").click()
        cqo.wait_for_load_state()
        assert text["raised"] in cqo.content()
        assert RectificationTask.objects.get().owner == org.head

        # The CQO reports on the month; the principal holds the dispatch meeting on it.
        cqo.goto(f"{base}/safety/regime/monthly/new/")
        cqo.locator("[name=report]").fill("本月质量安全总体受控，建议增配刀具寿命监控。")
        cqo.locator("form button[type=submit].primary").click()
        cqo.wait_for_load_state()
        assert text["monthly_saved"] in cqo.content()
        monthly_url = cqo.url
        _sign_in(principal, base, "principal", language)
        principal.goto(monthly_url)
        assert "本月质量安全总体受控" in principal.content()
        hold = principal.locator("form[action$='/hold/']")
        hold.locator("[name=attendees]").fill("主要负责人、首席质量官、质量安全员")
        hold.locator("[name=decisions]").fill("一、增配刀具寿命监控装置。")
        hold.locator("button[type=submit]").click()
        principal.wait_for_load_state()
        assert text["held"] in principal.content()
        assert "一、增配刀具寿命监控装置。" in principal.content()
    finally:
        cqo_context.close()
        principal_context.close()
    assert MonthlyDispatch.objects.get().status == DispatchStatus.HELD
    assert verify_chain() is None
