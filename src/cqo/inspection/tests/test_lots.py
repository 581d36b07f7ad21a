"""Receipts and inspection lots: the draw follows the plan in force and the stream's severity,
and bad input is refused with nothing written (§6 e), GB/T 2828.1)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cqo.audit.models import AuditEvent
from cqo.inspection import services_lots as S
from cqo.inspection.models import InspectionLot, LotSampling, Severity
from cqo.inspection.switching import stream_for
from cqo.masterdata.models import Lot, SupplierStatus
from cqo.methods.sampling import sampling_plan
from cqo.testing.inspection import DEFAULT_SAMPLING, approved_plan, approved_receipt_world
from cqo.testing.masterdata import ApprovedSupplierFactory, ItemFactory
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def _receive(org: Org, item: Any, supplier: Any, batch: str = "B-1", quantity: Any = 500) -> Any:
    return S.receipt_create(
        actor=org.inspector, item=item, supplier=supplier, supplier_batch=batch,
        quantity=quantity, arrived_on=TODAY, order_number="PO-1",
    )  # fmt: skip


def _counts() -> tuple[int, int, int, int]:
    return (
        Lot.objects.count(),
        InspectionLot.objects.count(),
        LotSampling.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_receipt_draws_the_lot_sampling_that_gbt2828_gives_for_its_size(org: Org) -> None:
    item, supplier, plan = approved_receipt_world()
    ilot = _receive(org, item, supplier, quantity=1200)
    assert ilot.plan == plan and ilot.severity == Severity.NORMAL
    assert ilot.lot.quantity == Decimal("1200") and ilot.lot.supplier_batch == "B-1"
    rows = {s.defect_class: s for s in ilot.samplings.all()}
    assert set(rows) == set(DEFAULT_SAMPLING)
    for code, spec in DEFAULT_SAMPLING.items():
        expected = sampling_plan(1200, spec["level"], spec["aql"], "normal")
        got = rows[code]
        assert (got.code_letter, got.n, got.ac, got.re, got.inspect_all) == (
            expected.code, expected.n, expected.ac, expected.re, expected.inspect_all,
        )  # fmt: skip
    assert AuditEvent.objects.filter(action="inspection.lot.create", object_id=str(ilot.pk))


def test_the_inspection_lot_number_names_the_gate_and_day(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    ilot = _receive(org, item, supplier)
    assert ilot.number.startswith("IQC-") and str(ilot.pk) in ilot.number


@pytest.mark.parametrize("quantity", [0, -5, "abc"])
def test_it_refuses_a_quantity_of_zero_or_less_and_writes_nothing(org: Org, quantity: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _receive(org, item, supplier, quantity=quantity)
    assert "quantity" in exc.value.message_dict
    assert _counts() == before


def test_it_refuses_a_supplier_batch_received_twice_and_writes_nothing(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    _receive(org, item, supplier, batch="B-77")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _receive(org, item, supplier, batch="B-77")
    assert "supplier_batch" in exc.value.message_dict
    assert _counts() == before


def test_it_refuses_a_receipt_when_no_plan_is_in_force(org: Org) -> None:
    asl = ApprovedSupplierFactory()
    approved_plan(item=asl.item, gate="oqc")  # another gate's plan does not count
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _receive(org, asl.item, asl.supplier)
    assert "plan" in exc.value.message_dict and "§6 e)" in str(exc.value)
    assert _counts() == before


@pytest.mark.parametrize("status", [SupplierStatus.SUSPENDED, SupplierStatus.DISQUALIFIED])
def test_it_refuses_a_receipt_from_a_blocked_supplier(org: Org, status: str) -> None:
    item, supplier, _plan = approved_receipt_world()
    supplier.status = status
    supplier.save()
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _receive(org, item, supplier)
    assert "supplier" in exc.value.message_dict
    assert _counts() == before


def test_it_refuses_a_supplier_not_on_the_items_approved_list(org: Org) -> None:
    item, _supplier, _plan = approved_receipt_world()
    other = ApprovedSupplierFactory().supplier  # approved for another item
    with pytest.raises(ValidationError) as exc:
        _receive(org, item, other)
    assert "supplier" in exc.value.message_dict


def test_an_employee_cannot_receive_a_lot(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    with pytest.raises(PermissionDenied):
        S.receipt_create(
            actor=org.head, item=item, supplier=supplier, supplier_batch="X",
            quantity=10, arrived_on=TODAY,
        )  # fmt: skip


def test_a_supplier_plan_is_used_before_the_plan_for_every_supplier(org: Org) -> None:
    item, supplier, _general = approved_receipt_world()
    own = approved_plan(
        item=item, supplier=supplier,
        samplings={"MA": {"method": "fixed", "fixed_n": 13, "fixed_ac": 0}},
    )  # fmt: skip
    ilot = _receive(org, item, supplier)
    assert ilot.plan == own
    (row,) = ilot.samplings.all()
    assert (row.method, row.n, row.ac, row.re) == ("fixed", 13, 0, 1)


def test_a_small_lot_is_inspected_whole(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    ilot = _receive(org, item, supplier, quantity=3)
    rows = list(ilot.samplings.all())
    assert rows and all(r.inspect_all and r.n == 3 for r in rows)


def test_the_lot_list_filters_by_status_and_supplier(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    mine = _receive(org, item, supplier, batch="B-1")
    item2, supplier2, _ = approved_receipt_world()
    other = _receive(org, item2, supplier2, batch="B-2")
    client.force_login(org.auditor)
    response = client.get(
        reverse("inspection:lot_list"), {"status": "open", "supplier": supplier.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert mine.number in body and other.number not in body


def test_the_lot_list_pages_by_cursor_without_repeating_a_lot(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    numbers = [_receive(org, item, supplier, batch=f"B-{i}").number for i in range(5)]
    from cqo.inspection import selectors_lots as sel

    qs = sel.lots_filtered(org.auditor, supplier=supplier.pk)
    first = sel.lots_page(qs, size=3)
    second = sel.lots_page(qs, after=first.next_cursor, size=3)
    seen = [r.number for r in first.rows] + [r.number for r in second.rows]
    assert sorted(seen) == sorted(numbers) and not second.next_cursor


def test_the_lot_page_shows_the_sampling_drawn(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    ilot = _receive(org, item, supplier, quantity=1200)
    client.force_login(org.inspector)
    response = client.get(reverse("inspection:lot_detail", args=[ilot.pk]))
    assert response.status_code == 200
    ma = ilot.samplings.get(defect_class="MA")
    assert f">{ma.n}<" in response.content.decode().replace(" <", "<")


def test_the_receipt_form_receives_a_lot(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    client.force_login(org.inspector)
    response = client.post(
        reverse("inspection:receipt_new"),
        {"item": item.pk, "supplier": supplier.pk, "supplier_batch": "F-1", "quantity": "80",
         "arrived_on": "2026-12-01"},
    )  # fmt: skip
    ilot = InspectionLot.objects.get(lot__supplier_batch="F-1")
    assert response.status_code == 302 and response["Location"].endswith(f"/lots/{ilot.pk}/")


def test_the_receipt_form_shows_the_refusal_on_its_field(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    client.force_login(org.inspector)
    response = client.post(
        reverse("inspection:receipt_new"),
        {"item": item.pk, "supplier": supplier.pk, "supplier_batch": "F-1", "quantity": "-1",
         "arrived_on": "2026-12-01"},
    )  # fmt: skip
    assert response.status_code == 200 and not Lot.objects.exists()
    assert "quantity" in response.context["form"].errors


def test_the_api_takes_a_list_of_receipts_all_or_nothing(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    client.force_login(org.inspector)
    url = reverse("api:inspection:receipt-list")
    row = {"item": item.part_number, "supplier": supplier.code, "quantity": "50",
           "arrived_on": "2026-12-01"}  # fmt: skip
    bad = client.post(
        url, [{**row, "supplier_batch": "A1"}, {**row, "supplier_batch": "A1"}],
        content_type="application/json",
    )  # fmt: skip
    (message,) = bad.json()["receipts"]
    assert bad.status_code == 400 and "2" in message and "supplier_batch" in message
    assert not Lot.objects.exists()
    good = client.post(
        url, [{**row, "supplier_batch": "A1"}, {**row, "supplier_batch": "A2"}],
        content_type="application/json",
    )  # fmt: skip
    assert good.status_code == 201 and len(good.json()) == 2
    assert good.json()[0]["samplings"]


def test_a_stream_is_kept_per_supplier_and_item_at_the_incoming_gate(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    a = _receive(org, item, supplier, batch="1")
    b = _receive(org, item, supplier, batch="2")
    assert a.stream == b.stream == stream_for(gate="iqc", item=item, supplier=supplier)
    other = ItemFactory()
    assert stream_for(gate="iqc", item=other, supplier=supplier) != a.stream
