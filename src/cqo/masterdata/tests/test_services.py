import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqo.audit.models import AuditEvent
from cqo.authorities import services as AS
from cqo.authorities.vetoable import VetoActiveError
from cqo.core.sod import SegregationOfDutiesError
from cqo.masterdata import services as S
from cqo.masterdata.models import (
    Characteristic,
    Item,
    Lot,
    LotOrigin,
    Supplier,
    SupplierStatus,
)
from cqo.organisation.validators import credit_code_complete
from cqo.testing.masterdata import (
    ApprovedSupplierFactory,
    ItemFactory,
    LotFactory,
    OperationFactory,
    SupplierFactory,
)
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def org():
    return Org()


@pytest.fixture
def listed():
    """An item with a qualified supplier on its approved-supplier list."""
    entry = ApprovedSupplierFactory()
    return entry.item, entry.supplier


def _receive(actor, item, supplier, **kw):
    return S.lot_create(
        actor=actor, item=item, supplier=supplier, quantity=kw.pop("quantity", "500"),
        origin=LotOrigin.RECEIPT, arrived_on=kw.pop("arrived_on", TODAY), **kw,
    )  # fmt: skip


# --- lots -----------------------------------------------------------------------------------


def test_an_inspector_records_a_receipt_in_quarantine_with_a_generated_number(org, listed):
    item, supplier = listed
    lot = _receive(org.inspector, item, supplier, supplier_batch="B-1")
    assert lot.number == "RC-20261206-0001"
    assert lot.stock_status == "quarantine"
    assert lot.created_by == org.inspector
    second = _receive(org.inspector, item, supplier, supplier_batch="B-2")
    assert second.number == "RC-20261206-0002"
    event = AuditEvent.objects.get(action="masterdata.lot.create", object_id=str(lot.pk))
    assert event.clause == "§6 e)"


@pytest.mark.parametrize("quantity", ["0", "-5", "abc", "NaN"])
def test_a_lot_quantity_that_is_not_above_zero_is_refused_naming_the_field(org, listed, quantity):
    item, supplier = listed
    with pytest.raises(ValidationError) as exc:
        _receive(org.inspector, item, supplier, quantity=quantity)
    assert "quantity" in exc.value.message_dict
    assert not Lot.objects.exists()


@pytest.mark.parametrize("status", [SupplierStatus.SUSPENDED, SupplierStatus.DISQUALIFIED])
def test_a_receipt_from_a_suspended_or_disqualified_supplier_is_refused(org, listed, status):
    item, supplier = listed
    S.supplier_status_set(actor=org.engineer, supplier=supplier, status=status, reason="审核不合格")
    with pytest.raises(ValidationError) as exc:
        _receive(org.inspector, item, supplier)
    message = " ".join(exc.value.message_dict["supplier"])
    assert supplier.code in message and "§6 e)" in message
    assert not Lot.objects.exists()


def test_a_receipt_from_a_supplier_awaiting_approval_is_refused(org):
    supplier = S.supplier_create(actor=org.engineer, code="S-NEW", name="新供应商")
    item = ItemFactory()
    ApprovedSupplierFactory(item=item, supplier=supplier)
    with pytest.raises(ValidationError) as exc:
        _receive(org.inspector, item, supplier)
    assert "supplier" in exc.value.message_dict


def test_a_receipt_from_a_supplier_not_on_the_items_list_is_refused(org, listed):
    item, _supplier = listed
    other = SupplierFactory()
    with pytest.raises(ValidationError) as exc:
        _receive(org.inspector, item, other)
    assert item.part_number in exc.value.message_dict["supplier"][0]


def test_a_duplicate_supplier_batch_is_refused_naming_the_earlier_lot(org, listed):
    item, supplier = listed
    first = _receive(org.inspector, item, supplier, supplier_batch="B-9")
    with pytest.raises(ValidationError) as exc:
        _receive(org.inspector, item, supplier, supplier_batch="B-9")
    assert first.number in exc.value.message_dict["supplier_batch"][0]
    assert Lot.objects.count() == 1


def test_a_voided_lot_frees_its_supplier_batch(org, listed):
    item, supplier = listed
    first = _receive(org.inspector, item, supplier, supplier_batch="B-9")
    S.lot_void(actor=org.engineer, obj=first, reason="录错")
    again = _receive(org.inspector, item, supplier, supplier_batch="B-9")
    assert again.pk != first.pk
    assert Lot.objects.count() == 2  # the voided one is kept


def test_a_production_lot_takes_its_work_centre_from_the_operation(org):
    op = OperationFactory()
    lot = S.lot_create(
        actor=org.inspector, item=op.item, quantity=Decimal("20"), origin=LotOrigin.PRODUCTION,
        arrived_on=TODAY, operation=op,
    )  # fmt: skip
    assert lot.work_centre == op.work_centre
    assert lot.number.startswith("PR-20261206-")


def test_an_operation_of_another_item_is_refused(org):
    op = OperationFactory()
    with pytest.raises(ValidationError) as exc:
        S.lot_create(
            actor=org.inspector, item=ItemFactory(), quantity=1, origin=LotOrigin.PRODUCTION,
            arrived_on=TODAY, operation=op,
        )  # fmt: skip
    assert "operation" in exc.value.message_dict


def test_an_employee_may_not_record_a_lot(org, listed):
    from cqo.testing.factories import member

    item, supplier = listed
    with pytest.raises(PermissionDenied):
        _receive(member(["employee"]), item, supplier)


def test_a_given_lot_number_that_exists_is_refused(org, listed):
    item, supplier = listed
    LotFactory(number="L-1")
    with pytest.raises(ValidationError) as exc:
        _receive(org.inspector, item, supplier, number="L-1")
    assert "number" in exc.value.message_dict


# --- suppliers ------------------------------------------------------------------------------


def test_a_bad_credit_code_is_refused_naming_the_field(org):
    with pytest.raises(ValidationError) as exc:
        S.supplier_create(
            actor=org.engineer, code="S1", name="甲", credit_code="91500000123456789A"
        )
    assert "credit_code" in exc.value.message_dict
    assert not Supplier.objects.exists()


def test_a_credit_code_is_kept_normalised(org):
    code = credit_code_complete("91500000" + "12345678")
    supplier = S.supplier_create(
        actor=org.engineer, code="S1", name="甲", credit_code=" " + code.lower() + " "
    )
    assert supplier.credit_code == code
    assert supplier.status == SupplierStatus.CANDIDATE


def test_the_cqo_approves_a_candidate_supplier_and_its_receipts_pass(org):
    supplier = S.supplier_create(actor=org.engineer, code="S-NEW", name="新供应商")
    item = ItemFactory()
    S.approved_supplier_add(actor=org.engineer, item=item, supplier=supplier)
    S.supplier_approve(actor=org.cqo, supplier=supplier, reason="现场审核合格")
    supplier.refresh_from_db()
    assert supplier.status == SupplierStatus.QUALIFIED
    assert _receive(org.inspector, item, supplier).pk


def test_whoever_created_a_supplier_does_not_approve_it(org):
    supplier = S.supplier_create(actor=org.deputy, code="S-NEW", name="新供应商")
    with pytest.raises(SegregationOfDutiesError):
        S.supplier_approve(actor=org.deputy, supplier=supplier, reason="自批")
    supplier.refresh_from_db()
    assert supplier.status == SupplierStatus.CANDIDATE


def test_a_quality_engineer_may_not_approve_a_supplier(org):
    supplier = S.supplier_create(actor=org.deputy, code="S-NEW", name="新供应商")
    with pytest.raises(PermissionDenied):
        S.supplier_approve(actor=org.engineer, supplier=supplier, reason="合格")


def test_a_vetoed_candidate_supplier_cannot_be_approved(org):
    supplier = S.supplier_create(actor=org.engineer, code="S-NEW", name="新供应商")
    AS.veto_impose(actor=org.cqo, subject=supplier, reason="质量体系不合格", password=PASSWORD)
    with pytest.raises(VetoActiveError):
        S.supplier_approve(actor=org.deputy, supplier=supplier, reason="合格")
    supplier.refresh_from_db()
    assert supplier.status == SupplierStatus.CANDIDATE


def test_a_candidate_is_not_made_qualified_by_a_status_change(org):
    supplier = S.supplier_create(actor=org.engineer, code="S-NEW", name="新供应商")
    with pytest.raises(ValidationError) as exc:
        S.supplier_status_set(
            actor=org.cqo, supplier=supplier, status=SupplierStatus.QUALIFIED, reason="x"
        )
    assert "status" in exc.value.message_dict


def test_a_status_change_needs_a_reason(org):
    supplier = SupplierFactory()
    with pytest.raises(ValidationError) as exc:
        S.supplier_status_set(
            actor=org.cqo, supplier=supplier, status=SupplierStatus.SUSPENDED, reason=" "
        )
    assert "reason" in exc.value.message_dict


# --- items, characteristics, instruments ---------------------------------------------------


def test_an_item_change_is_kept_in_its_history_with_who_and_why(org):
    item = S.item_create(actor=org.engineer, part_number="P-1", name="活塞", kind="part")
    S.item_update(actor=org.engineer, item=item, name="活塞总成", reason="图纸升版")
    item.refresh_from_db()
    rows = list(item.history.order_by("history_date"))
    assert [r.name for r in rows] == ["活塞", "活塞总成"]
    assert rows[-1].history_user_id == org.engineer.pk
    assert "图纸升版" in rows[-1].history_change_reason


def test_a_duplicate_part_number_is_refused_naming_the_field(org):
    S.item_create(actor=org.engineer, part_number="P-1", name="活塞", kind="part")
    with pytest.raises(ValidationError) as exc:
        S.item_create(actor=org.engineer, part_number="P-1", name="另一个", kind="part")
    assert "part_number" in exc.value.message_dict
    assert Item.objects.count() == 1


def test_an_item_is_voided_with_a_reason_not_deleted(org):
    item = ItemFactory()
    S.item_void(actor=org.engineer, obj=item, reason="停产")
    item.refresh_from_db()
    assert item.is_voided and item.void_reason == "停产"
    with pytest.raises(ValidationError):
        S.item_update(actor=org.engineer, item=item, name="x")
    with pytest.raises(ValidationError) as exc:
        S.item_void(actor=org.engineer, obj=item, reason=" ")
    assert exc.value.messages


def test_an_inspector_may_not_change_an_item(org):
    with pytest.raises(PermissionDenied):
        S.item_create(actor=org.inspector, part_number="P-1", name="活塞", kind="part")


def test_a_measured_characteristic_needs_a_limit_in_order(org):
    item = ItemFactory()
    with pytest.raises(ValidationError) as exc:
        S.characteristic_create(
            actor=org.engineer, item=item, code="D1", name="外径", kind="variable", unit="mm"
        )
    assert "usl" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.characteristic_create(
            actor=org.engineer, item=item, code="D1", name="外径", kind="variable",
            lsl="10.1", usl="10.0",
        )  # fmt: skip
    assert "usl" in exc.value.message_dict
    ch = S.characteristic_create(
        actor=org.engineer, item=item, code="D1", name="外径", kind="variable",
        lsl="9.95", usl="10.05", nominal="10", special=True,
    )  # fmt: skip
    assert ch.special and Characteristic.objects.count() == 1


def test_an_instrument_range_must_be_in_order(org):
    with pytest.raises(ValidationError) as exc:
        S.instrument_create(
            actor=org.engineer, number="M-1", name="卡尺", instrument_type="卡尺",
            range_low="150", range_high="0",
        )  # fmt: skip
    assert "range_high" in exc.value.message_dict
    instrument = S.instrument_create(
        actor=org.engineer, number="M-1", name="卡尺", instrument_type="卡尺",
        range_low="0", range_high="150", resolution="0.01",
    )  # fmt: skip
    event = AuditEvent.objects.get(action="masterdata.instrument.create")
    assert event.clause == "§7.2.2.1" and instrument.pk


def test_a_supplier_taken_off_an_items_list_is_voided_and_its_receipts_refused(org, listed):
    item, supplier = listed
    entry = supplier.approved_items.get()
    S.approved_supplier_remove(actor=org.engineer, approved=entry, reason="停止供货")
    entry.refresh_from_db()
    assert entry.is_voided
    with pytest.raises(ValidationError):
        _receive(org.inspector, item, supplier)
