"""Lot traceability in a browser (§7.2.3.2, the scope of a recall under §7.2.1.4): the CQO
traces a supplier batch forward to the customers holding it (graph drawn by the local ECharts,
customers and lots in tables, the whole trace exported), then follows a customer complaint's
unit backward from the complaint's page (by the unit's serial number) to every supplier batch in
it. Once in Chinese, once in English.

A small world (``cqo.testing.genealogy``): supplier batches ST-01 and RS-07 go into a work-in-
progress body, which goes into calipers F-CAL-1 (shipped to KA) and F-CAL-2 (shipped to KB);
batch PD-03 goes into F-CAL-2 only. Each caliper lot has a unit with a serial number."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest

from cqo.anomalies.services_complaints import complaint_record
from cqo.masterdata.genealogy_feeds import genealogy_feed_post
from cqo.testing.genealogy import genealogy_world
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {"traced": "已追溯4个批次。", "back": "反向追溯"},
    "en": {"traced": "4 lots traced.", "back": "Backward trace"},
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
def test_a_batch_traces_forward_to_its_customers_and_a_complaint_back_to_its_batches(
    page: Any, live_server: Any, language: str
) -> None:
    org = Org()
    g = genealogy_world()
    genealogy_feed_post(
        actor=org.engineer, rows=[],
        serials=[{"lot": "F-CAL-1", "serial": "BC-0001"}, {"lot": "F-CAL-2", "serial": "BC-0042"}],
    )  # fmt: skip
    complaint = complaint_record(
        actor=org.engineer, customer=g.customer_b, item=g.caliper_2.item, lot=g.caliper_2,
        serial="BC-0042", description="制动钳漏液", quantity="3",
    )  # fmt: skip
    base = live_server.url
    text = TEXT[language]
    _sign_in(page, base, "cqo", language)

    # Forward from the supplier batch, typed into the trace screen.
    page.goto(f"{base}/masterdata/genealogy/")
    page.locator("input[name=direction][value=forward]").check()
    page.fill("input[name=batch]", "ST-01")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert text["traced"] in page.locator("[data-testid=trace-count]").inner_text()
    customers = page.locator("[data-testid=trace-customers]").inner_text()
    assert "KA" in customers and "KB" in customers
    lots = page.locator("[data-testid=trace-lots]").inner_text()
    assert "F-CAL-1" in lots and "F-CAL-2" in lots and "R-PAD" not in lots
    serials = page.locator("[data-testid=trace-serials]").inner_text()
    assert "BC-0001" in serials and "BC-0042" in serials
    # The graph is drawn in the page, by the ECharts file the product serves itself.
    page.locator(".chart[data-chart=trace-graph] svg").first.wait_for()
    export = page.request.get(
        urljoin(page.url, page.locator("a[href*='export']").get_attribute("href"))
    )
    assert export.status == 200
    assert export.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )

    # Backward from the complaint's unit (its serial number), starting on the complaint's page.
    page.goto(f"{base}{complaint.get_absolute_url()}")
    page.locator("#complaint-trace").click()
    page.wait_for_load_state()
    summary = page.locator("#trace-summary").inner_text()
    assert text["back"] in summary and "BC-0042" in summary
    batches = page.locator("[data-testid=trace-batches]").inner_text()
    for batch in ("ST-01", "RS-07", "PD-03"):
        assert batch in batches
