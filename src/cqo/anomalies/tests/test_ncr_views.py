"""The NCR pages and API: list (filters, pages, export), the phone form with photos, the NCR's
page with its containment and registered sections, the defect catalogue and its import."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from cqo.anomalies import sections
from cqo.anomalies.models import Anomaly, AnomalyStatus, DefectCode
from cqo.masterdata.models import StockStatus
from cqo.testing.anomalies import DefectCodeFactory, ncr_make
from cqo.testing.masterdata import ItemFactory, LotFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
API = "/api/v1/anomalies"


@pytest.fixture
def org(module_org: Any, db: Any) -> Any:
    return module_org


def _page(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _api(user: Any, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def test_the_list_filters_by_status_and_item_and_reads_bad_cursors_as_the_top(org: Any) -> None:
    first = ncr_make(org, title="第一")
    second = ncr_make(org, title="第二")
    client = _page(org.head)
    page = client.get("/anomalies/ncrs/", {"item": first.item_id})
    assert page.status_code == 200
    assert first.number in page.content.decode() and second.number not in page.content.decode()
    assert "1 NCR matches." in page.content.decode()
    closed = client.get("/anomalies/ncrs/", {"status": "closed"}).content.decode()
    assert first.number not in closed and "No nonconformance reports match." in closed
    for cursor in ("x", "2026-13-45T00:00:00_1", "_" * 30, "2026-01-01T00:00:00_99999999999999"):
        assert client.get("/anomalies/ncrs/", {"after": cursor}).status_code == 200
    zh = _page(org.head, "zh-hans").get("/anomalies/ncrs/").content.decode()
    assert "不合格品报告" in zh


def test_the_export_keeps_a_formula_as_text(org: Any) -> None:
    from openpyxl import load_workbook

    ncr_make(org, title='=HYPERLINK("http://x")')
    response = _page(org.head).get("/anomalies/ncrs/export.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws.cell(row=2, column=2)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_anyone_raises_an_ncr_from_the_phone_form_with_a_photo(org: Any) -> None:
    item = ItemFactory(family="valve")
    lot = LotFactory(item=item, quantity=Decimal("40"))
    defect = DefectCodeFactory(family="valve", defect_class="CR")
    response = _page(org.head).post(
        "/anomalies/ncrs/new/",
        {"title": "装配时发现裂纹", "item": item.pk, "lot_numbers": lot.number,
         "found_at": "ipqc", "found_on": "2026-12-01", "defect_1": defect.pk,
         "defect_1_quantity": "3",
         "photos": [SimpleUploadedFile("crack.png", PNG, content_type="image/png")]},
    )  # fmt: skip
    assert response.status_code == 302
    ncr = Anomaly.objects.get(title="装配时发现裂纹")
    assert (ncr.quantity, ncr.defect_class, ncr.raised_by) == (Decimal("40"), "CR", org.head)
    [photo] = ncr.photos.all()
    download = _page(org.auditor).get(f"/anomalies/ncrs/photos/{photo.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"


def test_the_form_refuses_a_voided_lot_naming_the_field_and_clause_in_chinese(org: Any) -> None:
    from django.utils import timezone

    lot = LotFactory(voided_at=timezone.now())
    response = _page(org.head, "zh-hans").post(
        "/anomalies/ncrs/new/",
        {"title": "x", "lot_numbers": lot.number, "found_at": "iqc", "found_on": "2026-12-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "已作废" in body and "§6 c)" in body
    assert not Anomaly.objects.filter(title="x").exists()


def test_a_photo_that_is_a_web_page_is_refused(org: Any) -> None:
    response = _page(org.head).post(
        "/anomalies/ncrs/new/",
        {"title": "y", "found_at": "iqc", "found_on": "2026-12-01",
         "photos": [SimpleUploadedFile("evil.png", b"<html><script>", content_type="image/png")]},
    )  # fmt: skip
    assert response.status_code == 200 and not Anomaly.objects.filter(title="y").exists()


def test_the_page_holds_the_lots_and_shows_the_registered_sections(org: Any) -> None:
    ncr = ncr_make(org)
    sections.section_register(
        "test",
        99,
        "anomalies/ncr/_section_text.html",
        lambda request, a: {"heading": "H", "text": "段落"},
    )
    try:
        page = _page(org.engineer).get(f"/anomalies/ncrs/{ncr.pk}/").content.decode()
    finally:
        sections._SECTIONS.pop("test", None)
    assert 'id="section-test"' in page and "段落" in page
    done = _page(org.engineer).post(f"/anomalies/ncrs/{ncr.pk}/act/", {"action": "contain"})
    assert done.status_code == 302
    row = ncr.lots.get()
    row.lot.refresh_from_db()
    assert row.lot.stock_status == StockStatus.HELD
    refused = _page(org.head).post(
        f"/anomalies/ncrs/{ncr.pk}/act/",
        {"action": "lift", "row": row.pk, "reason": "x"},
        follow=True,
    )
    assert "permission" in refused.content.decode() or "authority" in refused.content.decode()
    row.lot.refresh_from_db()
    assert row.lot.stock_status == StockStatus.HELD


def test_the_catalogue_import_is_all_or_nothing_naming_the_row(org: Any) -> None:
    from openpyxl import Workbook

    def workbook(*rows: tuple[str, ...]) -> SimpleUploadedFile:
        wb = Workbook()
        ws = wb.active
        ws.append(["Item family", "Defect code", "Name", "Name (English)", "Defect class"])
        for r in rows:
            ws.append(list(r))
        out = io.BytesIO()
        wb.save(out)
        return SimpleUploadedFile("codes.xlsx", out.getvalue())

    bad = workbook(("piston", "P01", "划伤", "Scratch", "MI"), ("piston", "P02", "", "", "XX"))
    response = _page(org.engineer).post("/anomalies/defects/import/", {"file": bad})
    body = response.content.decode()
    assert response.status_code == 200 and "Row 3" in body
    assert not DefectCode.objects.filter(family="piston").exists()
    good = workbook(
        ("piston", "P01", "划伤", "Scratch", "MI"), ("piston", "P02", "裂纹", "", "致命缺陷（CR）")
    )
    assert _page(org.engineer).post("/anomalies/defects/import/", {"file": good}).status_code == 302
    assert dict(DefectCode.objects.filter(family="piston").values_list("code", "defect_class")) == {
        "P01": "MI", "P02": "CR",
    }  # fmt: skip
    assert _page(org.inspector).get("/anomalies/defects/import/").status_code == 403


def test_the_api_raises_lists_and_answers_409_to_closing_a_held_ncr(org: Any) -> None:
    item = ItemFactory(family="valve")
    lot = LotFactory(item=item)
    defect = DefectCodeFactory(family="valve")
    created = _api(org.inspector).post(
        f"{API}/ncrs/",
        {"title": "API", "item": item.part_number, "found_at": "iqc",
         "lots": [{"lot": lot.number}], "defects": [{"defect": defect.pk, "quantity": "5"}]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["lots"][0]["lot_number"] == lot.number
    listed = _api(org.auditor).get(f"{API}/ncrs/", {"status": "open"}).json()
    assert pk in [r["id"] for r in listed["results"]]
    assert (
        _api(org.engineer).post(f"{API}/ncrs/{pk}/contain/", {}, format="json").status_code == 200
    )
    closing = _api(org.cqo).post(f"{API}/ncrs/{pk}/close/", {}, format="json")
    assert closing.status_code == 409 and "§6 e)" in closing.json()["clause"]
    assert Anomaly.objects.get(pk=pk).status == AnomalyStatus.CONTAINED
    voided_lot = LotFactory(item=item, voided_at="2026-01-01T00:00:00Z")
    refused = _api(org.inspector, "zh-hans").post(
        f"{API}/ncrs/", {"title": "x", "lots": [{"lot": voided_lot.number}]}, format="json"
    )
    assert refused.status_code == 400 and "§6 c)" in str(refused.json()["lots"])
