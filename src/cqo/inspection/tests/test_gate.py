"""The gate's pages and API (§6 e), §6 i)): what an ERP asks before it uses or ships a lot, the
refusals it gets (409 with the reason), and what the pages say."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from cqo.api.models import WebhookDelivery, WebhookEndpoint
from cqo.authorities import services as AS
from cqo.inspection.models import (
    InspectionKind,
    InspectionLot,
    InspectionPlan,
    InspectionStatus,
    PlanStatus,
    Severity,
    UsageDecision,
)
from cqo.masterdata import stock
from cqo.masterdata.models import Gate, GateBehaviour, Lot, LotOrigin, ShipmentStatus, StockStatus
from cqo.testing.masterdata import CustomerFactory, ItemFactory, LotFactory
from cqo.testing.world import PASSWORD, Org, today

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inspection"


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _api(user: Any, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def _page(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _lot(org: Org, **kwargs: Any) -> Lot:
    lot: Any = LotFactory(created_by=org.inspector, **kwargs)
    return lot


def _inspection(
    org: Org, lot: Lot, *, gate: str, kind: str = InspectionKind.LOT, decision: str = "",
    first_article: bool = False,
) -> InspectionLot:  # fmt: skip
    plan = InspectionPlan.objects.filter(item=lot.item, gate=gate).first()
    if plan is None:
        plan = InspectionPlan.objects.create(
            item=lot.item, gate=gate, status=PlanStatus.APPROVED, owner=org.engineer,
            first_article=first_article,
        )  # fmt: skip
    return InspectionLot.objects.create(
        number=f"IL-{InspectionLot.objects.count() + 1:04d}", lot=lot, gate=gate, kind=kind,
        plan=plan, severity=Severity.NORMAL, item=lot.item, supplier=lot.supplier,
        lot_size=lot.quantity,
        status=InspectionStatus.DECIDED if decision else InspectionStatus.OPEN,
        decision=decision, decided_at=timezone.now() if decision else None,
        created_by=org.inspector, created_at=timezone.now(),
    )  # fmt: skip


def _veto(org: Org, subject: Any) -> Any:
    return AS.veto_impose(actor=org.cqo, subject=subject, reason="盐雾试验未做", password=PASSWORD)


# --- release status and release through the API ---------------------------------------------------


def test_an_erp_asks_a_lots_release_status_by_its_number(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    response = _api(org.inspector).get(f"{BASE}/lots/{lot.number}/release-status")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lot"] == lot.number and body["status"] == "quarantine"
    assert body["released"] is False and body["vetoed"] is False and body["holds"] == []
    assert any("block" in r and lot.item.part_number in r for r in body["reasons"])
    assert _api(org.inspector).get(f"{BASE}/lots/NO-SUCH-LOT/release-status").status_code == 404


def test_the_reasons_come_in_the_callers_language(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    body = _api(org.inspector, "zh-hans").get(f"{BASE}/lots/{lot.number}/release-status").json()
    (reason,) = body["reasons"]
    assert "阻止" in reason and lot.item.part_number in reason


def test_a_release_asked_on_a_block_item_not_accepted_is_a_409_naming_the_gate(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    response = _api(org.engineer).post(f"{BASE}/lots/{lot.number}/release", {}, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["clause"] == "§6 e)"
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.QUARANTINE


def test_a_release_asked_on_a_vetoed_lot_is_a_409_citing_the_veto(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.WARN))
    _veto(org, lot)
    response = _api(org.cqo).post(f"{BASE}/lots/{lot.number}/release/", {}, format="json")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["clause"] == "§6 i)" and "盐雾试验未做" in body["detail"]
    status = _api(org.auditor).get(f"{BASE}/lots/{lot.number}/release-status").json()
    assert status["vetoed"] is True and status["veto"]["clause"] == "§6 i)"
    assert status["holds"][0]["clause"] == "§6 i)"


def test_a_warn_item_is_released_through_the_api_and_the_warning_is_kept(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.WARN))
    response = _api(org.engineer).post(
        f"{BASE}/lots/{lot.pk}/release", {"reason": "产线急用"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["released"] is True
    assert stock.release_warnings(lot)


def test_an_inspector_may_not_release_by_hand(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.WARN))
    response = _api(org.inspector).post(f"{BASE}/lots/{lot.number}/release", {}, format="json")
    assert response.status_code == 403
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.QUARANTINE


# --- what the inspection tells the gate -------------------------------------------------------


def test_the_usage_decision_at_the_lots_gate_lets_a_block_item_be_released(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    _inspection(org, lot, gate=Gate.IQC, decision=UsageDecision.ACCEPT)
    status = stock.lot_release_status(lot)
    assert status["decision"] == "accept" and status["may_release"] is True
    stock.lot_release(actor=org.engineer, lot=lot)
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.RELEASED


def test_a_first_article_not_accepted_blocks_the_production_lot(org: Org) -> None:
    item = ItemFactory(gate_ipqc=GateBehaviour.WARN)
    lot = _lot(org, item=item, origin=LotOrigin.PRODUCTION, supplier=None, supplier_batch="")
    first = _inspection(org, lot, gate=Gate.IPQC, kind=InspectionKind.FIRST_ARTICLE)
    response = _api(org.engineer).post(f"{BASE}/lots/{lot.number}/release", {}, format="json")
    assert response.status_code == 409
    assert first.number in response.json()["detail"]
    first.status, first.decision = InspectionStatus.DECIDED, UsageDecision.ACCEPT
    first.save(update_fields=["status", "decision"])
    response = _api(org.engineer).post(f"{BASE}/lots/{lot.number}/release", {}, format="json")
    assert response.status_code == 200, response.content


def test_accepting_the_first_article_alone_releases_nothing(org: Org) -> None:
    lot = _lot(org, origin=LotOrigin.PRODUCTION, supplier=None, supplier_batch="")
    first = _inspection(org, lot, gate=Gate.IPQC, kind=InspectionKind.FIRST_ARTICLE,
                        decision=UsageDecision.ACCEPT)  # fmt: skip
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref=first.number)
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.QUARANTINE


def test_a_lot_accepted_before_its_first_article_is_released_when_the_first_article_is(
    org: Org,
) -> None:
    lot = _lot(org, origin=LotOrigin.PRODUCTION, supplier=None, supplier_batch="")
    first = _inspection(org, lot, gate=Gate.IPQC, kind=InspectionKind.FIRST_ARTICLE)
    whole = _inspection(org, lot, gate=Gate.IPQC, decision=UsageDecision.ACCEPT)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref=whole.number)
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.QUARANTINE
    first.status, first.decision = InspectionStatus.DECIDED, UsageDecision.ACCEPT
    first.save(update_fields=["status", "decision"])
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref=first.number)
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.RELEASED


def test_a_plan_asking_for_a_first_article_blocks_a_lot_that_has_none(org: Org) -> None:
    item = ItemFactory(gate_ipqc=GateBehaviour.WARN)
    lot = _lot(org, item=item, origin=LotOrigin.PRODUCTION, supplier=None, supplier_batch="")
    _inspection(org, lot, gate=Gate.IPQC, first_article=True)
    with translation.override("en"):  # the reason is read in English below
        status = stock.lot_release_status(lot)
    assert status["may_release"] is False
    assert any("first-article" in r for r in status["reasons"])


# --- shipments --------------------------------------------------------------------------------


def test_an_erp_makes_a_shipment_and_its_release_waits_for_every_lot(org: Org) -> None:
    customer = CustomerFactory()
    done, waiting = _lot(org), _lot(org)
    stock.lot_accept(actor=org.inspector, lot=done, inspection_ref="IL-1")
    api = _api(org.inspector)
    created = api.post(
        f"{BASE}/shipments/",
        {"customer": customer.code, "planned_on": today().isoformat(), "order_number": "SO-7"},
        format="json",
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    for lot in (done, waiting):
        added = api.post(
            f"{BASE}/shipments/{number}/lines/", {"lot": lot.number, "quantity": "50"},
            format="json",
        )  # fmt: skip
        assert added.status_code == 201, added.content
    refused = _api(org.engineer).post(f"{BASE}/shipments/{number}/release", {}, format="json")
    assert refused.status_code == 409 and waiting.number in refused.json()["detail"]
    stock.lot_accept(actor=org.inspector, lot=waiting, inspection_ref="IL-2")
    released = _api(org.engineer).post(f"{BASE}/shipments/{number}/release", {}, format="json")
    assert released.status_code == 200, released.content
    assert released.json()["released"] is True


def test_the_cqo_vetoes_a_shipment_and_the_erp_hears_it_twice(org: Org) -> None:
    endpoint = WebhookEndpoint.objects.create(
        name="ERP", url="https://erp.example.com/hooks", event_types=["shipment.vetoed"]
    )
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-3")
    shipment = stock.shipment_create(actor=org.inspector, customer=CustomerFactory(),
                                     planned_on=today())  # fmt: skip
    stock.shipment_line_add(actor=org.inspector, shipment=shipment, lot=lot, quantity=10)
    _veto(org, shipment)
    body = _api(org.inspector).get(f"{BASE}/shipments/{shipment.number}/release-status").json()
    assert body["vetoed"] is True and body["released"] is False
    assert body["veto"]["reason"] == "盐雾试验未做" and body["veto"]["clause"] == "§6 i)"
    (delivery,) = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert delivery.event == "shipment.vetoed" and delivery.payload["shipment"] == shipment.number
    refused = _api(org.engineer).post(f"{BASE}/shipments/{shipment.pk}/release", {}, format="json")
    assert refused.status_code == 409 and refused.json()["clause"] == "§6 i)"


def test_holds_are_placed_and_lifted_through_the_api(org: Org) -> None:
    lot = _lot(org)
    placed = _api(org.inspector).post(
        f"{BASE}/holds/", {"lot": lot.number, "reason": "客户投诉", "clause": "§6 e)"},
        format="json",
    )  # fmt: skip
    assert placed.status_code == 201, placed.content
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.HELD
    listed = _api(org.auditor).get(f"{BASE}/holds/").json()["results"]
    assert [h["lot"] for h in listed] == [lot.number]
    hold = placed.json()["id"]
    assert _api(org.inspector).post(f"{BASE}/holds/{hold}/lift/", {"reason": "ok"},
                                    format="json").status_code == 403  # fmt: skip
    lifted = _api(org.engineer).post(f"{BASE}/holds/{hold}/lift/", {"reason": "排查完毕"},
                                     format="json")  # fmt: skip
    assert lifted.status_code == 200, lifted.content
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.QUARANTINE


# --- pages --------------------------------------------------------------------------------------


def test_the_lot_page_says_why_a_release_is_refused(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    page = _page(org.engineer).get(f"/inspection/gate/lots/{lot.pk}/")
    assert page.status_code == 200
    assert "is set to block" in page.content.decode()
    response = _page(org.engineer).post(f"/inspection/gate/lots/{lot.pk}/release/", follow=True)
    assert "is set to block" in response.content.decode()
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.QUARANTINE


def test_the_inspection_lots_page_shows_the_gate_and_a_veto_on_its_lot(org: Org) -> None:
    lot = _lot(org)
    ilot = _inspection(org, lot, gate=Gate.IQC)
    _veto(org, lot)
    page = _page(org.engineer).get(f"/inspection/lots/{ilot.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Release at the gate" in html and "盐雾试验未做" in html
    assert "<<<<<<<" not in html and "=======" not in html


def test_a_hold_placed_on_the_page_shows_on_the_lots_on_hold_list(org: Org) -> None:
    lot = _lot(org)
    client = _page(org.inspector)
    client.post(
        f"/inspection/gate/lots/{lot.pk}/hold/",
        {"hold-reason": "来料异常", "hold-clause": "§6 e)"},
    )
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.HELD
    page = client.get("/inspection/gate/holds/")
    assert lot.number in page.content.decode() and "来料异常" in page.content.decode()


def test_a_shipment_is_made_filled_released_and_shipped_on_the_pages(org: Org) -> None:
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-4")
    customer = CustomerFactory()
    maker = _page(org.inspector)
    response = maker.post(
        "/inspection/gate/shipments/new/",
        {"customer": customer.pk, "planned_on": today().isoformat(), "order_number": "SO-9"},
    )
    assert response.status_code == 302
    shipment = customer.shipments.get()
    maker.post(f"/inspection/gate/shipments/{shipment.pk}/", {"lot": lot.number, "quantity": 20})
    assert stock.shipment_lines(shipment).count() == 1
    releaser = _page(org.engineer)
    releaser.post(f"/inspection/gate/shipments/{shipment.pk}/release/")
    maker.post(f"/inspection/gate/shipments/{shipment.pk}/ship/")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SHIPPED
    assert releaser.get("/inspection/gate/shipments/").status_code == 200
