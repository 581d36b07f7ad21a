"""Inspection gates in a browser (issue 9, §6 e)): an inspector receives an IQC lot on the page,
types its results in the grid with the keyboard and rejects it; the lot is blocked and its release
refused with the reason shown; a concession goes to the CQO, who signs its approval in the
approvals inbox, and the lot is conditionally released; a second rejection puts the supplier ×
item on tightened inspection and the next lot received draws the tightened plan. The CQO vetoes a
shipment, and the ERP hears it through the release-status call and the webhook. The SPC page
flags a shift. Each in Chinese (the default) and in English (switched with the language
buttons)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from cqo.api.models import WebhookDelivery, WebhookEndpoint
from cqo.audit.models import Signature
from cqo.authorities.models import ApprovalRequest, Veto
from cqo.inspection import services_lots, services_results, services_spc, signals
from cqo.inspection.models import InspectionLot, LotSampling, SamplingMethod, Severity
from cqo.inspection.switching import stream_for
from cqo.masterdata import stock
from cqo.masterdata.models import DefectClass, Gate, GateBehaviour, Lot, StockStatus
from cqo.methods.sampling import sampling_plan
from cqo.testing.inspection import approved_plan
from cqo.testing.masterdata import (
    ApprovedSupplierFactory,
    CharacteristicFactory,
    CustomerFactory,
    ItemFactory,
)
from cqo.testing.spc import SpcWorld, stable
from cqo.testing.world import PASSWORD, Org, today

LANGUAGES = ["zh-hans", "en"]
# A lot of 50 at level II, AQL 2.5 for major defects: n 5 on normal, 8 on tightened, Ac 0 Re 1.
LOT_SIZE, LEVEL, AQL = 50, "II", "2.5"


def _t(language: str, text: str) -> str:
    with translation.override(language):
        said = gettext(text)
    # The Chinese run is only worth its name if the words are translated.
    assert language == "en" or said != text, f"not translated: {text}"
    return said


def _field(page: Any, language: str, label: str) -> Any:
    """The form field labelled ``label`` (its required mark aside)."""
    text = _t(language, label)
    text = text[:1].upper() + text[1:]
    return page.get_by_label(re.compile(rf"^{re.escape(text)}(\s*\*)?$"))


def _sign_in(page: Any, base: str, username: str, language: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    if language == "en":
        page.locator(".lang-switch button[value=en]").click()
        page.wait_for_load_state()
    assert (page.locator("html").get_attribute("lang") or "").lower() == language


def _new_page(browser: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


class Receiving:
    """An item set to block at the incoming gate, one dimension of class MA, a supplier on its
    approved list and a plan in force sampling MA at level II, AQL 2.5."""

    def __init__(self, org: Org) -> None:
        self.item: Any = ItemFactory(gate_iqc=GateBehaviour.BLOCK)
        self.bore: Any = CharacteristicFactory(item=self.item, defect_class=DefectClass.MA)
        self.supplier: Any = ApprovedSupplierFactory(item=self.item).supplier
        self.plan = approved_plan(
            item=self.item,
            gate=Gate.IQC,
            owner=org.engineer,
            samplings={
                DefectClass.MA: {"method": SamplingMethod.GBT2828, "level": LEVEL, "aql": AQL}
            },
            characteristics=[self.bore],
        )

    def receive(self, page: Any, base: str, language: str, batch: str) -> InspectionLot:
        page.goto(f"{base}/inspection/receipts/new/")
        assert page.locator("main form select").count() >= 2, page.locator("main").inner_text()
        _field(page, language, "Supplier").select_option(label=str(self.supplier))
        _field(page, language, "item").select_option(label=str(self.item))
        _field(page, language, "Supplier batch").fill(batch)
        _field(page, language, "Quantity").fill(str(LOT_SIZE))
        page.get_by_role("button", name=_t(language, "Receive"), exact=True).click()
        try:
            page.wait_for_url(f"{base}/inspection/lots/*/")
        except Exception:
            raise AssertionError(page.locator("main").inner_text()[:3000]) from None
        return InspectionLot.objects.get(lot__supplier_batch=batch)


def _sampling_row(page: Any) -> list[str]:
    cells = page.locator("#sampling tbody tr").first.locator("td")
    return [c.strip() for c in cells.all_inner_texts()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failed_lot_is_blocked_conceded_by_the_cqo_and_two_rejections_tighten_the_next_lot(
    page: Any, browser: Any, live_server: Any, language: str
) -> None:
    org = Org()
    world = Receiving(org)
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # The inspector receives the lot; it is drawn under normal inspection.
    _sign_in(page, base, "inspector", language)
    ilot = world.receive(page, base, language, "B-0001")
    normal = sampling_plan(LOT_SIZE, LEVEL, AQL, "normal")
    row = _sampling_row(page)
    assert row[5:8] == [str(normal.n), str(normal.ac), str(normal.re)]

    # Results typed with the keyboard: Enter moves to the next sample unit; the value out of the
    # limits turns red as typed.
    page.get_by_role("link", name=_t(language, "Enter results"), exact=True).click()
    page.get_by_label(f"{world.bore.code} #1", exact=True).click()
    values = ["10.01", "9.99", "10.09", "10.00", "10.02"][: normal.n]
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    bad = page.get_by_label(f"{world.bore.code} #3", exact=True)
    assert "out-of-spec" in (bad.locator("xpath=..").get_attribute("class") or "")
    page.get_by_role("button", name=_t(language, "Save the results"), exact=True).click()
    page.wait_for_load_state()
    assert ilot.measurements.count() == normal.n  # type: ignore[attr-defined]

    # The usage decision: reject.
    page.goto(f"{base}/inspection/lots/{ilot.pk}/decision/")
    page.get_by_label(_t(language, "Reject"), exact=True).check()
    page.get_by_role("button", name=_t(language, "Record the decision"), exact=True).click()
    page.wait_for_load_state()
    lot = Lot.objects.get(pk=ilot.lot_id)
    assert lot.stock_status == StockStatus.REJECTED

    # A quality engineer, who may release lots, is offered no release and told why; a release
    # posted all the same is refused on the page with the reason.
    engineer = _new_page(browser)
    try:
        _sign_in(engineer, base, "qe", language)
        engineer.goto(f"{base}/inspection/lots/{ilot.pk}/")
        gate = engineer.locator("section.gate")
        with translation.override(language):
            reasons = [str(r) for r in stock.lot_release_status(lot)["reasons"]]
        assert reasons
        shown = gate.inner_text()
        assert all(reason in shown for reason in reasons)
        assert _t(language, "Release is not offered: the reasons are above.") in shown
        csrf = next(c["value"] for c in engineer.context.cookies() if c["name"] == "csrftoken")
        engineer.request.post(
            f"{base}/inspection/gate/lots/{lot.pk}/release/",
            headers={"X-CSRFToken": csrf, "Referer": f"{base}/inspection/lots/{ilot.pk}/"},
            max_redirects=0,
        )
        engineer.goto(f"{base}/inspection/gate/lots/{lot.pk}/")
        refusal = engineer.locator(".messages .error").first.inner_text()
        assert any(reason in refusal for reason in reasons), refusal
        assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.REJECTED
    finally:
        engineer.context.close()

    # The inspector raises a concession on the rejected lot.
    page.goto(f"{base}/inspection/lots/{ilot.pk}/")
    page.get_by_role("link", name=_t(language, "Raise a concession"), exact=True).click()
    _field(page, language, "Quantity").fill(str(LOT_SIZE))
    _field(page, language, "Reason").fill("孔径超差 0.04，装配不受影响")
    _field(page, language, "Limits").fill("仅限本批，用于 A 线总装")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/inspection/concessions/*/")
    approval = ApprovalRequest.objects.get(kind=services_results.KIND_CONCESSION)

    # The CQO finds it in the approvals inbox and approves it with her signature.
    cqo = _new_page(browser)
    try:
        _sign_in(cqo, base, "cqo", language)
        cqo.goto(f"{base}/authorities/approvals/")
        cqo.locator(f'main a[href$="/authorities/approvals/{approval.pk}/"]').first.click()
        cqo.wait_for_url(f"{base}/authorities/approvals/{approval.pk}/")
        form = cqo.locator("form.decide-form")
        form.get_by_label(_t(language, "Approve"), exact=True).check()
        form.locator("textarea").first.fill("限本批，A 线总装前全检孔径")
        form.locator("input[type=password]").fill(PASSWORD)
        form.locator("input[type=checkbox]").check()
        form.get_by_role(
            "button", name=_t(language, "Sign and record the decision"), exact=True
        ).click()
        cqo.wait_for_load_state()
        approval.refresh_from_db()
        assert approval.status == "approved", cqo.locator("main").inner_text()[:2000]
        assert Signature.objects.filter(signer=org.cqo, object_id=str(approval.pk)).exists()
    finally:
        cqo.context.close()
    lot.refresh_from_db()
    assert lot.stock_status == StockStatus.CONDITIONAL
    page.goto(f"{base}/inspection/lots/{ilot.pk}/")
    with translation.override(language):
        conditional = str(lot.get_stock_status_display())
    assert conditional in page.locator("section.gate").inner_text()

    # A second lot of the same supplier rejected: two of the last lots on normal were not
    # accepted, so the stream switches to tightened (GB/T 2828.1, 9.3.2).
    second = services_lots.receipt_create(
        actor=org.inspector, item=world.item, supplier=world.supplier, supplier_batch="B-0002",
        quantity=Decimal(LOT_SIZE), arrived_on=today(),
    )  # fmt: skip
    services_results.results_record(
        actor=org.inspector,
        inspection_lot=second,
        rows=[
            {"characteristic_id": world.bore.pk, "sample_no": i + 1, "value": v}
            for i, v in enumerate(["10.10", "10.00", "10.01", "9.99", "10.00"][: normal.n])
        ],
    )
    services_results.inspection_lot_decide(
        actor=org.inspector, inspection_lot=second, decision="reject"
    )
    stream = stream_for(gate=Gate.IQC, item=world.item, supplier=world.supplier)
    assert stream.state == Severity.TIGHTENED

    # The next lot received on the page draws the tightened plan.
    third = world.receive(page, base, language, "B-0003")
    tightened = sampling_plan(LOT_SIZE, LEVEL, AQL, "tightened")
    assert (tightened.n, tightened.ac, tightened.re) != (normal.n, normal.ac, normal.re)
    assert third.severity == Severity.TIGHTENED
    row = _sampling_row(page)
    assert row[4:8] == [tightened.code, str(tightened.n), str(tightened.ac), str(tightened.re)]
    with translation.override(language):
        assert str(Severity.TIGHTENED.label) in row[1]
    (snapshot,) = LotSampling.objects.filter(inspection_lot=third)
    assert (snapshot.n, snapshot.ac, snapshot.re) == (tightened.n, tightened.ac, tightened.re)
    assert errors == []


class Erp:
    """The ERP: its own HTTP client (no browser session), signed in with an API token."""

    def __init__(self, browser: Any, base: str, username: str, language: str) -> None:
        self.context = browser.new_context()
        self.base, self.language = base, language
        answer = self.context.request.post(
            f"{base}/api/v1/auth/token/", data={"username": username, "password": PASSWORD}
        )
        assert answer.status == 200, answer.text()
        self.token = answer.json()["token"]

    def get(self, path: str) -> dict[str, Any]:
        answer = self.context.request.get(
            f"{self.base}{path}",
            headers={"Authorization": f"Token {self.token}", "Accept-Language": self.language},
        )
        assert answer.status == 200, answer.text()
        body: dict[str, Any] = answer.json()
        return body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cqo_vetoes_a_shipment_and_the_erp_hears_it_by_the_call_and_the_webhook(
    page: Any, browser: Any, live_server: Any, language: str
) -> None:
    org = Org()
    endpoint = WebhookEndpoint.objects.create(
        name="ERP", url="https://erp.example.com/hooks", event_types=["shipment.vetoed"]
    )
    world = Receiving(org)
    lot = services_lots.receipt_create(
        actor=org.inspector, item=world.item, supplier=world.supplier, supplier_batch="S-0001",
        quantity=Decimal(LOT_SIZE), arrived_on=today(),
    ).lot  # fmt: skip
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IQC-1")
    shipment = stock.shipment_create(
        actor=org.inspector, customer=CustomerFactory(), planned_on=today()
    )
    stock.shipment_line_add(actor=org.inspector, shipment=shipment, lot=lot, quantity=10)
    base = live_server.url
    erp = Erp(browser, base, "inspector", language)
    path = f"/api/v1/inspection/shipments/{shipment.number}/release-status"
    before = erp.get(path)
    assert before["vetoed"] is False

    _sign_in(page, base, "cqo", language)
    page.goto(f"{base}/inspection/gate/shipments/{shipment.pk}/")
    page.get_by_text(_t(language, "Veto this record…")).click()
    form = page.locator("form.veto-form")
    form.locator("textarea[name=veto-reason]").fill("盐雾试验未做")
    form.locator("input[name=vsig-password]").fill(PASSWORD)
    form.locator("input[name=vsig-confirm]").check()
    page.get_by_role("button", name=_t(language, "Veto this record"), exact=True).click()
    page.wait_for_load_state()
    assert _t(language, "The record is vetoed (§6 i)); it cannot go forward.") in page.content()
    assert Veto.objects.filter(lifted_at__isnull=True).count() == 1
    # The page offers no release and says why.
    assert page.get_by_role("button", name=_t(language, "Release the shipment")).count() == 0

    body = erp.get(path)
    erp.context.close()
    assert body["vetoed"] is True and body["released"] is False
    assert body["veto"]["reason"] == "盐雾试验未做" and body["veto"]["clause"] == "§6 i)"
    (delivery,) = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert delivery.event == "shipment.vetoed"
    assert delivery.payload["shipment"] == shipment.number


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_spc_page_flags_a_shift_of_the_process(
    page: Any, live_server: Any, language: str
) -> None:
    # The demo's inspection scenarios are not on main yet: the shift is built with the SPC
    # tests' own helper, a run of nine subgroups one and a half sigma above the centre.
    org = Org()
    world = SpcWorld(org.inspector)
    world.add(stable(25))
    limits = services_spc.control_limits_freeze(
        actor=org.engineer, characteristic=world.characteristic, chart="xbar_r",
        first=1, last=25, reason="首批25批稳定",
    )  # fmt: skip
    shift = 1.5 * float(limits.sigma)
    with transaction.atomic():
        made = world.add((np.array(stable(9, seed=11)) + shift).tolist())
        transaction.on_commit(
            lambda: signals.results_recorded.send(
                sender=None,
                inspection_lot=made[-1],
                characteristic_ids={world.characteristic.pk},
                actor=org.inspector,
            )
        )
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, base, "qe", language)
    page.goto(f"{base}/inspection/spc/characteristics/{world.characteristic.pk}/?chart=xbar_r")
    page.wait_for_selector(".spc-chart[data-part=main] canvas")
    flagged = page.locator("#spc-flags tbody tr").all_inner_texts()
    assert flagged, page.locator("main").inner_text()[:2000]
    assert any(made[-1].number in row for row in flagged)
    assert errors == []


def test_the_spc_page_shows_the_demos_shift_flagged_in_both_languages(
    browser: Any, live_server: Any, full_demo: Any
) -> None:
    # The demo's year is built once per run (half a minute; see the full_demo fixture) and read
    # in both languages.
    from cqo.core.demo import DEMO_PASSWORD

    demo = full_demo
    shift = demo.get("inspection.spc.shift")
    limits = demo.get("inspection.spc.limits")
    alarm = demo.get("inspection.spc.alarm")
    assert alarm is not None and alarm.inspection_lot is not None
    base = live_server.url
    for language in LANGUAGES:
        page = _new_page(browser)
        errors: list[str] = []
        page.on("pageerror", lambda exc, seen=errors: seen.append(str(exc)))
        try:
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", "qe1")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
            page.wait_for_url(f"{base}/")
            if language == "en":
                page.locator(".lang-switch button[value=en]").click()
                page.wait_for_load_state()
            page.goto(f"{base}/inspection/spc/characteristics/{shift.pk}/?chart={limits.chart}")
            page.wait_for_selector(".spc-chart[data-part=main] canvas")
            flagged = page.locator("#spc-flags tbody tr").all_inner_texts()
            # The points beyond the frozen limits are flagged, with the rules the alarm names.
            assert flagged, page.locator("main").inner_text()[:2000]
            shown = "\n".join(flagged)
            assert all(rule in shown for rule in alarm.rules.split(",")), (alarm.rules, shown)
            assert errors == []
        finally:
            page.context.close()
