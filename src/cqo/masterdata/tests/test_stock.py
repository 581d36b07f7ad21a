"""The gate's services (``cqo.masterdata.stock``): stock status, holds, manual release,
shipments, and the veto on a lot or a shipment (§6 e), §6 i))."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.authorities import services as AS
from cqo.authorities.vetoable import VetoActiveError
from cqo.core.exceptions import ConflictError
from cqo.core.sod import SegregationOfDutiesError
from cqo.masterdata import stock
from cqo.masterdata.models import (
    GateBehaviour,
    Lot,
    LotOrigin,
    ShipmentStatus,
    StockStatus,
)
from cqo.masterdata.stock import InspectionVerdict
from cqo.testing.masterdata import CustomerFactory, ItemFactory, LotFactory
from cqo.testing.world import PASSWORD, Org, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture
def verdicts() -> Any:
    """What the inspection says, per lot number, for the tests that need a verdict."""
    answers: dict[str, InspectionVerdict] = {}

    def source(lot: Lot) -> InspectionVerdict | None:
        return answers.get(lot.number)

    stock._VERDICTS.append(source)
    yield answers
    stock._VERDICTS.remove(source)


def _lot(org: Org, **kwargs: Any) -> Lot:
    lot: Any = LotFactory(created_by=org.inspector, **kwargs)
    return lot


def _fresh(lot: Lot) -> Lot:
    return Lot.objects.get(pk=lot.pk)


def _veto(org: Org, subject: Any) -> Any:
    return AS.veto_impose(actor=org.cqo, subject=subject, reason="盐雾试验未做", password=PASSWORD)


def _refused(call: Any, exc: type[Exception], *objs: Any) -> Exception:
    """``call`` raises ``exc``, and neither the audit trail nor the objects change."""
    events = AuditEvent.objects.count()
    states = [type(o)._base_manager.filter(pk=o.pk).values().first() for o in objs]
    with pytest.raises(exc) as info:
        call()
    assert AuditEvent.objects.count() == events
    assert [type(o)._base_manager.filter(pk=o.pk).values().first() for o in objs] == states
    return info.value


# --- usage decision and holds ---------------------------------------------------------------------


def test_an_accepted_lot_is_released_and_a_conditional_one_conditionally(org: Org) -> None:
    lot, other = _lot(org), _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-1")
    stock.lot_accept(actor=org.inspector, lot=other, inspection_ref="IL-2", conditional=True)
    assert _fresh(lot).stock_status == StockStatus.RELEASED
    assert _fresh(other).stock_status == StockStatus.CONDITIONAL
    event = AuditEvent.objects.filter(action="masterdata.lot.accept", object_id=str(lot.pk)).get()
    assert event.clause == "§6 e)"
    assert event.before["stock_status"] == "quarantine"


def test_a_rejected_lot_is_blocked_with_its_reason(org: Org) -> None:
    lot = _lot(org)
    stock.lot_reject(actor=org.inspector, lot=lot, inspection_ref="IL-3", reason="尺寸超差")
    assert _fresh(lot).stock_status == StockStatus.REJECTED
    _refused(lambda: stock.lot_reject(actor=org.inspector, lot=lot, inspection_ref="IL-3",
                                      reason=" "), ValidationError, lot)  # fmt: skip


def test_a_hold_remembers_the_status_and_the_last_lift_restores_it(org: Org) -> None:
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-4")
    first = stock.lot_hold_place(actor=org.engineer, lot=lot, reason="客户投诉", clause="§6 c)")
    second = stock.lot_hold_place(actor=org.inspector, lot=lot, reason="追溯", clause="§6 e)")
    assert _fresh(lot).stock_status == StockStatus.HELD
    assert first.status_before == second.status_before == StockStatus.RELEASED
    stock.lot_hold_lift(actor=org.engineer, hold=first, reason="已排查")
    assert _fresh(lot).stock_status == StockStatus.HELD
    stock.lot_hold_lift(actor=org.engineer, hold=second, reason="已排查")
    assert _fresh(lot).stock_status == StockStatus.RELEASED


def test_a_usage_decision_on_a_held_lot_waits_under_the_hold(org: Org) -> None:
    lot = _lot(org)
    hold = stock.lot_hold_place(actor=org.engineer, lot=lot, reason="来料异常", clause="§6 e)")
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-5")
    assert _fresh(lot).stock_status == StockStatus.HELD
    stock.lot_hold_lift(actor=org.engineer, hold=hold, reason="排查完毕")
    assert _fresh(lot).stock_status == StockStatus.RELEASED


def test_a_hold_needs_a_reason_and_a_clause_of_the_standard(org: Org) -> None:
    lot = _lot(org)
    for reason, clause_code, field in (("", "§6 e)", "reason"), ("怀疑", "第九十九条", "clause")):
        exc = _refused(
            lambda r=reason, c=clause_code: stock.lot_hold_place(
                actor=org.engineer, lot=lot, reason=r, clause=c
            ),
            ValidationError,
            lot,
        )
        assert field in exc.message_dict  # type: ignore[attr-defined]


def test_an_employee_may_neither_hold_nor_release(org: Org) -> None:
    from cqo.testing.factories import member

    employee = member(["employee"], unit=org.production, username="worker")
    lot = _lot(org)
    _refused(lambda: stock.lot_hold_place(actor=employee, lot=lot, reason="x", clause="§6 e)"),
             PermissionDenied, lot)  # fmt: skip
    _refused(lambda: stock.lot_release(actor=employee, lot=lot), PermissionDenied, lot)


# --- manual release at the gate ---------------------------------------------------------------


def test_release_is_refused_on_a_block_item_not_yet_accepted(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    exc = _refused(lambda: stock.lot_release(actor=org.engineer, lot=lot), ConflictError, lot)
    assert "§6 e)" in str(exc.message)  # type: ignore[attr-defined]
    assert exc.clause == "§6 e)"  # type: ignore[attr-defined]
    status = stock.lot_release_status(_fresh(lot))
    assert status["released"] is False and status["may_release"] is False
    assert any(lot.item.part_number in r for r in status["reasons"])


def test_a_warn_item_is_released_with_a_recorded_warning(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.WARN))
    before = stock.lot_release_status(lot)
    assert before["may_release"] is True and before["warnings"]
    stock.lot_release(actor=org.engineer, lot=lot, reason="产线急用")
    assert _fresh(lot).stock_status == StockStatus.RELEASED
    warned = AuditEvent.objects.get(action="masterdata.lot.release_warned", object_id=str(lot.pk))
    assert warned.clause == "§6 e)"
    with translation.override("en"):
        (warning,) = stock.release_warnings(lot)
    assert lot.item.part_number in warning["text"] and "warn" in warning["text"]
    with translation.override("zh-hans"):
        (warning,) = stock.release_warnings(lot)
    assert "warn" not in warning["text"]


def test_an_accepted_lot_may_be_released_by_hand_whatever_its_gate(org: Org, verdicts: Any) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    verdicts[lot.number] = InspectionVerdict(decision="accept", reference="IL-9")
    stock.lot_release(actor=org.engineer, lot=lot)
    assert _fresh(lot).stock_status == StockStatus.RELEASED
    assert not AuditEvent.objects.filter(action="masterdata.lot.release_warned").exists()


def test_a_held_lot_is_refused_release_naming_the_hold(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.WARN))
    stock.lot_hold_place(actor=org.engineer, lot=lot, reason="供应商停产排查", clause="§6 e)")
    exc = _refused(lambda: stock.lot_release(actor=org.engineer, lot=lot), ConflictError, lot)
    assert "供应商停产排查" in str(exc.message)  # type: ignore[attr-defined]


def test_a_rejected_lot_is_refused_release_even_when_its_item_warns(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.WARN))
    stock.lot_reject(actor=org.inspector, lot=lot, inspection_ref="IL-6", reason="外观不良")
    exc = _refused(lambda: stock.lot_release(actor=org.engineer, lot=lot), ConflictError, lot)
    assert "§6 c)" in str(exc.message)  # type: ignore[attr-defined]


def test_a_vetoed_lot_is_held_and_refused_release_citing_the_veto(org: Org) -> None:
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.WARN))
    _veto(org, lot)
    assert _fresh(lot).stock_status == StockStatus.HELD
    with pytest.raises(VetoActiveError) as info:
        stock.lot_release(actor=org.cqo, lot=_fresh(lot))
    assert info.value.clause == "§6 i)"
    status = stock.lot_release_status(_fresh(lot))
    assert status["vetoed"] is True and status["veto"]["clause"] == "§6 i)"
    assert status["veto"]["reason"] == "盐雾试验未做"


def test_the_veto_hold_is_lifted_only_with_the_veto_and_the_decision_then_applies(
    org: Org,
) -> None:
    lot = _lot(org)
    veto = _veto(org, lot)
    (hold,) = stock.holds_open(lot)
    _refused(lambda: stock.lot_hold_lift(actor=org.cqo, hold=hold, reason="想放行"),
             ConflictError, lot, hold)  # fmt: skip
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-7")
    assert _fresh(lot).stock_status == StockStatus.HELD
    AS.veto_lift(actor=org.cqo, veto=veto, reason="试验已补做", password=PASSWORD)
    assert _fresh(lot).stock_status == StockStatus.RELEASED
    assert not stock.holds_open(lot).exists()


def test_a_production_lot_with_its_first_article_not_accepted_is_blocked(
    org: Org, verdicts: Any
) -> None:
    lot = _lot(
        org, origin=LotOrigin.PRODUCTION, supplier=None, supplier_batch="",
        item=ItemFactory(gate_ipqc=GateBehaviour.WARN),
    )  # fmt: skip
    verdicts[lot.number] = InspectionVerdict(blocks=("首件未合格",))
    exc = _refused(lambda: stock.lot_release(actor=org.engineer, lot=lot), ConflictError, lot)
    assert "首件未合格" in str(exc.message)  # type: ignore[attr-defined]


# --- shipments ---------------------------------------------------------------------------------


def _shipment(org: Org, *lots: Lot) -> Any:
    shipment = stock.shipment_create(
        actor=org.inspector, customer=CustomerFactory(), planned_on=today(), order_number="SO-1"
    )
    for lot in lots:
        stock.shipment_line_add(actor=org.inspector, shipment=shipment, lot=lot, quantity="100")
    return shipment


def test_a_shipment_is_refused_release_while_a_lot_in_it_is_not_released(org: Org) -> None:
    done, waiting = _lot(org), _lot(org)
    stock.lot_accept(actor=org.inspector, lot=done, inspection_ref="IL-10")
    shipment = _shipment(org, done, waiting)
    exc = _refused(lambda: stock.shipment_release(actor=org.engineer, shipment=shipment),
                   ConflictError, shipment)  # fmt: skip
    assert waiting.number in str(exc.message) and done.number not in str(exc.message)  # type: ignore[attr-defined]
    stock.lot_accept(actor=org.inspector, lot=waiting, inspection_ref="IL-11")
    stock.shipment_release(actor=org.engineer, shipment=shipment)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.RELEASED and shipment.released_by == org.engineer
    assert stock.shipment_release_status(shipment)["released"] is True


def test_a_shipment_with_a_held_lot_is_refused(org: Org) -> None:
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-12")
    shipment = _shipment(org, lot)
    stock.lot_hold_place(actor=org.engineer, lot=lot, reason="召回排查", clause="§6 e)")
    exc = _refused(lambda: stock.shipment_release(actor=org.engineer, shipment=shipment),
                   ConflictError, shipment)  # fmt: skip
    assert "召回排查" in str(exc.message)  # type: ignore[attr-defined]


def test_whoever_made_the_shipment_does_not_release_it(org: Org) -> None:
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-13")
    shipment = stock.shipment_create(actor=org.engineer, customer=CustomerFactory(),
                                     planned_on=today())  # fmt: skip
    stock.shipment_line_add(actor=org.engineer, shipment=shipment, lot=lot, quantity=5)
    _refused(lambda: stock.shipment_release(actor=org.engineer, shipment=shipment),
             SegregationOfDutiesError, shipment)  # fmt: skip


def test_the_cqo_vetoes_a_shipment_and_its_release_status_says_so(org: Org) -> None:
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-14")
    shipment = _shipment(org, lot)
    _veto(org, shipment)
    with pytest.raises(VetoActiveError):
        stock.shipment_release(actor=org.engineer, shipment=shipment)
    status = stock.shipment_release_status(shipment)
    assert status["vetoed"] is True and status["released"] is False
    assert status["veto"]["clause"] == "§6 i)" and any("§6 i)" in r for r in status["reasons"])


def test_a_released_shipment_is_shipped_unless_a_lot_was_held_since(org: Org) -> None:
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-15")
    shipment = _shipment(org, lot)
    stock.shipment_release(actor=org.engineer, shipment=shipment)
    hold = stock.lot_hold_place(actor=org.engineer, lot=lot, reason="复检", clause="§6 e)")
    _refused(lambda: stock.shipment_ship(actor=org.inspector, shipment=shipment),
             ConflictError, shipment)  # fmt: skip
    stock.lot_hold_lift(actor=org.engineer, hold=hold, reason="复检合格")
    stock.shipment_ship(actor=org.inspector, shipment=shipment)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SHIPPED


def test_a_shipment_line_takes_no_more_than_the_lot_has_left(org: Org) -> None:
    lot = _lot(org, quantity=Decimal("150"))
    shipment = _shipment(org, lot)
    other = _shipment(org)
    for quantity, field in (("51", "quantity"), ("0", "quantity"), ("abc", "quantity")):
        exc = _refused(
            lambda q=quantity: stock.shipment_line_add(
                actor=org.inspector, shipment=other, lot=lot, quantity=q
            ),
            ValidationError,
            other,
        )
        assert field in exc.message_dict  # type: ignore[attr-defined]
    exc = _refused(
        lambda: stock.shipment_line_add(actor=org.inspector, shipment=shipment, lot=lot,
                                        quantity=1),
        ValidationError, shipment,
    )  # fmt: skip
    assert "lot" in exc.message_dict  # type: ignore[attr-defined]


def test_a_shipment_number_is_unique_and_given_when_blank(org: Org) -> None:
    customer = CustomerFactory()
    first = stock.shipment_create(actor=org.inspector, customer=customer, planned_on=today())
    second = stock.shipment_create(actor=org.inspector, customer=customer, planned_on=today())
    assert first.number != second.number and first.number.startswith("SH")
    with pytest.raises(ValidationError) as info:
        stock.shipment_create(
            actor=org.inspector, customer=customer, planned_on=today(), number=first.number
        )
    assert "number" in info.value.message_dict


# --- webhooks ----------------------------------------------------------------------------------


def _endpoint(*events: str) -> Any:
    from cqo.api.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        name="ERP", url="https://erp.example.com/hooks", event_types=list(events)
    )


def test_the_cqo_vetoes_a_shipment_and_a_webhook_delivery_says_so(org: Org) -> None:
    from cqo.api.models import WebhookDelivery

    endpoint = _endpoint("shipment.vetoed")
    lot = _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-20")
    shipment = _shipment(org, lot)
    _veto(org, shipment)
    (delivery,) = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert delivery.event == "shipment.vetoed"
    assert delivery.payload["shipment"] == shipment.number
    assert delivery.payload["clause"] == "§6 i)" and delivery.payload["reason"] == "盐雾试验未做"


def test_each_gate_decision_on_a_lot_is_announced_to_the_endpoints_that_want_it(
    org: Org,
) -> None:
    from cqo.api.models import WebhookDelivery

    everything, releases = _endpoint(), _endpoint("lot.released")
    lot, bad, vetoed = _lot(org), _lot(org), _lot(org)
    stock.lot_accept(actor=org.inspector, lot=lot, inspection_ref="IL-21")
    stock.lot_reject(actor=org.inspector, lot=bad, inspection_ref="IL-22", reason="毛刺")
    hold = stock.lot_hold_place(actor=org.engineer, lot=lot, reason="复核", clause="§6 e)")
    stock.lot_hold_lift(actor=org.engineer, hold=hold, reason="复核完毕")
    _veto(org, vetoed)
    sent = list(
        WebhookDelivery.objects.filter(endpoint=everything)
        .order_by("id")
        .values_list("event", "payload__lot")
    )
    assert sent == [
        ("lot.released", lot.number),
        ("lot.rejected", bad.number),
        ("lot.held", lot.number),
        ("lot.hold_lifted", lot.number),
        ("lot.released", lot.number),
        ("lot.held", vetoed.number),
        ("lot.vetoed", vetoed.number),
    ]
    assert list(
        WebhookDelivery.objects.filter(endpoint=releases).values_list("event", flat=True)
    ) == ["lot.released", "lot.released"]


def test_a_refused_release_announces_nothing(org: Org) -> None:
    from cqo.api.models import WebhookDelivery

    _endpoint()
    lot = _lot(org, item=ItemFactory(gate_iqc=GateBehaviour.BLOCK))
    with pytest.raises(ConflictError):
        stock.lot_release(actor=org.engineer, lot=lot)
    assert not WebhookDelivery.objects.exists()
