"""Corrective action in a browser (§7.1.4): a quality engineer records a 5-Why chain on a CAPA,
the deputy (not an owner) signs its effectiveness, the engineer signs its closure, and the 8D
report prints. In Chinese and in English."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.anomalies.models import Capa
from cqo.anomalies.models_capa import CapaStatus
from cqo.testing.capa import capa_on_ncr, capa_ready_for_check
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "add_chain": "添加5Why分析链",
        "save_chain": "保存分析链",
        "sign_check": "签署有效性验证",
        "close": "签名并关闭",
        "closed": "已关闭",
        "signed": "有效性验证已签署",
    },
    "en": {
        "add_chain": "Add a 5-Why chain",
        "save_chain": "Save the chain",
        "sign_check": "Sign the effectiveness check",
        "close": "Sign and close",
        "closed": "Closed",
        "signed": "The effectiveness check was signed",
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_capa_with_a_five_why_closes_after_a_second_person_signs_its_effectiveness(
    browser: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    capa = capa_on_ncr(org, is_8d=True)
    base = live_server.url
    errors: list[str] = []

    engineer = browser.new_context(locale="zh-CN").new_page()
    engineer.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(engineer, base, org.engineer.username, language)
    engineer.goto(f"{base}/anomalies/capa/{capa.pk}/")
    engineer.get_by_text(words["add_chain"]).click()
    form = engineer.locator("#why-form")
    form.locator("input[name=chain-problem]").fill("阀杆外径超差")
    form.locator("input[name=chain-why1]").fill("镗刀磨损")
    form.locator("input[name=chain-why2]").fill("换刀周期按班次计")
    form.locator("input[name=chain-why3]").fill("作业指导书未规定刀具寿命")
    form.locator("input[name=chain-root_cause]").fill("刀具寿命未受控")
    form.get_by_role("button", name=words["save_chain"]).click()
    engineer.wait_for_load_state()
    assert "作业指导书未规定刀具寿命" in engineer.locator("#why").inner_text()
    assert capa.why_chains.get().steps[2] == "作业指导书未规定刀具寿命"

    # The root cause verified and the action done, as the services tests cover them.
    capa_ready_for_check(org, Capa.objects.get(pk=capa.pk))

    deputy = browser.new_context(locale="zh-CN").new_page()
    deputy.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(deputy, base, org.deputy.username, language)
    deputy.goto(f"{base}/anomalies/capa/{capa.pk}/")
    check = deputy.locator("#effectiveness-form")
    assert check.locator("textarea[name=evidence]").input_value()  # proposed from the data
    check.locator("input[name=eff-password]").fill(PASSWORD)
    check.locator("input[name=eff-confirm]").check()
    check.get_by_role("button", name=words["sign_check"]).click()
    deputy.wait_for_load_state()
    assert words["signed"] in deputy.content()
    assert Capa.objects.get(pk=capa.pk).effectiveness_checked_by == org.deputy

    engineer.goto(f"{base}/anomalies/capa/{capa.pk}/")
    close = engineer.locator("#close-form")
    close.locator("input[name=close-password]").fill(PASSWORD)
    close.locator("input[name=close-confirm]").check()
    close.get_by_role("button", name=words["close"]).click()
    engineer.wait_for_load_state()
    assert engineer.locator("#capa-status").inner_text() == words["closed"]
    assert Capa.objects.get(pk=capa.pk).status == CapaStatus.CLOSED

    lang = "en" if language == "en" else "zh-hans"
    href = engineer.locator(f"#pdf-{'en' if lang == 'en' else 'zh'}").get_attribute("href")
    response = engineer.request.get(f"{base}{href}")
    assert response.ok and response.body().startswith(b"%PDF")
    assert errors == []
