"""The CQO's workbench shows the NCR Pareto and the ageing of the open NCRs (issue 10, done
when), drawn by the local ECharts, and the analysis page behind them; in Chinese and English."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.testing.analysis import analysis_world
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {
        "pareto": "不合格品报告缺陷排列图（近 3 个月）",
        "ageing": "未关闭不合格品报告账龄",
        "first": "D1 划伤",
        "analysis": "不合格品分析",
    },
    "en": {
        "pareto": "NCR Pareto by defect (3 months)",
        "ageing": "Open NCRs by age",
        "first": "D1 Scratch",
        "analysis": "Nonconformance analysis",
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
def test_the_cqos_workbench_shows_the_ncr_pareto_and_ageing(
    page: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    world = analysis_world()
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, base, org.cqo.username, language)
    pareto = page.locator("#panel-ncr_pareto")
    assert pareto.locator("h2").inner_text() == words["pareto"]
    assert pareto.locator(".panel-items li").first.inner_text().startswith(words["first"])
    # The local ECharts drew the Pareto (bars and the cumulative line) as SVG.
    pareto.locator(".panel-chart svg").wait_for()
    ageing = page.locator("#panel-ncr_ageing")
    assert ageing.locator("h2").inner_text() == words["ageing"]
    # Oldest first: the NCR in review for 100 days is marked as overdue.
    assert ageing.locator(".panel-items li").count() == 3
    assert "tone-danger" in (ageing.locator(".panel-items li").first.get_attribute("class") or "")
    ageing.locator(".panel-chart svg").wait_for()
    # The Pareto panel leads to the analysis page, whose table matches the panel.
    pareto.locator(".panel-foot a").click()
    page.wait_for_load_state()
    assert words["analysis"] in page.locator("h1").inner_text()
    page.locator(".chart[data-chart=pareto-option] svg").wait_for()
    first = page.locator("#pareto-table tbody tr").first.inner_text()
    assert first.startswith(words["first"])
    # The ageing list behind the oldest bucket holds the NCR in review.
    page.goto(f"{base}/anomalies/analysis/ageing/?age=3")
    assert world.n["N4"].number in page.locator("#open-ncrs").inner_text()
    assert errors == []
