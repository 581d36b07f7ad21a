import datetime

import pytest
from django.urls import reverse

from cqo.masterdata import services as S
from cqo.masterdata.models import Item, LotOrigin, Supplier, SupplierStatus
from cqo.testing.masterdata import (
    ApprovedSupplierFactory,
    CharacteristicFactory,
    CustomerFactory,
    InstrumentFactory,
    LotFactory,
    OperationFactory,
    SupplierFactory,
)
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return Org()


def _client(client, user):
    client.force_login(user)
    return client


def test_every_list_and_detail_page_opens_for_an_auditor(client, org):
    ch = CharacteristicFactory()
    entry = ApprovedSupplierFactory(item=ch.item)
    op = OperationFactory(item=ch.item)
    lot = LotFactory(item=ch.item, supplier=entry.supplier)
    objects = {
        "item": ch.item, "characteristic": ch, "supplier": entry.supplier,
        "customer": CustomerFactory(), "workcentre": op.work_centre, "operation": op,
        "instrument": InstrumentFactory(), "lot": lot,
    }  # fmt: skip
    c = _client(client, org.auditor)
    assert c.get(reverse("masterdata:index")).status_code == 200
    for key, obj in objects.items():
        assert c.get(reverse(f"masterdata:{key}_list")).status_code == 200, key
        assert c.get(reverse(f"masterdata:{key}_detail", args=[obj.pk])).status_code == 200, key
    assert c.get(reverse("masterdata:asl_list")).status_code == 200
    page = c.get(reverse("masterdata:item_detail", args=[ch.item.pk])).content.decode()
    assert ch.code in page and entry.supplier.code in page and lot.number in page


def test_an_engineer_creates_and_edits_an_item_and_its_history_shows_the_reason(client, org):
    c = _client(client, org.engineer)
    response = c.post(
        reverse("masterdata:item_create"),
        {"part_number": "P-100", "name": "活塞", "kind": "part", "uom": "pcs",
         "gate_iqc": "block", "gate_ipqc": "block", "gate_oqc": "warn"},
    )  # fmt: skip
    item = Item.objects.get(part_number="P-100")
    assert response.status_code == 302
    response = c.post(
        reverse("masterdata:item_edit", args=[item.pk]),
        {"part_number": "P-100", "name": "活塞总成", "kind": "part", "uom": "pcs",
         "gate_iqc": "block", "gate_ipqc": "block", "gate_oqc": "warn", "reason": "图纸升版"},
    )  # fmt: skip
    assert response.status_code == 302
    page = c.get(reverse("masterdata:item_detail", args=[item.pk])).content.decode()
    assert "图纸升版" in page and "活塞总成" in page


def test_a_duplicate_part_number_is_shown_on_the_form_and_nothing_is_written(client, org):
    Item.objects.create(part_number="P-1", name="x", kind="part")
    c = _client(client, org.engineer)
    response = c.post(
        reverse("masterdata:item_create"),
        {"part_number": "P-1", "name": "活塞", "kind": "part", "uom": "pcs",
         "gate_iqc": "block", "gate_ipqc": "block", "gate_oqc": "block"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["part_number"]
    assert Item.objects.count() == 1


def test_a_bad_credit_code_is_shown_on_the_supplier_form(client, org):
    c = _client(client, org.engineer)
    response = c.post(
        reverse("masterdata:supplier_create"),
        {"code": "S1", "name": "甲", "credit_code": "91500000123456789A"},
    )
    assert response.context["form"].errors["credit_code"]
    assert not Supplier.objects.exists()


def test_the_cqo_approves_a_supplier_from_its_page(client, org):
    supplier = S.supplier_create(actor=org.engineer, code="S-N", name="新")
    c = _client(client, org.cqo)
    page = c.get(reverse("masterdata:supplier_detail", args=[supplier.pk])).content.decode()
    assert reverse("masterdata:supplier_approve", args=[supplier.pk]) in page
    c.post(
        reverse("masterdata:supplier_approve", args=[supplier.pk]),
        {"approve-reason": "审核合格"},
    )
    supplier.refresh_from_db()
    assert supplier.status == SupplierStatus.QUALIFIED


def test_a_vetoed_supplier_cannot_be_approved_through_the_veto_page(client, org):
    supplier = S.supplier_create(actor=org.engineer, code="S-N", name="新")
    c = _client(client, org.cqo)
    url = reverse("authorities:veto_impose", args=["masterdata.supplier", supplier.pk])
    response = c.post(
        url, {"veto-reason": "体系审核不合格", "vsig-password": PASSWORD, "vsig-confirm": "on"}
    )
    assert response["Location"] == reverse("masterdata:supplier_detail", args=[supplier.pk])
    assert supplier.veto_active is not None
    c.force_login(org.deputy)
    page = c.post(
        reverse("masterdata:supplier_approve", args=[supplier.pk]),
        {"approve-reason": "合格"},
        follow=True,
    ).content.decode()
    assert "§6 i)" in page
    supplier.refresh_from_db()
    assert supplier.status == SupplierStatus.CANDIDATE


def test_an_inspector_reads_lots_but_may_not_add_items(client, org):
    c = _client(client, org.inspector)
    assert c.get(reverse("masterdata:lot_list")).status_code == 200
    assert c.get(reverse("masterdata:item_create")).status_code == 403


def test_the_lot_list_filters_by_status_and_supplier(client, org):
    entry = ApprovedSupplierFactory()
    mine = S.lot_create(
        actor=org.inspector, item=entry.item, supplier=entry.supplier, quantity=5,
        origin=LotOrigin.RECEIPT, arrived_on=datetime.date(2026, 1, 2), supplier_batch="X1",
    )  # fmt: skip
    other = LotFactory()
    c = _client(client, org.auditor)
    page = c.get(
        reverse("masterdata:lot_list"), {"supplier": entry.supplier.pk, "status": "quarantine"}
    ).content.decode()
    assert mine.number in page and other.number not in page


def test_an_item_is_voided_from_its_page_and_kept(client, org):
    item = Item.objects.create(part_number="P-1", name="x", kind="part")
    c = _client(client, org.engineer)
    c.post(reverse("masterdata:item_void", args=[item.pk]), {"reason": "停产"})
    item.refresh_from_db()
    assert item.is_voided and item.void_reason == "停产"
    assert c.get(reverse("masterdata:item_detail", args=[item.pk])).status_code == 200


def test_a_supplier_on_an_items_list_is_added_from_the_item_page(client, org):
    item = Item.objects.create(part_number="P-1", name="x", kind="part")
    supplier = SupplierFactory()
    c = _client(client, org.engineer)
    c.post(reverse("masterdata:asl_create", args=[item.pk]), {"supplier": supplier.pk})
    assert item.approved_suppliers.filter(supplier=supplier).exists()


def test_a_list_page_reads_its_rows_in_a_fixed_number_of_queries(
    client, org, django_assert_max_num_queries
):
    c = _client(client, org.auditor)
    c.get(reverse("masterdata:lot_list"))
    LotFactory.create_batch(3)
    with django_assert_max_num_queries(30) as few:
        c.get(reverse("masterdata:lot_list"))
    LotFactory.create_batch(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(reverse("masterdata:lot_list")).status_code == 200
