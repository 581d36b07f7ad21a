"""The risk register in a browser (§7.2.1.2): the CQO re-rates a risk on its page, publishes the
risk-control list as a new version, and prints it as a PDF; the earlier version stays as it
was. Once in Chinese, once in English."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.safety.models_registers import ControlList
from cqo.safety.services_registers import control_list_publish
from cqo.testing import safety as S
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "saved": "风险已保存。发布清单后生效。",
        "published": "风险管控清单第 2 版已发布。",
        "in_force": "第 2 版",
        "print": "打印（PDF，中文）",
    },
    "en": {
        "saved": "The risk is saved. Publish the list to put it in force.",
        "published": "Version 2 of the risk-control list is published.",
        "in_force": "Version 2",
        "print": "Print (PDF, English)",
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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_cqo_rerates_a_risk_publishes_the_list_and_prints_it(
    page: Any, live_server: Any, language: str
) -> None:
    org = Org()
    risk = S.risk(org, controls=("daily", "weekly"))
    control_list_publish(actor=org.cqo, note="首版")
    base = live_server.url
    text = TEXT[language]

    _sign_in(page, base, "cqo", language)
    page.goto(f"{base}/safety/risks/{risk.pk}/")
    form = page.locator("#risk-form")
    form.locator("select[name=likelihood]").select_option("5")
    form.locator("[name=hazard]").fill("活塞孔尺寸超差导致制动液泄漏（复评）")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert text["saved"] in page.content()
    assert "5 × 5 = 25" in page.locator("#risk-level").inner_text()

    page.goto(f"{base}/safety/control-list/")
    page.locator("#publish-form [name=note]").fill("复评活塞孔风险")
    page.locator("#publish-form button[type=submit]").click()
    page.wait_for_load_state()
    assert text["published"] in page.content()
    assert text["in_force"] in page.locator("#list-version h2").inner_text()
    assert "（复评）" in page.locator("#control-list").inner_text()

    link = page.locator("a", has_text=text["print"])
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:4] == b"%PDF"

    first = ControlList.objects.get(version=1)
    assert first.rows[0]["likelihood"] == 4 and "复评" not in first.rows[0]["hazard"]
    page.goto(f"{base}/safety/control-list/v1/")
    assert "（复评）" not in page.locator("#control-list").inner_text()
