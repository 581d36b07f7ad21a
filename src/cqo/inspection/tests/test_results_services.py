"""The results part's services: recording results, the usage decision, concessions and
dispositions (§6 e), §6 c))."""

from __future__ import annotations

import io
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.audit.services import verify_chain
from cqo.authorities import services as AS
from cqo.authorities.models import ApprovalRequest, ApprovalStatus
from cqo.core import bulk
from cqo.core.sod import SegregationOfDutiesError
from cqo.inspection import services_results as S
from cqo.inspection import signals
from cqo.inspection.models import (
    Concession,
    ConcessionStatus,
    Disposition,
    InspectionStatus,
    LotSampling,
    Measurement,
    UsageDecision,
)
from cqo.masterdata import events, stock
from cqo.masterdata.models import InstrumentStatus, StockStatus
from cqo.testing.results import Sheet, full_rows, inspection_lot
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db


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


class _Heard:
    def __init__(self, *signals_: Any) -> None:
        self.calls: list[tuple[Any, dict[str, Any]]] = []
        self._signals = signals_
        for s in signals_:
            s.connect(self._hear, weak=False)

    def _hear(self, signal: Any, **kwargs: Any) -> None:
        self.calls.append((signal, kwargs))

    def of(self, signal: Any) -> list[dict[str, Any]]:
        return [kw for s, kw in self.calls if s is signal]

    def close(self) -> None:
        for s in self._signals:
            s.disconnect(self._hear)


@pytest.fixture
def heard() -> Any:
    listener = _Heard(
        events.lot_rejected, events.inspection_failed, signals.lot_decided, signals.results_recorded
    )
    yield listener
    listener.close()


def _fail(org: Org, sheet: Sheet) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot,
                     rows=full_rows(sheet, bad_bore=(2, 7)))  # fmt: skip


# --- the flow of the issue ----------------------------------------------------------------------


def test_an_inspector_records_an_iqc_lot_that_fails_the_lot_is_blocked_and_its_release_refused(
    org: Org, sheet: Sheet, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        saved = S.results_record(
            actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet, bad_bore=(2, 7))
        )
    assert saved.nonconforming == 2 and len(saved.created) == 13 * 3
    [recorded] = heard.of(signals.results_recorded)
    assert recorded["characteristic_ids"] == {sheet.bore.pk, sheet.length.pk, sheet.crack.pk}
    tally = S.lot_tally(sheet.ilot)
    ma = next(c for c in tally.classes if c.defect_class == "MA")
    assert (ma.nonconforming, ma.re, tally.proposal) == (2, 2, UsageDecision.REJECT)
    with pytest.raises(ValidationError) as refused:
        S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="accept",
                                note="客户急需")  # fmt: skip
    assert "Re = 2" in str(refused.value) or "Re = 2" in str(refused.value.message_dict)
    ilot = S.inspection_lot_decide(
        actor=org.inspector, inspection_lot=sheet.ilot, decision="reject"
    )
    assert (ilot.status, ilot.decision, ilot.nonconforming) == ("decided", "reject", 2)
    assert LotSampling.objects.get(inspection_lot=ilot, defect_class="MA").nonconforming == 2
    ilot.lot.refresh_from_db()
    assert ilot.lot.stock_status == StockStatus.REJECTED
    assert heard.of(events.lot_rejected)[0]["lot"] == ilot.lot
    assert heard.of(events.inspection_failed)[0]["inspection_lot"] == ilot
    assert heard.of(signals.lot_decided)[0]["inspection_lot"] == ilot
    with pytest.raises(PermissionDenied):
        stock.lot_release(actor=org.cqo, lot=ilot.lot, reason="急用")
    assert AuditEvent.objects.filter(action="inspection.inspectionlot.decide").count() == 1


def test_a_lot_within_its_acceptance_numbers_is_accepted_and_released(
    org: Org, sheet: Sheet, heard: Any
) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot,
                     rows=full_rows(sheet, bad_bore=(4,)))  # fmt: skip
    ilot = S.inspection_lot_decide(
        actor=org.inspector, inspection_lot=sheet.ilot, decision="accept"
    )
    ilot.lot.refresh_from_db()
    assert ilot.decision == "accept" and ilot.lot.stock_status == StockStatus.RELEASED
    assert not heard.of(events.lot_rejected) and not heard.of(events.inspection_failed)


def test_the_switching_stream_hears_the_class_that_decided(org: Org, sheet: Sheet) -> None:
    calls: list[dict[str, Any]] = []
    original = S.switching.stream_record

    def record(**kwargs: Any) -> None:
        calls.append(kwargs)

    S.switching.stream_record = record  # type: ignore[assignment]
    try:
        S.results_record(actor=org.inspector, inspection_lot=sheet.ilot,
                         rows=full_rows(sheet, cracked=(5,)))  # fmt: skip
        S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="reject")
    finally:
        S.switching.stream_record = original  # type: ignore[assignment]
    [call] = calls
    assert (call["accepted"], call["nonconforming"], call["ac"], call["re"]) == (False, 1, 0, 1)
    assert call["stream"] == sheet.ilot.stream and call["inspection_lot"] == sheet.ilot


def test_rejecting_a_lot_the_numbers_accept_needs_a_reason(org: Org, sheet: Sheet) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet))
    with pytest.raises(ValidationError) as refused:
        S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="reject")
    assert "note" in refused.value.message_dict
    ilot = S.inspection_lot_decide(
        actor=org.inspector, inspection_lot=sheet.ilot, decision="reject", note="包装破损受潮"
    )
    assert ilot.decision_note == "包装破损受潮"


def test_a_decision_on_fewer_results_than_n_needs_a_reason_kept_on_the_lot(
    org: Org, sheet: Sheet
) -> None:
    rows = [r for r in full_rows(sheet) if not (r["sample_no"] == 13 and "value" in r)]
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=rows)
    with pytest.raises(ValidationError) as refused:
        S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="accept")
    assert "BORE" in refused.value.message_dict["sample_count_reason"][0]
    ilot = S.inspection_lot_decide(
        actor=org.inspector,
        inspection_lot=sheet.ilot,
        decision="accept",
        sample_count_reason="第 13 件在运输中损坏",
    )
    assert "损坏" in ilot.sample_count_reason


def test_only_inspectors_and_quality_engineers_record_and_decide(org: Org, sheet: Sheet) -> None:
    for who in (org.auditor, org.head, org.principal):
        with pytest.raises(PermissionDenied):
            S.results_record(actor=who, inspection_lot=sheet.ilot, rows=full_rows(sheet))
        with pytest.raises(PermissionDenied):
            S.inspection_lot_decide(actor=who, inspection_lot=sheet.ilot, decision="accept")
    assert not Measurement.objects.exists()


# --- saving results -------------------------------------------------------------------------------


def test_one_save_writes_one_audit_event_with_the_digest_of_its_rows(
    org: Org, sheet: Sheet
) -> None:
    before = AuditEvent.objects.count()
    saved = S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert event.action == "inspection.results.record"
    assert event.after["bulk"]["count"] == 39
    stored = Measurement.objects.filter(inspection_lot=sheet.ilot)
    assert event.after["bulk"]["sha256"] == bulk.rows_digest(stored)
    assert event.after["bulk"]["sha256"] == bulk.rows_digest(saved.created)
    Measurement.objects.filter(pk=stored.first().pk).update(value=Decimal("10.04"))  # type: ignore[union-attr]
    assert event.after["bulk"]["sha256"] != bulk.rows_digest(Measurement.objects.filter(
        inspection_lot=sheet.ilot))  # fmt: skip
    sheet.ilot.refresh_from_db()
    assert sheet.ilot.status == InspectionStatus.IN_PROGRESS
    assert sheet.ilot.inspector == org.inspector
    assert verify_chain() is None


def test_a_cell_out_of_its_limits_is_flagged_as_it_is_saved(org: Org, sheet: Sheet) -> None:
    saved = S.results_record(
        actor=org.inspector,
        inspection_lot=sheet.ilot,
        rows=[
            {"characteristic_id": sheet.bore.pk, "sample_no": 1, "value": "9.95"},
            {"characteristic_id": sheet.bore.pk, "sample_no": 2, "value": "9.949"},
            {"characteristic_id": sheet.bore.pk, "sample_no": 3, "value": "10.05"},
            {"characteristic": "CRACK", "sample_no": 1, "conforming": "不合格"},
            {"characteristic": "CRACK", "sample_no": 2, "conforming": "pass"},
        ],
    )
    flags = {(m.characteristic_id, m.sample_no): m.conforming for m in saved.created}
    assert flags == {
        (sheet.bore.pk, 1): True,
        (sheet.bore.pk, 2): False,
        (sheet.bore.pk, 3): True,
        (sheet.crack.pk, 1): False,
        (sheet.crack.pk, 2): True,
    }
    assert Measurement.objects.get(characteristic=sheet.crack, sample_no=1).defects == 1


def test_re_sending_the_same_results_changes_nothing(org: Org, sheet: Sheet) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet))
    events_before = AuditEvent.objects.count()
    again = S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet))
    assert again.unchanged == 39 and not again.created
    assert AuditEvent.objects.count() == events_before


def test_a_correction_voids_the_old_result_with_its_reason(org: Org, sheet: Sheet) -> None:
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet))
    row = {"characteristic_id": sheet.bore.pk, "sample_no": 3, "value": "10.02"}
    with pytest.raises(ValidationError) as refused:
        S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=[row])
    assert "already has a result" in str(refused.value.message_dict["rows"])
    fixed = S.results_record(
        actor=org.inspector, inspection_lot=sheet.ilot, rows=[row], correction_reason="抄错"
    )
    assert fixed.voided == 1
    old = Measurement.objects.get(characteristic=sheet.bore, sample_no=3, voided_at__isnull=False)
    assert old.void_reason == "抄错" and old.value == Decimal("10.01")
    live = Measurement.objects.get(characteristic=sheet.bore, sample_no=3, voided_at__isnull=True)
    assert live.value == Decimal("10.02")


def test_voiding_a_result_needs_a_reason_and_is_audited(org: Org, sheet: Sheet) -> None:
    saved = S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet))
    m = saved.created[0]
    with pytest.raises(ValidationError):
        S.measurement_void(actor=org.inspector, measurement=m, reason=" ")
    S.measurement_void(actor=org.inspector, measurement=m, reason="量具未归零")
    m.refresh_from_db()
    assert m.void_reason == "量具未归零"
    assert AuditEvent.objects.filter(action="inspection.measurement.void").count() == 1
    S.results_record(
        actor=org.inspector,
        inspection_lot=sheet.ilot,
        rows=[{"characteristic_id": m.characteristic_id, "sample_no": m.sample_no, "value": "10"}],
    )


def test_saving_a_lot_takes_the_same_few_queries_whatever_its_size(org: Org) -> None:
    warm = inspection_lot(org.engineer, n_ma=5, n_cr=5)
    S.results_record(actor=org.inspector, inspection_lot=warm.ilot, rows=full_rows(warm))
    small = inspection_lot(org.engineer, n_ma=5, n_cr=5)
    big = inspection_lot(org.engineer, n_ma=315, n_cr=315, characteristics=7, quantity="5000")
    rows = full_rows(small)
    with CaptureQueriesContext(connection) as few:
        S.results_record(actor=org.inspector, inspection_lot=small.ilot, rows=rows)
    rows = full_rows(big) + [
        {"characteristic": f"D{i:02d}", "sample_no": no, "value": "10"}
        for i in range(7)
        for no in range(1, 316)
    ]
    assert len(rows) == 315 * 10
    with CaptureQueriesContext(connection) as many:
        started = time.perf_counter()
        saved = S.results_record(actor=org.inspector, inspection_lot=big.ilot, rows=rows)
        print(f"3150 results saved in {time.perf_counter() - started:.3f} s")
    assert len(saved.created) == 3150

    def others(queries: CaptureQueriesContext) -> int:
        # bulk_create sends the rows in batches (as many as the database takes per statement).
        return sum(1 for q in queries.captured_queries if not q["sql"].startswith("INSERT"))

    assert others(many) == others(few)


# --- bad input ------------------------------------------------------------------------------


def _nothing_written(sheet: Sheet) -> None:
    assert not Measurement.objects.filter(inspection_lot=sheet.ilot).exists()
    assert not AuditEvent.objects.filter(action="inspection.results.record").exists()


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ({"characteristic": "BORE", "sample_no": 1, "value": "十点零一"}, "value", "not a number"),
        ({"characteristic": "BORE", "sample_no": 1, "value": "nan"}, "value", "finite"),
        ({"characteristic": "BORE", "sample_no": 1}, "value", "measured value"),
        ({"characteristic": "BORE", "sample_no": 0, "value": "10"}, "sample_no", "at least 1"),
        ({"characteristic": "BORE", "sample_no": 14, "value": "10"}, "sample_no", "n = 13"),
        ({"characteristic": "BORE", "sample_no": 501, "value": "10"}, "sample_no", "lot size"),
        ({"characteristic": "NOPE", "sample_no": 1, "value": "10"}, "characteristic", "NOPE"),
        ({"characteristic_id": 999999, "sample_no": 1, "value": "10"}, "characteristic_id",
         "999999"),
        ({"characteristic": "BORE", "sample_no": 1, "value": "10", "instrument": "X-1"},
         "instrument", "X-1"),
        ({"characteristic": "CRACK", "sample_no": 1, "value": "3"}, "value", "counted"),
        ({"characteristic": "CRACK", "sample_no": 1}, "defects", "number of defects"),
        ({"characteristic": "CRACK", "sample_no": 1, "defects": -1}, "defects", "at least 0"),
        ({"characteristic": "CRACK", "sample_no": 1, "defects": 2, "conforming": "pass"},
         "conforming", "contradicts"),
    ],
)  # fmt: skip
def test_a_bad_row_is_refused_naming_its_row_and_field_and_nothing_is_written(
    org: Org, sheet: Sheet, row: dict[str, Any], field: str, words: str
) -> None:
    good = {"characteristic": "LEN", "sample_no": 1, "value": "10"}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=[good, row])
    [message] = refused.value.message_dict["rows"]
    assert message.startswith(f"Row 2, {field}: ") and words in message, message
    _nothing_written(sheet)


def test_the_error_is_in_the_users_language(org: Org, sheet: Sheet) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        S.results_record(
            actor=org.inspector,
            inspection_lot=sheet.ilot,
            rows=[{"characteristic": "BORE", "sample_no": 1, "value": "abc"}],
        )
    message = refused.value.message_dict["rows"][0]
    assert "第 1 行" in message and "不是数字" in message, message


def test_an_out_of_service_instrument_and_a_duplicate_unit_are_refused(
    org: Org, sheet: Sheet
) -> None:
    sheet.caliper.status = InstrumentStatus.OUT_OF_SERVICE
    sheet.caliper.save()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        S.results_record(
            actor=org.inspector,
            inspection_lot=sheet.ilot,
            rows=[
                {"characteristic": "BORE", "sample_no": 1, "value": "10",
                 "instrument_id": sheet.caliper.pk},
                {"characteristic": "LEN", "sample_no": 1, "value": "10"},
                {"characteristic": "LEN", "sample_no": 1, "value": "10.01"},
            ],
        )  # fmt: skip
    messages = refused.value.message_dict["rows"]
    assert "out of service" in messages[0] and "given twice" in messages[1]
    _nothing_written(sheet)


def test_units_beyond_n_are_recorded_only_with_a_reason_kept_on_the_lot(
    org: Org, sheet: Sheet
) -> None:
    row = {"characteristic": "BORE", "sample_no": 14, "value": "10"}
    S.results_record(
        actor=org.inspector, inspection_lot=sheet.ilot, rows=[row], reason="多抽 1 件复核"
    )
    sheet.ilot.refresh_from_db()
    assert sheet.ilot.sample_count_reason == "多抽 1 件复核"


def test_a_result_on_a_decided_lot_is_refused(org: Org, sheet: Sheet) -> None:
    saved = S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet))
    S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="accept")
    with pytest.raises(ValidationError) as refused:
        S.results_record(
            actor=org.inspector,
            inspection_lot=sheet.ilot,
            rows=[{"characteristic": "BORE", "sample_no": 1, "value": "10.2"}],
            correction_reason="补录",
        )
    assert "inspection_lot" in refused.value.message_dict
    with pytest.raises(ValidationError):
        S.measurement_void(actor=org.inspector, measurement=saved.created[0], reason="x")
    with pytest.raises(ValidationError):
        S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="reject",
                                note="再判")  # fmt: skip


@pytest.mark.parametrize("rows", [[], "abc", {"a": 1}, [1, 2]])
def test_rows_that_are_not_a_list_of_results_are_refused(org: Org, sheet: Sheet, rows: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        S.results_record(actor=org.inspector, inspection_lot=sheet.ilot, rows=rows)
    assert "rows" in refused.value.message_dict
    _nothing_written(sheet)


# --- many lots at once, and Excel -----------------------------------------------------------------


def test_a_bulk_post_across_lots_is_all_or_nothing_naming_the_row(org: Org) -> None:
    a = inspection_lot(org.engineer)
    b = inspection_lot(org.engineer)
    rows = [
        {"inspection_lot": a.ilot.pk, "characteristic": "BORE", "sample_no": 1, "value": "10"},
        {"inspection_lot_number": b.ilot.number, "characteristic": "BORE", "sample_no": 1,
         "value": "10.5"},
        {"inspection_lot_number": "IL-NONE", "characteristic": "BORE", "sample_no": 1,
         "value": "10"},
    ]  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        S.results_record_bulk(actor=org.inspector, rows=rows)
    assert refused.value.message_dict["rows"] == [
        "Row 3, inspection_lot: No inspection lot “IL-NONE”."
    ]
    rows[2]["inspection_lot_number"] = b.ilot.number
    rows[2]["sample_no"] = "x"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        S.results_record_bulk(actor=org.inspector, rows=rows)
    assert "Row 3, sample_no" in refused.value.message_dict["rows"][0]
    assert not Measurement.objects.exists()
    rows[2]["sample_no"] = 2
    saved = S.results_record_bulk(actor=org.inspector, rows=rows)
    assert [len(r.created) for r in saved] == [1, 2]
    assert AuditEvent.objects.filter(action="inspection.results.record").count() == 2


def _workbook(rows: list[list[Any]]) -> io.BytesIO:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["特性", "样本", "值", "缺陷数", "缺陷", "量具"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "results.xlsx"
    return out


def test_an_excel_import_names_the_row_and_column_of_an_error_and_writes_nothing(
    org: Org, sheet: Sheet
) -> None:
    file = _workbook(
        [
            ["BORE", 1, 10.01, None, None, sheet.caliper.number],
            ["BORE", 2, None, None, None, None],  # not filled in: skipped
            ["BORE", 3, "10,0x", None, None, None],
        ]
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        S.results_import(actor=org.inspector, inspection_lot=sheet.ilot, file=file)
    [message] = refused.value.message_dict["rows"]
    assert message.startswith("Row 4, C (Value): "), message
    _nothing_written(sheet)
    file = _workbook([["BORE", 1, 10.01, None, None, sheet.caliper.number],
                      ["CRACK", 1, None, 2, "裂纹", None]])  # fmt: skip
    saved = S.results_import(actor=org.inspector, inspection_lot=sheet.ilot, file=file)
    assert len(saved.created) == 2 and saved.nonconforming == 1


def test_a_file_that_is_not_a_workbook_is_refused(org: Org, sheet: Sheet) -> None:
    file = io.BytesIO(b"%PDF-1.4 not a workbook")
    with pytest.raises(ValidationError) as refused:
        S.results_import(actor=org.inspector, inspection_lot=sheet.ilot, file=file)
    assert "file" in refused.value.message_dict


# --- concessions (§6 c)) ---------------------------------------------------------------------------


def _rejected(org: Org, sheet: Sheet) -> None:
    _fail(org, sheet)
    S.inspection_lot_decide(actor=org.inspector, inspection_lot=sheet.ilot, decision="reject")


def _raise(org: Org, sheet: Sheet, actor: Any = None, **kwargs: Any) -> Concession:
    params: dict[str, Any] = {
        "quantity": "480",
        "reason": "孔径超上限 0.04 mm，装配验证不影响功能",
        "limits": "仅用于 2026 年 12 月订单，装配后 100% 检漏",
        "customer_consent_required": False,
    }
    params.update(kwargs)
    return S.concession_raise(actor=actor or org.engineer, inspection_lot=sheet.ilot, **params)


def test_a_concession_approved_by_the_cqo_with_an_e_signature_releases_the_lot_conditionally(
    org: Org, sheet: Sheet, heard: Any
) -> None:
    _rejected(org, sheet)
    concession = _raise(org, sheet)
    approval = concession.approval
    assert approval is not None and approval.kind == S.KIND_CONCESSION
    assert approval.status == ApprovalStatus.PENDING and approval.subject == concession
    decided = AS.approval_decide(
        actor=org.cqo, request=approval, decision="approve", reason="风险可控", password=PASSWORD
    )
    assert decided.status == ApprovalStatus.APPROVED
    concession.refresh_from_db()
    sheet.ilot.refresh_from_db()
    sheet.ilot.lot.refresh_from_db()
    assert concession.status == ConcessionStatus.APPROVED
    assert sheet.ilot.decision == UsageDecision.CONDITIONAL
    assert sheet.ilot.lot.stock_status == StockStatus.CONDITIONAL
    signature = decided_signature(decided)
    assert signature["subject_content"]["inspection_lot"] == sheet.ilot.number
    assert signature["subject_content"]["results"]["count"] == 39


def decided_signature(request: ApprovalRequest) -> dict[str, Any]:
    return AS.approval_content(request)


def test_a_rejected_concession_leaves_the_lot_rejected(org: Org, sheet: Sheet) -> None:
    _rejected(org, sheet)
    concession = _raise(org, sheet)
    assert concession.approval is not None
    AS.approval_decide(actor=org.cqo, request=concession.approval, decision="reject",
                       reason="风险不可接受", password=PASSWORD)  # fmt: skip
    concession.refresh_from_db()
    sheet.ilot.lot.refresh_from_db()
    assert concession.status == ConcessionStatus.REJECTED
    assert sheet.ilot.lot.stock_status == StockStatus.REJECTED


def test_a_concession_needing_the_customers_consent_is_approved_only_once_it_is_recorded(
    org: Org, sheet: Sheet
) -> None:
    _rejected(org, sheet)
    concession = _raise(org, sheet, customer_consent_required=True)
    assert concession.approval is not None
    with pytest.raises(ValidationError) as refused:
        AS.approval_decide(actor=org.cqo, request=concession.approval, decision="approve",
                           reason="同意", password=PASSWORD)  # fmt: skip
    assert "customer_consent" in refused.value.message_dict
    concession.approval.refresh_from_db()
    assert concession.approval.status == ApprovalStatus.PENDING
    S.concession_consent_record(actor=org.engineer, concession=concession,
                                customer_consent="客户函 KH-2026-118")  # fmt: skip
    AS.approval_decide(actor=org.cqo, request=concession.approval, decision="approve",
                       reason="同意", password=PASSWORD)  # fmt: skip
    concession.refresh_from_db()
    assert concession.status == ConcessionStatus.APPROVED


def test_nobody_approves_a_concession_they_raised(org: Org, sheet: Sheet) -> None:
    _rejected(org, sheet)
    concession = _raise(org, sheet, actor=org.cqo)
    assert concession.approval is not None
    with pytest.raises(SegregationOfDutiesError):
        AS.approval_decide(actor=org.cqo, request=concession.approval, decision="approve",
                           reason="同意", password=PASSWORD)  # fmt: skip
    concession.refresh_from_db()
    assert concession.status == ConcessionStatus.SUBMITTED
    # The CQO's own request goes to the principal.
    AS.approval_decide(actor=org.principal, request=concession.approval, decision="approve",
                       reason="同意", password=PASSWORD)  # fmt: skip
    concession.refresh_from_db()
    assert concession.status == ConcessionStatus.APPROVED


def test_an_inspector_cannot_approve_a_concession(org: Org, sheet: Sheet) -> None:
    _rejected(org, sheet)
    concession = _raise(org, sheet)
    assert concession.approval is not None
    with pytest.raises(PermissionDenied):
        AS.approval_decide(actor=org.inspector, request=concession.approval, decision="approve",
                           reason="同意", password=PASSWORD)  # fmt: skip


def test_a_concession_is_raised_only_on_a_rejected_lot_within_its_quantity(
    org: Org, sheet: Sheet
) -> None:
    with pytest.raises(ValidationError) as refused:
        _raise(org, sheet)
    assert "inspection_lot" in refused.value.message_dict
    _rejected(org, sheet)
    for bad, field in (("0", "quantity"), ("abc", "quantity"), ("501", "quantity")):
        with pytest.raises(ValidationError) as refused:
            _raise(org, sheet, quantity=bad)
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _raise(org, sheet, limits=" ")
    assert "limits" in refused.value.message_dict
    assert not Concession.objects.exists() and not ApprovalRequest.objects.exists()
    _raise(org, sheet)
    with pytest.raises(ValidationError):
        _raise(org, sheet, quantity="1")


def test_withdrawing_the_request_withdraws_the_concession(org: Org, sheet: Sheet) -> None:
    _rejected(org, sheet)
    concession = _raise(org, sheet)
    assert concession.approval is not None
    AS.approval_withdraw(actor=org.engineer, request=concession.approval, reason="改为退货")
    concession.refresh_from_db()
    assert concession.status == ConcessionStatus.WITHDRAWN


# --- dispositions -------------------------------------------------------------------------------


def test_a_rejected_lot_is_disposed_of_within_its_quantity(org: Org, sheet: Sheet) -> None:
    with pytest.raises(ValidationError):
        S.disposition_record(actor=org.engineer, inspection_lot=sheet.ilot, kind="scrap",
                             quantity="1")  # fmt: skip
    _rejected(org, sheet)
    S.disposition_record(actor=org.engineer, inspection_lot=sheet.ilot, kind="return",
                         quantity="450", note="退回供应商")  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        S.disposition_record(actor=org.engineer, inspection_lot=sheet.ilot, kind="scrap",
                             quantity="51")  # fmt: skip
    assert "at most 50 remains" in refused.value.message_dict["quantity"][0]
    with pytest.raises(ValidationError) as refused:
        S.disposition_record(actor=org.engineer, inspection_lot=sheet.ilot, kind="burn",
                             quantity="1")  # fmt: skip
    assert "kind" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        S.disposition_record(actor=org.auditor, inspection_lot=sheet.ilot, kind="scrap",
                             quantity="1")  # fmt: skip
    scrap = S.disposition_record(actor=org.engineer, inspection_lot=sheet.ilot, kind="scrap",
                                 quantity="50")  # fmt: skip
    assert Disposition.objects.filter(inspection_lot=sheet.ilot).count() == 2
    S.disposition_void(actor=org.engineer, disposition=scrap, reason="录错数量")
    assert AuditEvent.objects.filter(action="inspection.disposition.void").count() == 1
