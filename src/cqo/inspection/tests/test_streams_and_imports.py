"""Reduced inspection (Table 2-C imported by the CQO, approval by the holder of §6 e)), the
stream pages and API, receipts in bulk from Excel, and lots drawn in process and at shipment."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cqo.audit.models import AuditEvent
from cqo.inspection import services_lots as S
from cqo.inspection import switching as W
from cqo.inspection import transfer_lots as TL
from cqo.inspection.models import InspectionLot, ReducedTable, Severity, SwitchingStream
from cqo.masterdata.models import Lot
from cqo.methods.sampling import CODE_LETTERS, plan_table_from_rows, sampling_plan
from cqo.testing.inspection import approved_plan, approved_receipt_world
from cqo.testing.masterdata import LotFactory, OperationFactory, ShipmentLineFactory
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
_batches = iter(range(1, 10_000))

# Not the standard's table: a made-up reduced table with every code letter at the AQLs the test
# plans use, so the tests exercise the import and the draw without shipping licensed content.
TABLE_CSV = "code,aql,n,ac,re\n" + "".join(
    f"{c},{a},{2 + i},{ac},{ac + 1}\n"
    for i, c in enumerate(CODE_LETTERS)
    for a, ac in (("0.065", 0), ("1.0", 0), ("2.5", 1))
)


def _table(org: Org) -> ReducedTable:
    f = SimpleUploadedFile("t2c.csv", TABLE_CSV.encode())
    return W.reduced_table_import(actor=org.cqo, file=f, source="GB/T 2828.1-2012 企业正版")


def _receive(org: Org, item: Any, supplier: Any, quantity: int = 1200) -> InspectionLot:
    return S.receipt_create(
        actor=org.inspector, item=item, supplier=supplier, supplier_batch=f"B{next(_batches)}",
        quantity=quantity, arrived_on=TODAY,
    )  # fmt: skip


def _accept(org: Org, ilot: InspectionLot) -> Any:
    gov = W.governing_sampling(ilot)
    assert gov is not None and ilot.stream is not None
    return W.stream_record(actor=org.inspector, stream=ilot.stream, inspection_lot=ilot,
                           accepted=True, nonconforming=0, ac=gov.ac, re=gov.re)  # fmt: skip


def test_only_the_cqo_imports_table_2c_and_its_sha256_is_kept(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        W.reduced_table_import(actor=org.engineer, file=SimpleUploadedFile("t.csv", b"x"),
                               source="x")  # fmt: skip
    table = _table(org)
    import hashlib

    assert table.sha256 == hashlib.sha256(TABLE_CSV.encode()).hexdigest() and table.active
    assert len(table.rows) == len(CODE_LETTERS) * 3
    assert AuditEvent.objects.filter(action="inspection.reducedtable.import").exists()
    second = _table(org)
    table.refresh_from_db()
    assert not table.active and second.active


def test_a_table_with_a_bad_row_is_refused_naming_the_row(org: Org) -> None:
    f = SimpleUploadedFile("t.csv", b"code,aql,n,ac,re\nK,1.0,50,2,3\nK,0.7,50,2,3\n")
    with pytest.raises(ValidationError) as exc:
        W.reduced_table_import(actor=org.cqo, file=f, source="copy")
    assert "row 3" in str(exc.value) and not ReducedTable.objects.exists()


def test_reduced_inspection_needs_the_table_and_the_gatekeepers_approval(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    stream = _receive(org, item, supplier).stream
    with pytest.raises(ValidationError) as exc:
        W.stream_reduced_approve(actor=org.cqo, stream=stream, reason="稳定")
    assert "reduced_table" in exc.value.message_dict
    _table(org)
    with pytest.raises(PermissionDenied):
        W.stream_reduced_approve(actor=org.inspector, stream=stream, reason="稳定")
    W.stream_reduced_approve(actor=org.cqo, stream=stream, reason="连续稳定")
    stream.refresh_from_db()
    assert stream.reduced_approved


def test_a_score_of_30_with_approval_switches_to_reduced_and_the_next_lot_draws_table_2c(
    org: Org,
) -> None:
    item, supplier, _plan = approved_receipt_world()
    table = _table(org)
    first = _receive(org, item, supplier)
    W.stream_reduced_approve(actor=org.cqo, stream=first.stream, reason="连续稳定")
    events = [_accept(org, first)] + [
        _accept(org, _receive(org, item, supplier)) for _ in range(14)
    ]
    switched = [e for e in events if e is not None]
    # The governing class (CR at 0.065, Ac 0) scores 2 per accepted lot: the 15th reaches 30.
    assert [e.rule for e in switched] == ["normal_to_reduced"] and events[-1] is not None
    nxt = _receive(org, item, supplier)
    assert nxt.severity == Severity.REDUCED
    reduced = plan_table_from_rows(table.rows)
    for row in nxt.samplings.all():
        expected = sampling_plan(1200, row.level, row.aql, "reduced", reduced_table=reduced)
        assert (row.n, row.ac, row.re) == (expected.n, expected.ac, expected.re)


def test_without_approval_the_score_passes_30_and_the_stream_stays_normal(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    _table(org)
    for _ in range(16):
        assert _accept(org, _receive(org, item, supplier)) is None
    stream = SwitchingStream.objects.get(item=item, supplier=supplier)
    assert stream.state == Severity.NORMAL and stream.machine["score"] >= 30


def test_the_stream_pages_show_the_events_and_let_the_cqo_restore_inspection(
    org: Org, client: Any
) -> None:
    item, supplier, _plan = approved_receipt_world()
    ilot = _receive(org, item, supplier)
    stream = ilot.stream
    SwitchingStream.objects.filter(pk=stream.pk).update(
        state=Severity.DISCONTINUED,
        machine={**stream.machine, "state": "discontinued"},
    )
    client.force_login(org.auditor)
    listing = client.get(reverse("inspection:stream_list"), {"state": "discontinued"})
    assert listing.status_code == 200 and item.part_number in listing.content.decode()
    url = reverse("inspection:stream_detail", args=[stream.pk])
    assert client.post(url, {"action": "resume", "reason": "x"}).status_code == 403
    client.force_login(org.cqo)
    response = client.post(url, {"action": "resume", "reason": "8D 已关闭"})
    assert response.status_code == 302
    stream.refresh_from_db()
    assert stream.state == Severity.TIGHTENED
    assert client.get(url).status_code == 200


def test_the_api_resumes_a_stream_for_the_cqo_only(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    stream = _receive(org, item, supplier).stream
    SwitchingStream.objects.filter(pk=stream.pk).update(state=Severity.DISCONTINUED)
    url = reverse("api:inspection:stream-resume", args=[stream.pk])
    client.force_login(org.inspector)
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 403
    client.force_login(org.cqo)
    ok = client.post(url, {"reason": "改进完成"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["to_state"] == "tightened"


def _workbook(rows: list[list[Any]]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["part_number", "supplier", "supplier_batch", "quantity", "arrived_on",
               "order_number"])  # fmt: skip
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("receipts.xlsx", buf.getvalue())


def test_receipts_import_from_excel_all_or_nothing(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    p, s = item.part_number, supplier.code
    bad = _workbook([
        [p, s, "X1", 100, "2026-12-01", "PO-1"],
        [p, s, "X2", 0, "2026-12-01", ""],
        [p, "NOPE", "X3", 10, "2026-12-01", ""],
        [p, s, "X1", 10, "2026-12-01", ""],
    ])  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        TL.receipts_import(actor=org.inspector, file=bad)
    messages = exc.value.message_dict["file"]
    assert len(messages) == 1 and "4" in messages[0] and "NOPE" in messages[0]
    assert not Lot.objects.exists()
    bad_rows = _workbook([[p, s, "X1", 100, "2026-12-01", ""], [p, s, "X2", 0, "2026-12-01", ""],
                          [p, s, "X1", 10, "2026-12-01", ""]])  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        TL.receipts_import(actor=org.inspector, file=bad_rows)
    messages = exc.value.message_dict["file"]
    assert [m[:4] for m in messages] and len(messages) == 2
    assert not Lot.objects.exists() and not InspectionLot.objects.exists()
    good = _workbook([[p, s, "X1", 100, "2026-12-01", "PO-1"], [p, s, "X2", 50, "2026-12-02", ""]])
    lots = TL.receipts_import(actor=org.inspector, file=good)
    assert len(lots) == 2 and Lot.objects.count() == 2


def test_an_operation_draws_an_in_process_lot_in_its_lines_stream(org: Org) -> None:
    op = OperationFactory()
    approved_plan(item=op.item, gate="ipqc")
    ilot = S.production_inspection_create(actor=org.inspector, operation=op, quantity=300,
                                          made_on=TODAY)  # fmt: skip
    assert ilot.gate == "ipqc" and ilot.stream.work_centre == op.work_centre
    first = S.production_inspection_create(actor=org.inspector, operation=op, quantity=300,
                                           made_on=TODAY, kind="first_article")  # fmt: skip
    assert first.stream is None and {(r.n, r.ac, r.re) for r in first.samplings.all()} == {
        (1, 0, 1)
    }


def test_a_shipment_draws_one_outgoing_lot_per_lot_once(org: Org) -> None:
    line = ShipmentLineFactory(lot=LotFactory(supplier=None, origin="production"))
    approved_plan(item=line.lot.item, gate="oqc")
    (ilot,) = S.shipment_inspection_create(actor=org.inspector, shipment=line.shipment)
    assert ilot.gate == "oqc" and ilot.stream.supplier is None
    assert S.shipment_inspection_create(actor=org.inspector, shipment=line.shipment) == []


def test_the_receipt_import_page_takes_a_workbook(org: Org, client: Any) -> None:
    item, supplier, _plan = approved_receipt_world()
    client.force_login(org.inspector)
    f = _workbook([[item.part_number, supplier.code, "W1", 20, "2026-12-01", ""]])
    response = client.post(reverse("inspection:receipt_import"), {"file": f})
    assert response.status_code == 302 and Lot.objects.filter(supplier_batch="W1").exists()
