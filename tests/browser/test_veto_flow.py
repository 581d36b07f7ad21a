"""The one-vote veto in a browser (§6 i)): the CQO vetoes a business decision; the principal's
attempts to move it forward, on the page and through the API with the same session, both fail
citing §6 i); the CQO lifts the veto and the decision proceeds; the audit chain verifies.
Once in Chinese (the default) and once in English (switched with the language buttons)."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.audit.services import verify_chain
from cqo.authorities.models import Veto
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "open_veto": "否决此记录…",
        "veto": "否决该记录",
        "blocked": "暂不能批准：该记录受一票否决（§6 i)）约束",
        "vetoed": "该记录已被一票否决（§6 i)），不得推进。",
        "approve": "批准",
        "refused": "该决策已被质量安全一票否决（§6 i)）",
        "lift": "解除否决",
        "lifted": "否决已解除（§6 i)）。",
        "approved": "决策已批准。",
        "meaning": "以首席质量官身份依据 §6 i) 一票否决",
    },
    "en": {
        "open_veto": "Veto this record…",
        "veto": "Veto this record",
        "blocked": "Approval is unavailable: a one-vote veto (§6 i)) holds this record",
        "vetoed": "The record is vetoed (§6 i)); it cannot go forward.",
        "approve": "Approve",
        "refused": "This decision is held by a one-vote veto on quality safety (§6 i))",
        "lift": "Lift the veto",
        "lifted": "The veto was lifted (§6 i)).",
        "approved": "The decision was approved.",
        "meaning": "Vetoed as CQO under §6 i)",
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


def _sign(page: Any, form: str, reason_field: str, prefix: str, reason: str) -> None:
    scope = page.locator(form)
    scope.locator(f"textarea[name={reason_field}]").fill(reason)
    scope.locator(f"input[name={prefix}-password]").fill(PASSWORD)
    scope.locator(f"input[name={prefix}-confirm]").check()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_cqo_vetoes_and_nothing_moves_the_decision_until_the_cqo_lifts_it(
    page: Any, browser: Any, live_server: Any, language: str
) -> None:
    org = Org()
    decision = DS.decision_create(
        actor=org.head, kind="product_launch", title="新款制动卡钳 BC-300 上市", unit=org.production
    )
    decision = DS.decision_submit(actor=org.head, decision=decision)
    base = live_server.url
    text = TEXT[language]
    detail = f"{base}/authorities/decisions/{decision.pk}/"

    # The CQO vetoes, with a reason and an e-signature.
    _sign_in(page, base, "cqo", language)
    page.goto(detail)
    # The veto form waits behind its one button.
    assert not page.locator("form.veto-form input[type=password]").is_visible()
    page.get_by_text(text["open_veto"]).click()
    _sign(page, "form.veto-form", "veto-reason", "vsig", "台架制动性能验证未完成")
    page.get_by_role("button", name=text["veto"]).click()
    page.wait_for_load_state()
    assert text["vetoed"] in page.content()
    assert text["meaning"] in page.content()
    assert Veto.objects.filter(lifted_at__isnull=True).count() == 1

    # The page offers the principal no approve button and says why; a forged post and the API
    # are refused.
    other = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    principal = other.new_page()
    principal.set_default_timeout(15000)
    try:
        _sign_in(principal, base, "principal", language)
        principal.goto(detail)
        assert principal.get_by_role("button", name=text["approve"], exact=True).count() == 0
        assert text["blocked"] in principal.locator("main").inner_text()
        csrf = next(c["value"] for c in other.cookies() if c["name"] == "csrftoken")
        principal.request.post(
            f"{detail}approve/", headers={"X-CSRFToken": csrf, "Referer": detail}, max_redirects=0
        )
        principal.goto(detail)
        assert text["refused"] in principal.content()
        assert "§6 i)" in principal.locator(".messages").first.inner_text()
        assert BusinessDecision.objects.get(pk=decision.pk).status == "submitted"

        response = principal.request.post(
            f"{base}/api/v1/authorities/decisions/{decision.pk}/approve/",
            headers={"X-CSRFToken": csrf, "Referer": detail},
        )
        assert response.status == 409
        body = response.json()
        assert body["clause"] == "§6 i)"
        assert text["refused"] in body["detail"]
        assert BusinessDecision.objects.get(pk=decision.pk).status == "submitted"

        # Only the CQO lifts the veto; the principal sees no way to.
        assert principal.locator("form.lift-form").count() == 0
        page.goto(detail)
        _sign(page, "form.lift-form", "lift-reason", "lsig", "验证报告已批准")
        page.get_by_role("button", name=text["lift"]).click()
        page.wait_for_load_state()
        assert text["lifted"] in page.content()

        # Now the decision proceeds.
        principal.goto(detail)
        principal.get_by_role("button", name=text["approve"], exact=True).click()
        principal.wait_for_load_state()
        assert text["approved"] in principal.content()
        assert BusinessDecision.objects.get(pk=decision.pk).status == "approved"
    finally:
        other.close()
    assert verify_chain() is None
