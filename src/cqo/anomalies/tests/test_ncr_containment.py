"""Containment of an NCR: holds through the gate (§6 e)), sorting, customer notices, closure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqo.anomalies import services_mrb as mrb
from cqo.anomalies import services_ncr as N
from cqo.anomalies.closure import (
    closure_obstacle_register,
    closure_obstacle_unregister,
    closure_obstacles,
)
from cqo.anomalies.models import AnomalyStatus
from cqo.core.exceptions import ConflictError
from cqo.core.sod import SegregationOfDutiesError
from cqo.masterdata import stock
from cqo.masterdata.models import StockStatus
from cqo.testing.anomalies import ncr_make
from cqo.testing.masterdata import LotFactory, ShipmentFactory, ShipmentLineFactory

pytestmark = pytest.mark.django_db


def test_holding_the_lots_blocks_their_release_until_lifted(org: Any) -> None:
    ncr = ncr_make(org)
    [row] = N.containment_hold(actor=org.engineer, anomaly=ncr)
    lot = row.lot
    lot.refresh_from_db()
    assert lot.stock_status == StockStatus.HELD
    assert row.hold.source == f"anomalies:{ncr.number}" and "§6 e)" in row.hold.clause
    assert row.quarantined == Decimal("500")
    ncr.refresh_from_db()
    assert ncr.status == AnomalyStatus.CONTAINED and ncr.contained_at is not None
    assert any(ncr.number in r for r in stock.lot_obstacles(lot).refusals)
    # The hold is an obstacle to closure until it is lifted.
    assert any("§6 e)" in o for o in closure_obstacles(ncr))
    N.containment_lift(actor=org.engineer, anomaly_lot=row, reason="挑选完毕")
    lot.refresh_from_db()
    assert lot.stock_status == StockStatus.QUARANTINE
    assert N.containment_obstacles(ncr) == []


def test_sorting_cannot_find_more_bad_than_it_sorted(org: Any) -> None:
    ncr = ncr_make(org)
    row = ncr.lots.get()
    with pytest.raises(ValidationError) as refused:
        N.sorting_record(actor=org.inspector, anomaly_lot=row, sorted_quantity="100",
                         bad_quantity="101")  # fmt: skip
    assert "bad_quantity" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        N.sorting_record(actor=org.inspector, anomaly_lot=row, sorted_quantity="501",
                         bad_quantity="1")  # fmt: skip
    assert "sorted_quantity" in refused.value.message_dict
    done = N.sorting_record(
        actor=org.inspector, anomaly_lot=row, sorted_quantity="500", bad_quantity="12"
    )
    assert (done.sorted_quantity, done.bad_quantity, done.sorted_by) == (
        Decimal("500"), Decimal("12"), org.inspector,
    )  # fmt: skip


def test_the_customers_who_received_a_lot_are_found_and_told(org: Any) -> None:
    lot = LotFactory()
    shipment = ShipmentFactory(status="shipped")
    ShipmentLineFactory(shipment=shipment, lot=lot, quantity=Decimal("100"))
    ncr = ncr_make(org, item=lot.item, lots=[lot])
    [line] = N.shipped_lines(ncr)
    assert line.shipment == shipment
    notice = N.customer_notify(actor=org.engineer, anomaly=ncr, customer=shipment.customer,
                               shipment=shipment, note="已电话通知，隔离在库品")  # fmt: skip
    assert notice.notified_by == org.engineer
    with pytest.raises(ValidationError):
        N.customer_notify(actor=org.engineer, anomaly=ncr, customer=shipment.customer, note=" ")


def test_the_owner_or_raiser_cannot_close_it_and_registered_obstacles_stop_closure(
    org: Any,
) -> None:
    ncr = ncr_make(org)
    with pytest.raises(SegregationOfDutiesError):
        N.anomaly_close(actor=org.engineer, anomaly=ncr)
    closure_obstacle_register("test", lambda a: ["Dispositions: not done (§6 c))."])
    try:
        with pytest.raises(ValidationError) as refused:
            N.anomaly_close(actor=org.cqo, anomaly=ncr)
        assert "Dispositions" in str(refused.value.message_dict["status"])
    finally:
        closure_obstacle_unregister("test")
    # The review board's own obstacle: the whole quantity dispositioned, every disposition done.
    scrap = mrb.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="scrap", quantity=ncr.quantity, reason="报废"
    )
    mrb.disposition_complete(actor=org.engineer, disposition=scrap)
    closed = N.anomaly_close(actor=org.cqo, anomaly=ncr, note="处理完毕")
    assert closed.status == AnomalyStatus.CLOSED and closed.closed_by == org.cqo
    with pytest.raises(ConflictError):
        N.containment_hold(actor=org.engineer, anomaly=closed)


def test_an_inspector_cannot_void_an_ncr_and_voiding_lifts_its_holds(org: Any) -> None:
    ncr = ncr_make(org)
    [row] = N.containment_hold(actor=org.engineer, anomaly=ncr)
    with pytest.raises(PermissionDenied):
        N.anomaly_void(actor=org.inspector, anomaly=ncr, reason="误报")
    N.anomaly_void(actor=org.engineer, anomaly=ncr, reason="误报")
    row.lot.refresh_from_db()
    assert row.lot.stock_status == StockStatus.QUARANTINE


def test_status_moves_only_along_the_flow(org: Any) -> None:
    ncr = ncr_make(org)
    with pytest.raises(ValidationError) as refused:
        N.anomaly_status_set(actor=org.engineer, anomaly=ncr, status="dispositioned")
    assert "status" in refused.value.message_dict
    moved = N.anomaly_status_set(actor=org.engineer, anomaly=ncr, status="review")
    assert moved.status == "review"
