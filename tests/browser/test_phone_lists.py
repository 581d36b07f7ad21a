"""Issue 7 §3.13: on a phone (390 px) a list page shows each row as a card, every value under its
column's name, so the approvals list keeps its due dates readable instead of squeezing eight
columns into two characters a line."""

from __future__ import annotations

from typing import Any

from cqo.core.demo import DEMO_PASSWORD


def test_the_approvals_list_on_a_phone_shows_each_request_as_a_card_with_its_due_date(
    page: Any, live_server: Any, full_demo: Any
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "cqo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/authorities/approvals/")
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 2
    # Nothing is wider than the screen: no sideways scrolling to reach a column.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = rows.first
    box = row.bounding_box()
    assert box is not None and box["width"] <= 390
    assert row.evaluate("el => getComputedStyle(el).display") in ("block", "grid", "flex")
    # The header row is left to screen readers; each value carries its column's name instead.
    head = page.locator("table.list thead").bounding_box()
    assert head is not None and head["height"] <= 1
    due = row.locator('td[data-label="到期"]')
    assert due.count() == 1 and due.is_visible()
    label = due.evaluate("el => getComputedStyle(el, '::before').content")
    assert "到期" in label
    # The due date reads on one line, and the summary gets the card's width, not a sliver.
    date = due.locator("time").first
    date_box = date.bounding_box()
    assert date_box is not None and date_box["height"] < 30
    summary = row.locator("td").first.bounding_box()
    assert summary is not None and summary["width"] > 250
