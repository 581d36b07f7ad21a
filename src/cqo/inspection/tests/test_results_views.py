"""The results part's pages and API: the grid, the Excel import, the decision, concessions and
dispositions, through the browser's and an instrument's requests."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.authorities import services as AS
from cqo.inspection import services_results as S
from cqo.inspection.models import Concession, InspectionAttachment, Measurement
from cqo.masterdata.models import StockStatus
from cqo.testing.results import Sheet, full_rows, inspection_lot
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _english() -> Any:
    # Messages are checked in English unless a test asks for Chinese.
    with translation.override("en"):
        yield


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture
def sheet(org: Org) -> Sheet:
    return inspection_lot(org.engineer)


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _grid(rows: list[dict[str, Any]], **extra: str) -> dict[str, str]:
    return {"grid": json.dumps(rows), **extra}


def test_the_grid_shows_a_row_per_sample_unit_and_a_column_per_characteristic(
    org: Org, sheet: Sheet
) -> None:
    response = _client(org.inspector).get(reverse("inspection:results_entry", args=[sheet.ilot.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="grid-cell"') == 13 * 3
    assert f'name="v-{sheet.bore.pk}-13"' in html and f'name="v-{sheet.bore.pk}-14"' not in html
    assert 'data-lsl="9.950000"' in html and "inspection/results.js" in html
    assert f'<option value="{sheet.caliper.pk}" selected>' in html


def test_an_inspector_saves_the_grid_and_the_out_of_spec_cells_show_red(
    org: Org, sheet: Sheet
) -> None:
    client = _client(org.inspector)
    url = reverse("inspection:results_entry", args=[sheet.ilot.pk])
    response = client.post(url, _grid(full_rows(sheet, bad_bore=(3,))))
    assert response.status_code == 302
    assert Measurement.objects.filter(inspection_lot=sheet.ilot).count() == 39
    html = client.get(url).content.decode()
    assert html.count("cell out-of-spec recorded") == 1
    assert "39" in html


def test_a_grid_posted_cell_by_cell_without_the_script_is_saved_too(org: Org, sheet: Sheet) -> None:
    url = reverse("inspection:results_entry", args=[sheet.ilot.pk])
    data = {
        f"v-{sheet.bore.pk}-1": "10.02",
        f"v-{sheet.crack.pk}-1": "NG",
        f"t-{sheet.crack.pk}-1": "裂纹",
        f"i-{sheet.bore.pk}": str(sheet.caliper.pk),
    }
    assert _client(org.inspector).post(url, data).status_code == 302
    crack = Measurement.objects.get(characteristic=sheet.crack)
    assert (crack.defects, crack.conforming, crack.defect_type) == (1, False, "裂纹")
    assert Measurement.objects.get(characteristic=sheet.bore).instrument == sheet.caliper


def test_a_refused_grid_names_the_row_keeps_what_was_typed_and_saves_nothing(
    org: Org, sheet: Sheet
) -> None:
    url = reverse("inspection:results_entry", args=[sheet.ilot.pk])
    rows = [
        {"characteristic_id": sheet.bore.pk, "sample_no": 1, "value": "10.01"},
        {"characteristic_id": sheet.bore.pk, "sample_no": 2, "value": "十"},
    ]
    response = _client(org.inspector, "zh-hans").post(url, _grid(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 2 行" in html and "不是数字" in html
    assert 'value="十"' in html and 'value="10.01"' in html
    assert not Measurement.objects.exists()


def test_the_decision_page_rejects_a_failed_lot_and_offers_a_concession(
    org: Org, sheet: Sheet
) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot,
                     rows=full_rows(sheet, bad_bore=(1, 2)))  # fmt: skip
    client = _client(org.inspector)
    url = reverse("inspection:lot_decision", args=[sheet.ilot.pk])
    page = client.get(url).content.decode()
    assert "Reaches Re" in page
    refused = client.post(url, {"decision": "accept", "note": "急用"})
    assert refused.status_code == 200 and "cannot be accepted" in refused.content.decode()
    assert client.post(url, {"decision": "reject"}).status_code == 302
    sheet.ilot.lot.refresh_from_db()
    assert sheet.ilot.lot.stock_status == StockStatus.REJECTED
    page = client.get(url).content.decode()
    assert reverse("inspection:concession_raise", args=[sheet.ilot.pk]) in page


def test_a_concession_raised_on_its_page_reaches_the_cqo_who_approves_it_with_a_signature(
    org: Org, sheet: Sheet
) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot,
                     rows=full_rows(sheet, bad_bore=(1, 2)))  # fmt: skip
    S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="reject")
    engineer = _client(org.engineer)
    response = engineer.post(
        reverse("inspection:concession_raise", args=[sheet.ilot.pk]),
        {"quantity": "500", "reason": "尺寸超差轻微", "limits": "仅限本月",
         "customer_consent_required": "on"},
    )  # fmt: skip
    concession = Concession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection:concession_detail", args=[concession.pk])
    cqo = _client(org.cqo)
    approval_url = reverse("authorities:approval_detail", args=[concession.approval_id])
    page = cqo.get(approval_url).content.decode()
    assert reverse("inspection:concession_detail", args=[concession.pk]) in page
    sign = {"decision": "approve", "reason": "同意", "sig-password": PASSWORD,
            "sig-confirm": "on"}  # fmt: skip
    refused = cqo.post(approval_url, sign)
    assert "consent" in refused.content.decode()
    engineer.post(reverse("inspection:concession_detail", args=[concession.pk]),
                  {"customer_consent": "KH-118"})  # fmt: skip
    cqo.post(approval_url, sign)
    concession.refresh_from_db()
    sheet.ilot.lot.refresh_from_db()
    assert concession.status == "approved"
    assert sheet.ilot.lot.stock_status == StockStatus.CONDITIONAL


def test_excel_template_import_and_attachment_round_trip(org: Org, sheet: Sheet) -> None:
    from openpyxl import load_workbook

    client = _client(org.inspector)
    response = client.get(reverse("inspection:results_template", args=[sheet.ilot.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert ws.max_row == 1 + 13 * 3
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "CRACK":
            row[3].value = 0
        else:
            row[2].value = 10.0
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "filled.xlsx"
    response = client.post(reverse("inspection:results_import", args=[sheet.ilot.pk]),
                           {"file": out})  # fmt: skip
    assert response.status_code == 302
    assert Measurement.objects.filter(inspection_lot=sheet.ilot).count() == 39
    photo = io.BytesIO(PNG)
    photo.name = "crack.png"
    client.post(reverse("inspection:attachment_add", args=[sheet.ilot.pk]),
                {"file": photo, "name": "裂纹照片"})  # fmt: skip
    attachment = InspectionAttachment.objects.get()
    download = _client(org.auditor).get(reverse("inspection:attachment_file", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    fake = io.BytesIO(b"<html>")
    fake.name = "x.png"
    client.post(reverse("inspection:attachment_add", args=[sheet.ilot.pk]), {"file": fake})
    assert InspectionAttachment.objects.count() == 1


def test_an_auditor_reads_the_results_but_may_not_write_them(org: Org, sheet: Sheet) -> None:
    client = _client(org.auditor)
    url = reverse("inspection:results_entry", args=[sheet.ilot.pk])
    page = client.get(url)
    assert page.status_code == 200 and "disabled" in page.content.decode()
    assert client.post(url, _grid(full_rows(sheet))).status_code == 403
    assert not Measurement.objects.exists()


# --- API ------------------------------------------------------------------------------------


def test_an_instrument_posts_a_lots_results_and_a_bad_row_is_named(org: Org, sheet: Sheet) -> None:
    client = _client(org.inspector)
    url = reverse("api:inspection:lot-results", args=[sheet.ilot.pk])
    bad = client.post(url, {"rows": [{"characteristic": "BORE", "sample_no": 1, "value": "x"}]},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["rows"] == ["Row 1, value: “x” is not a number."]
    ok = client.post(url, {"rows": full_rows(sheet, bad_bore=(1, 2))},
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 201
    assert ok.json()["created"] == 39 and ok.json()["out_of_spec"] == 2
    assert len(client.get(url).json()) == 39
    tally = client.get(reverse("api:inspection:lot-tally", args=[sheet.ilot.pk])).json()
    assert tally["proposal"] == "reject"
    decide = reverse("api:inspection:lot-decide", args=[sheet.ilot.pk])
    assert client.post(decide, {"decision": "accept"}, content_type="application/json"
                       ).status_code == 400  # fmt: skip
    decided = client.post(decide, {"decision": "reject"}, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["decision"] == "reject"
    again = client.post(url, {"rows": [{"characteristic": "BORE", "sample_no": 1,
                                        "value": "10"}]}, content_type="application/json")  # fmt: skip
    assert again.status_code == 400 and "inspection_lot" in again.json()


def test_the_bulk_endpoint_takes_results_across_lots_and_an_auditor_is_refused(
    org: Org,
) -> None:
    a, b = inspection_lot(org.engineer), inspection_lot(org.engineer)
    rows = [{**r, "inspection_lot": a.ilot.pk} for r in full_rows(a)] + [
        {**r, "inspection_lot_number": b.ilot.number} for r in full_rows(b)
    ]
    url = reverse("api:inspection:result-bulk")
    refused = _client(org.auditor).post(url, {"rows": rows}, content_type="application/json")
    assert refused.status_code == 403
    response = _client(org.inspector).post(url, {"rows": rows}, content_type="application/json")
    assert response.status_code == 201
    assert [r["created"] for r in response.json()] == [39, 39]
    assert AuditEvent.objects.filter(action="inspection.results.record").count() == 2


def test_concessions_and_dispositions_through_the_api(org: Org, sheet: Sheet) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot,
                     rows=full_rows(sheet, bad_bore=(1, 2)))  # fmt: skip
    S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="reject")
    client = _client(org.engineer)
    raised = client.post(
        reverse("api:inspection:lot-concessions", args=[sheet.ilot.pk]),
        {"quantity": "100", "reason": "轻微", "limits": "本月", "customer_consent_required": True},
        content_type="application/json",
    )
    assert raised.status_code == 201, raised.content
    pk = raised.json()["id"]
    consent = client.post(reverse("api:inspection:concession-consent", args=[pk]),
                          {"customer_consent": "KH-1"}, content_type="application/json")  # fmt: skip
    assert consent.status_code == 200 and consent.json()["customer_consent"] == "KH-1"
    disposed = client.post(
        reverse("api:inspection:lot-dispositions", args=[sheet.ilot.pk]),
        {"kind": "return", "quantity": "401"},
        content_type="application/json",
    )
    assert disposed.status_code == 400 and "quantity" in disposed.json()
    disposed = client.post(
        reverse("api:inspection:lot-dispositions", args=[sheet.ilot.pk]),
        {"kind": "return", "quantity": "400"},
        content_type="application/json",
    )
    assert disposed.status_code == 201
    concession = Concession.objects.get(pk=pk)
    assert concession.approval is not None
    with translation.override("en"):
        AS.approval_decide(actor=org.cqo, request=concession.approval, decision="approve",
                           reason="同意", password=PASSWORD)  # fmt: skip
    sheet.ilot.lot.refresh_from_db()
    assert sheet.ilot.lot.stock_status == StockStatus.CONDITIONAL
