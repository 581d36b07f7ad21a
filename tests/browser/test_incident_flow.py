"""An incident in a browser (§6 d)): the CQO opens the investigation, records the timeline, facts,
causes and responsibility, proposes a penalty and tells the person; the principal finds no way
to decide before the person is heard; the person states their case (申辩); the principal decides
a lighter fine, and it is on the person's quality record. Once in Chinese, once in English."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cqo.audit.services import verify_chain
from cqo.incidents.models import Penalty, PenaltyStatus
from cqo.organisation.quality_record import quality_record
from cqo.testing.incidents import reported_incident
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "opened": "调查已启动。",
        "proposed": "已提出处罚。",
        "told": "已告知当事人，申辩期开始。",
        "heard": "已记录申辩。",
        "decided": "已作出处罚决定。",
        "open": "启动调查",
        "timeline": "增加时间线条目",
        "findings": "记录事实与原因",
        "responsibility": "记录责任认定",
        "penalty": "提出处罚",
    },
    "en": {
        "opened": "The investigation is open.",
        "proposed": "The penalty was proposed.",
        "told": "The person was told; the hearing window is open.",
        "heard": "The hearing was recorded.",
        "decided": "The penalty was decided.",
        "open": "Open the investigation",
        "timeline": "Add a timeline entry",
        "findings": "Record facts and causes",
        "responsibility": "Record a responsibility",
        "penalty": "Propose a penalty",
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


def _act(page: Any, summary: str, act: str, fill: dict[str, str], select: dict[str, str]) -> None:
    """Open the action's folded form by its summary, fill it and send it."""
    page.locator("details.act > summary", has_text=summary).click()
    form = page.locator(f"form[action$='/{act}/']")
    for name, value in fill.items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in select.items():
        form.locator(f"select[name={name}]").select_option(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _other(browser: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_incident_is_investigated_and_a_penalty_proposed_heard_and_decided(
    page: Any, browser: Any, live_server: Any, language: str
) -> None:
    org = Org()
    incident = reported_incident(org)
    base = live_server.url
    text = TEXT[language]
    detail = f"{base}/incidents/{incident.pk}/"
    earlier = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))

    _sign_in(page, base, "cqo", language)
    page.goto(detail)
    _act(page, text["open"], "lead", {}, {"lead": str(org.cqo.pk)})
    assert text["opened"] in page.content()
    _act(page, text["timeline"], "timeline",
         {"at": earlier.strftime("%Y-%m-%dT%H:%M"), "text": "停线隔离当班产品"}, {})  # fmt: skip
    _act(page, text["findings"], "findings",
         {"facts": "扭矩扳手超期未校准。", "causes": "计量台账遗漏装配线工具。"}, {})  # fmt: skip
    _act(page, text["responsibility"], "responsibility", {"finding": "领用时未核对校准标识。"},
         {"person": str(org.head.person.pk), "kind": "direct"})  # fmt: skip
    assert "停线隔离当班产品" in page.content() and "计量台账遗漏装配线工具。" in page.content()
    _act(page, text["penalty"], "penalty",
         {"basis": "《质量事故责任追究办法》第十二条", "amount": "500"},
         {"person": str(org.head.person.pk), "measure": "fine"})  # fmt: skip
    assert text["proposed"] in page.content()
    penalty = Penalty.objects.get(incident=incident)
    penalty_url = f"{base}/incidents/penalties/{penalty.pk}/"
    assert page.url == penalty_url
    page.locator("form[action$='/notify/'] [name=notice]").fill("拟罚款 500 元，可在 5 日内申辩。")
    page.locator("form[action$='/notify/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert text["told"] in page.content()

    principal_context, principal = _other(browser)
    person_context, person = _other(browser)
    try:
        # Not heard yet: the principal has no decision form.
        _sign_in(principal, base, "principal", language)
        principal.goto(penalty_url)
        assert principal.locator("form[action$='/decide/']").count() == 0

        # The person states their case.
        _sign_in(person, base, "head", language)
        person.goto(penalty_url)
        person.locator("form[action$='/hear/'] [name=statement]").fill(
            "校准由设备科负责，本人已提醒。"
        )
        person.locator("form[action$='/hear/'] button[type=submit]").click()
        person.wait_for_load_state()
        assert text["heard"] in person.content()

        # The principal decides a lighter fine.
        principal.goto(penalty_url)
        assert "校准由设备科负责，本人已提醒。" in principal.content()
        form = principal.locator("form[action$='/decide/']")
        form.locator("input[name=verdict][value=impose]").check()
        form.locator("select[name=measure]").select_option("fine")
        form.locator("[name=amount]").fill("300")
        form.locator("[name=reasons]").fill("申辩部分采纳，从轻处理。")
        form.locator("button[type=submit]").click()
        principal.wait_for_load_state()
        assert text["decided"] in principal.content()
        assert principal.locator("tr.decision.current").count() == 1
    finally:
        principal_context.close()
        person_context.close()
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.DECIDED
    [entry] = quality_record(person=org.head.person)
    assert str(entry.amount) == "300.00"
    assert verify_chain() is None
