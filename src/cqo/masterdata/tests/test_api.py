import pytest
from rest_framework.test import APIClient

from cqo.authorities import services as AS
from cqo.masterdata import services as S
from cqo.masterdata.models import Item, Lot, SupplierStatus
from cqo.testing.masterdata import ApprovedSupplierFactory, ItemFactory, LotFactory
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db
BASE = "/api/v1/masterdata"


@pytest.fixture
def org():
    return Org()


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_erp_posts_a_receipt_and_reads_it_back(org):
    entry = ApprovedSupplierFactory()
    api = _api(org.inspector)
    response = api.post(
        f"{BASE}/lots/",
        {"item": entry.item.pk, "supplier": entry.supplier.pk, "quantity": "500",
         "arrived_on": "2026-12-06", "supplier_batch": "B-1", "origin": "receipt"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    lot = Lot.objects.get()
    assert response.json()["number"] == lot.number
    listed = api.get(f"{BASE}/lots/", {"supplier": entry.supplier.pk, "status": "quarantine"})
    assert [r["id"] for r in listed.json()["results"]] == [lot.pk]


def test_a_receipt_with_a_quantity_of_zero_or_a_duplicate_batch_is_a_400_naming_the_field(org):
    entry = ApprovedSupplierFactory()
    LotFactory(item=entry.item, supplier=entry.supplier, supplier_batch="B-1")
    api = _api(org.inspector)
    body = {"item": entry.item.pk, "supplier": entry.supplier.pk, "arrived_on": "2026-12-06"}
    zero = api.post(f"{BASE}/lots/", {**body, "quantity": "0"}, format="json")
    assert zero.status_code == 400 and "quantity" in zero.json()
    again = api.post(
        f"{BASE}/lots/", {**body, "quantity": "5", "supplier_batch": "B-1"}, format="json"
    )
    assert again.status_code == 400 and "supplier_batch" in again.json()
    assert Lot.objects.count() == 1


def test_a_suspended_suppliers_receipt_is_refused_on_the_api(org):
    entry = ApprovedSupplierFactory()
    S.supplier_status_set(
        actor=org.cqo, supplier=entry.supplier, status=SupplierStatus.SUSPENDED, reason="停供"
    )
    response = _api(org.inspector).post(
        f"{BASE}/lots/",
        {"item": entry.item.pk, "supplier": entry.supplier.pk, "quantity": "5",
         "arrived_on": "2026-12-06"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "§6 e)" in str(response.json()["supplier"])


def test_items_are_created_and_patched_by_an_engineer_and_read_by_an_auditor(org):
    api = _api(org.engineer)
    created = api.post(
        f"{BASE}/items/", {"part_number": "P-9", "name": "活塞", "kind": "part"}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = api.patch(f"{BASE}/items/{pk}/", {"name": "活塞总成"}, format="json")
    assert patched.status_code == 200 and Item.objects.get(pk=pk).name == "活塞总成"
    assert _api(org.auditor).get(f"{BASE}/items/{pk}/").status_code == 200
    refused = _api(org.auditor).patch(f"{BASE}/items/{pk}/", {"name": "x"}, format="json")
    assert refused.status_code == 403


def test_a_vetoed_candidate_supplier_cannot_be_approved_on_the_api_409(org):
    supplier = S.supplier_create(actor=org.engineer, code="S-N", name="新")
    api = _api(org.cqo)
    veto = api.post(
        "/api/v1/authorities/vetoes/",
        {"subject_type": "masterdata.supplier", "subject_id": supplier.pk, "reason": "不合格",
         "password": PASSWORD},
        format="json",
    )  # fmt: skip
    assert veto.status_code == 201, veto.content
    response = _api(org.deputy).post(
        f"{BASE}/suppliers/{supplier.pk}/approve/", {"reason": "合格"}, format="json"
    )
    assert response.status_code == 409
    supplier.refresh_from_db()
    assert supplier.status == SupplierStatus.CANDIDATE


def test_a_candidate_supplier_is_approved_on_the_api(org):
    supplier = S.supplier_create(actor=org.engineer, code="S-N", name="新")
    response = _api(org.cqo).post(
        f"{BASE}/suppliers/{supplier.pk}/approve/", {"reason": "审核合格"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "qualified"


def test_an_item_is_voided_on_the_api_not_deleted(org):
    item = ItemFactory()
    api = _api(org.engineer)
    assert api.delete(f"{BASE}/items/{item.pk}/").status_code in (403, 405)
    assert Item.objects.filter(pk=item.pk).exists()
    response = api.post(f"{BASE}/items/{item.pk}/void/", {"reason": "停产"}, format="json")
    assert response.status_code == 200 and response.json()["voided_at"]
    ids = [r["id"] for r in api.get(f"{BASE}/items/").json()["results"]]
    assert item.pk not in ids


def test_a_vetoed_lot_is_listed_with_its_veto_readable(org):
    lot = LotFactory()
    AS.veto_impose(actor=org.cqo, subject=lot, reason="疑似批次问题", password=PASSWORD)
    assert _api(org.auditor).get(f"{BASE}/lots/{lot.pk}/").status_code == 200
