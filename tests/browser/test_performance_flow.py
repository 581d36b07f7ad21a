"""Quality objectives and appraisal in a browser (§7.1.2, §6 g)): the CQO sets an objective on
the IQC lot acceptance rate and its page shows the actual computed from the inspection lots with
its basis and light; a quality engineer computes and proposes the round's scores; after the
deputy's review the CQO signs the round in the approval inbox with her e-signature; the head of
production sees the signed score on "my appraisal". In Chinese and in English.

A small world: one enterprise (``cqo.testing.world.Org``), four IQC lots decided today."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cqo.performance import services as S
from cqo.performance.models import AppraisalRound, Objective, RoundStatus
from cqo.testing.metrics import decided_lot
from cqo.testing.world import PASSWORD, Org, today

TEXT = {
    "zh-hans": {"amber": "容差内", "set": "设定目标"},
    "en": {"amber": "Within tolerance", "set": "Set the objective"},
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
def test_an_objective_is_computed_from_inspection_and_its_appraisal_is_signed_and_seen(
    browser: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    for decision in ("accept", "accept", "accept", "reject"):
        decided_lot(org.inspector, decision=decision, on=today())
    base = live_server.url
    errors: list[str] = []
    first = today().replace(day=1)

    cqo = _page(browser)
    cqo.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(cqo, base, org.cqo.username, language)
    cqo.goto(base + reverse("performance:objective_list"))
    form = cqo.locator("#objective-form")
    form.locator("input[name=title]").fill("来料检验批合格率不低于 80%")
    form.locator("select[name=metric]").select_option("inspection.iqc_acceptance_rate")
    form.locator("input[name=target]").fill("80")
    form.locator("input[name=tolerance]").fill("5")
    form.locator("input[name=first]").fill(first.isoformat())
    form.locator("input[name=last]").fill(today().isoformat())
    form.locator("select[name=owner]").select_option(str(org.head.pk))
    form.get_by_role("button", name=words["set"]).click()
    cqo.wait_for_load_state()
    objective = Objective.objects.get()
    assert cqo.url.endswith(objective.get_absolute_url())
    actual = cqo.locator("#objective-actual").inner_text()
    assert "75.00" in actual and "3 / 4" in actual and words["amber"] in actual
    assert cqo.locator("[data-chart=objective-trend]").count() == 1

    found = S.round_create(actor=org.engineer, title="月度质量考核", subject_kind="person",
                           first=first, last=today())  # fmt: skip
    S.round_weight_set(actor=org.engineer, round=found, objective=objective, weight="100")
    engineer = _page(browser)
    _sign_in(engineer, base, org.engineer.username, language)
    engineer.goto(base + found.get_absolute_url())
    engineer.locator("#round-propose").click()
    engineer.wait_for_load_state()
    assert "60.00" in engineer.locator("table.round-scores").inner_text()
    found = S.round_review(actor=org.deputy, round=AppraisalRound.objects.get(pk=found.pk))

    cqo.goto(base + reverse("authorities:approval_detail", args=[found.approval_id]))
    sign = cqo.locator("form:has(input[name=sig-password])")
    sign.locator("input[name=decision][value=approve]").check()
    sign.locator("textarea[name=reason]").fill("同意考核结果")
    sign.locator("input[name=sig-password]").fill(PASSWORD)
    sign.locator("input[name=sig-confirm]").check()
    sign.locator("button[type=submit]").click()
    cqo.wait_for_load_state()
    found.refresh_from_db()
    assert found.status == RoundStatus.SIGNED and found.signed_by == org.cqo

    head = _page(browser)
    head.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(head, base, org.head.username, language)
    head.goto(base + reverse("performance:my_appraisal"))
    row = head.locator("table.my-appraisals tbody tr")
    assert row.count() == 1 and found.number in row.inner_text() and "60.00" in row.inner_text()
    row.locator("a").first.click()
    head.wait_for_load_state()
    assert head.locator("#appraisal-score").inner_text() == "60.00"
    assert head.locator("#appeal-form").count() == 1
    assert errors == []
