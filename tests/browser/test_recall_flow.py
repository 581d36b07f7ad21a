"""A recall in a browser (§7.2.1.4): the CQO opens a recall from a customer complaint received on
the eve of National Day 2026; the report clock runs from the day the complaint came in and is due
after the holiday, later than a count of weekdays would say; once the principal has agreed, the
CQO's stop holds the affected lot, and its draft shipment is refused on the gate's page and
through the API (409, §6 e)); the CQO records the report on the clocks page and it is met; the
plan and the notice print as PDF. Once in Chinese, once in English.

A small world (``cqo.testing.recall``): one caliper lot shipped to two customers and on a draft
shipment to a third. The steps between the opening and the stop go through the services: their
pages are the case page's ordinary forms, and each browser step costs seconds."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urljoin

import pytest
from django.utils import timezone

from cqo.anomalies.services_complaints import complaint_record
from cqo.masterdata.models import Lot, Shipment, ShipmentStatus, StockStatus
from cqo.recall import services_case as S
from cqo.recall.models import RecallCase, RecallClock
from cqo.testing.clocks import profiles
from cqo.testing.recall import recall_world
from cqo.testing.world import PASSWORD, Org

RECEIVED = datetime.date(2026, 9, 29)  # a Tuesday; National Day runs 1–7 October 2026
REPORT_DUE = "2026-10-08"  # two working days: Wednesday 30 September, Thursday 8 October
NAIVE_DUE = "2026-10-01"  # two weekdays, as if there were no holiday

TEXT = {
    "zh-hans": {
        "opened": "召回案件 %s 已立案。",
        "held": "受影响批次已冻结，拒绝其出货。",
        "refused": "批次CAL-2026-0815：",
        "unverified": "期限未核实",
        "recorded": "事件已登记到时限。",
        "met": "按期完成",
    },
    "en": {
        "opened": "Recall case %s is open.",
        "held": "The affected lots are held and their shipment is refused.",
        "refused": "Lot CAL-2026-0815: ",
        "unverified": "Unverified deadline",
        "recorded": "The event was recorded on the clocks.",
        "met": "Met",
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


def _decided(org: Org, case: RecallCase) -> RecallCase:
    """Investigated, defect confirmed, proposed by the CQO and agreed by the principal."""
    case = S.case_investigate(actor=org.cqo, case=case, note="拆解 12 件退回品，密封圈硬度偏低。")
    case = S.case_defect_decide(actor=org.cqo, case=case, confirmed=True,
                                defect="活塞密封圈材料硬度不足，高温下漏液。")  # fmt: skip
    case = S.case_decision_propose(actor=org.cqo, case=case, kind="voluntary",
                                   reasons="缺陷存在于同批次产品，主动召回。")  # fmt: skip
    return S.case_decision_agree(actor=org.principal, case=case, agree=True)


def _pdf(page: Any, selector: str) -> None:
    href = page.locator(selector).get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_recall_opened_on_a_complaint_holds_the_lot_refuses_its_shipment_and_prints(
    page: Any, browser: Any, live_server: Any, language: str
) -> None:
    org = Org()
    profiles(org)
    world = recall_world(created_by=org.engineer)
    complaint = complaint_record(
        actor=org.engineer, customer=world.customers[0], item=world.item, lot=world.lot,
        description="高温路试后制动液渗漏", quantity="12",
        received_at=timezone.make_aware(datetime.datetime.combine(RECEIVED, datetime.time(10))),
    )  # fmt: skip
    base = live_server.url
    text = TEXT[language]

    # The CQO opens the recall from the complaint's page.
    _sign_in(page, base, "cqo", language)
    page.goto(f"{base}{complaint.get_absolute_url()}")
    page.locator("#complaint-recall").click()
    page.wait_for_load_state()
    case = RecallCase.objects.get(signal_ref=complaint.number)
    assert page.url.endswith(f"/recall/{case.pk}/")
    assert text["opened"] % case.number in page.content()
    assert case.signal_on == RECEIVED
    assert case.start_lots.get().pk == world.lot.pk

    # The report clock runs from the day the complaint came in, across National Day.
    report = page.locator("tr.clock-report")
    due = report.locator("td.due").inner_text()
    assert REPORT_DUE in due and NAIVE_DUE not in due
    assert text["unverified"] in report.inner_text()

    # After the principal's agreement, the stop holds the lot.
    _decided(org, case)
    page.reload()
    page.locator("#recall-stop").click()
    page.wait_for_load_state()
    assert text["held"] in page.content()
    row = page.locator("table.recall-lots tr", has_text=world.lot.number)
    assert row.locator("td.lot-status").get_attribute("data-status") == StockStatus.HELD
    assert Lot.objects.get(pk=world.lot.pk).stock_status == StockStatus.HELD
    assert page.locator("table.recall-targets tbody tr").count() == 3

    # The deputy (who did not make the shipment) finds its release refused on the gate's page,
    # and through the API with a conflict naming the clause.
    other = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    deputy = other.new_page()
    deputy.set_default_timeout(15000)
    try:
        _sign_in(deputy, base, "deputy", language)
        shipment_url = f"{base}/inspection/gate/shipments/{world.draft.pk}/"
        deputy.goto(shipment_url)
        assert text["refused"] in deputy.locator(".blocked-reason").first.inner_text()
        assert deputy.locator(f'form[action$="/shipments/{world.draft.pk}/release/"]').count() == 0
        csrf = next(c["value"] for c in other.cookies() if c["name"] == "csrftoken")
        response = deputy.request.post(
            f"{base}/api/v1/inspection/shipments/{world.draft.number}/release/",
            headers={"X-CSRFToken": csrf, "Referer": shipment_url},
        )
        assert response.status == 409
        body = response.json()
        assert body["clause"] == "§6 e)"
        assert text["refused"] in body["detail"]
    finally:
        other.close()
    assert Shipment.objects.get(pk=world.draft.pk).status == ShipmentStatus.DRAFT

    # The CQO records on the clocks page the report filed on its due day: the clock is met.
    page.goto(f"{base}/recall/clocks/case/{case.pk}/")
    form = page.locator("form.event-form")
    form.locator("select[name=event]").select_option("report_filed")
    form.locator("input[name=on]").fill(REPORT_DUE)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert text["recorded"] in page.content()
    assert text["met"] in page.locator("tr.clock-report").inner_text()
    assert RecallClock.objects.get(case=case, key="report").status == "met"

    # The plan (filed through the service) and the notice print as PDF from the case page.
    case = S.case_plan_file(
        actor=org.cqo, case=case, remedy="replace", measures="更换活塞密封圈；经销商协助召回。",
        start=timezone.localdate(), end=timezone.localdate() + datetime.timedelta(days=60),
        contact="质量部 023-6000 0000",
    )  # fmt: skip
    page.goto(f"{base}/recall/{case.pk}/")
    _pdf(page, "#recall-plan-pdf")
    _pdf(page, "#recall-notice-pdf")
