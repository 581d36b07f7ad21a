"""Serial numbers on the genealogy's pages and API: the trace starts from a serial and a forward
trace lists the units' serials (page, export, API); the lot page records and voids one by hand;
the Excel and API feeds refuse a bad serial naming its row (§7.2.3.2)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from cqo.masterdata.genealogy_feeds import genealogy_feed_post
from cqo.masterdata.models import SerialNumber
from cqo.testing.genealogy import GenealogyWorld, genealogy_world, production_lot
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture
def g(db: Any, org: Org) -> GenealogyWorld:
    world = genealogy_world()
    genealogy_feed_post(
        actor=org.engineer,
        rows=[],
        serials=[{"lot": "F-CAL-1", "serial": f"A-{n:03d}"} for n in range(1, 61)]
        + [{"lot": "F-CAL-2", "serial": "B-001"}],
    )
    return world


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_trace_page_follows_a_serial_backward_to_its_supplier_batches(g, org):
    page = client_for(org.auditor).get(
        reverse("masterdata:genealogy_trace"), {"direction": "backward", "serial": "B-001"}
    )
    assert page.context["result"].starts == [g.caliper_2.pk]
    assert {lot.supplier_batch for lot in page.context["batches"]} == {"ST-01", "RS-07", "PD-03"}
    unknown = client_for(org.auditor).get(
        reverse("masterdata:genealogy_trace"), {"direction": "backward", "serial": "Z-9"}
    )
    assert "No lot matches" in unknown.content.decode()


def test_a_forward_trace_page_counts_the_serials_and_lists_the_first_page(g, org):
    page = client_for(org.auditor).get(
        reverse("masterdata:genealogy_trace"), {"direction": "forward", "batch": "ST-01"}
    )
    assert page.context["serial_count"] == 61
    assert [u.serial for u in page.context["serials"]][:2] == ["A-001", "A-002"]
    assert len(page.context["serials"]) == 50
    text = page.content.decode()
    assert "61 units with a serial number." in text and "the export has them all" in text
    export = client_for(org.auditor).get(
        reverse("masterdata:genealogy_trace_export"), {"direction": "forward", "batch": "ST-01"}
    )
    wb = load_workbook(io.BytesIO(export.content))
    sheet = wb["Serial numbers"]
    assert sheet.max_row == 62 and sheet["A2"].value == "A-001" and sheet["C2"].value == "F-CAL-1"


def test_the_lot_page_records_a_serial_by_hand_and_voids_it_with_a_reason(g, org):
    client = client_for(org.inspector)
    lot_page = client.get(reverse("masterdata:lot_detail", args=[g.caliper_2.pk])).content.decode()
    assert "1 unit with a serial number." in lot_page and "B-001" in lot_page
    url = reverse("masterdata:lot_serial_create", args=[g.caliper_2.pk])
    refused = client.post(url, {"serial": "A-001"})
    assert refused.status_code == 200
    assert "already assigned to lot F-CAL-1" in refused.content.decode()
    assert client.post(url, {"serial": "B-002"}).status_code == 302
    record = SerialNumber.objects.get(serial="B-002")
    assert record.lot == g.caliper_2 and record.feed is None
    void_url = reverse("masterdata:serial_void", args=[record.pk])
    assert client.get(void_url).status_code == 403, "an inspector records, a keeper voids"
    keeper = client_for(org.engineer)
    assert keeper.post(void_url, {"reason": ""}).status_code == 200
    assert keeper.post(void_url, {"reason": "typed twice"}).status_code == 302
    record.refresh_from_db()
    assert record.voided_at is not None and record.void_reason == "typed twice"


def _xlsx(links: list[list[Any]], serials: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["consumed lot", "produced lot", "quantity consumed"])
    for row in links:
        ws.append(row)
    sheet = wb.create_sheet("Serial numbers")
    sheet.append(["lot number", "serial number"])
    for row in serials:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "feed.xlsx"
    return buffer


def test_an_excel_feed_refuses_a_bad_serial_naming_its_sheet_row_and_writes_nothing(g, org):
    production_lot("F-NEW", item=g.caliper_1.item)
    client = client_for(org.engineer)
    url = reverse("masterdata:genealogy_import")
    links = [["R-PAD", "F-NEW", 1]]
    for bad, fragment in (
        (["F-NOPE", "N-2"], "F-NOPE"),
        (["F-NEW", "A-001"], "already assigned to lot F-CAL-1"),
        (["F-NEW", None], "Give the serial number"),
    ):
        text = client.post(url, {"file": _xlsx(links, [["F-NEW", "N-1"], bad])}).content.decode()
        assert "Serial numbers, row 3" in text and fragment in text
    assert not SerialNumber.objects.filter(lot__number="F-NEW").exists()
    assert not g.pad.links_down.filter(produced__number="F-NEW").exists()
    good = client.post(url, {"file": _xlsx(links, [["F-NEW", "N-1"], ["F-NEW", 1002.0]])})
    assert "2 serial numbers recorded" in good.content.decode()
    assert SerialNumber.objects.filter(lot__number="F-NEW", serial="1002").exists()
    template = load_workbook(
        io.BytesIO(client.get(reverse("masterdata:genealogy_template")).content)
    )
    assert template.sheetnames[1] == "Serial numbers"


def test_the_api_feed_records_serials_and_refuses_a_bad_one_naming_its_row(g, org):
    client = client_for(org.engineer)
    url = reverse("api:masterdata:genealogy-feed-list")
    ok = client.post(
        url,
        {"reference": "MES-9", "serials": [{"lot": "F-CAL-2", "serial": "B-002"}]},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["serial_count"] == 1
    taken = client.post(
        url,
        {"serials": [{"lot": "F-CAL-2", "serial": "B-003"}, {"lot": "F-CAL-2", "serial": "A-001"}]},
        content_type="application/json",
    )
    body = taken.json()
    assert taken.status_code == 400 and body["row"] == 2 and body["part"] == "serials"
    assert "already assigned" in body["serials"][0]
    empty = client.post(
        url, {"serials": [{"lot": "F-CAL-2", "serial": ""}]}, content_type="application/json"
    )
    assert empty.status_code == 400 and empty.json()["part"] == "serials"
    assert not SerialNumber.objects.filter(serial="B-003").exists()


def test_the_serials_api_reads_records_and_voids_one(g, org):
    client = client_for(org.inspector)
    url = reverse("api:masterdata:serial-number-list")
    found = client.get(url, {"serial": "B-001"}).json()
    assert [r["lot"] for r in found["results"]] == ["F-CAL-2"]
    made = client.post(url, {"lot": "F-CAL-2", "serial": "B-009"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["item"] == "BC-100"
    again = client.post(url, {"lot": "F-CAL-1", "serial": "B-009"}, content_type="application/json")
    assert again.status_code == 400 and "serial" in again.json()
    ghost = client.post(url, {"lot": "NO-LOT", "serial": "X"}, content_type="application/json")
    assert ghost.status_code == 400 and "lot" in ghost.json()
    void_url = reverse("api:masterdata:serial-number-void", args=[made.json()["id"]])
    assert (
        client.post(void_url, {"reason": "x"}, content_type="application/json").status_code == 403
    )
    voided = client_for(org.engineer).post(
        void_url, {"reason": "typo"}, content_type="application/json"
    )
    assert voided.status_code == 200 and voided.json()["voided_at"]


def test_the_trace_api_starts_from_a_serial_and_lists_the_serials_forward(g, org):
    client = client_for(org.auditor)
    url = reverse("api:masterdata:trace-list")
    back = client.get(url, {"direction": "backward", "serial": "A-007"}).json()
    assert back["starts"] == [g.caliper_1.pk]
    assert {b["supplier_batch"] for b in back["supplier_batches"]} == {"ST-01", "RS-07"}
    forward = client.get(url, {"direction": "forward", "batch": "PD-03"}).json()
    assert forward["serial_count"] == 1
    assert forward["serials"] == [{"serial": "B-001", "item": "BC-100", "lot": "F-CAL-2"}]
    wide = client.get(url, {"direction": "forward", "batch": "ST-01"}).json()
    assert wide["serial_count"] == 61 and len(wide["serials"]) == 61
    assert client.get(url, {"serial": "A-001", "lot": "F-CAL-1"}).status_code == 400
