"""The quality-cost ledger's rules (§7.1.5, §7.2.3.7): lines in Decimal yuan typed with the chart,
refusals naming the field and clause, reversals instead of edits, the monthly close, the copy of
the registered cost sources (once each, linked, reversed when the record is voided), finance's
figures kept by finance only, and imports that write all or nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.costs import selectors_ledger as sel
from cqo.costs import services_ledger as S
from cqo.costs.models_ledger import (
    BaseFigure,
    JobKind,
    JobStatus,
    LedgerLine,
    LineOrigin,
    MonthClose,
    MonthTotal,
)
from cqo.testing.ledger import fake_source, finance_keeper, line, workbook
from cqo.testing.world import Org, today


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _month_ago(n: int = 1) -> datetime.date:
    month = today().replace(day=1)
    for _i in range(n):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def _message(exc: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(exc.value.message_dict[field])


def test_a_line_is_kept_in_decimal_yuan_with_its_category_from_the_chart(org: Org) -> None:
    entered = line(org, on=today(), item_code="i_scrap", amount="1250.5", unit=org.production)
    entered.refresh_from_db()
    assert entered.amount == Decimal("1250.50") and isinstance(entered.amount, Decimal)
    assert entered.category == "internal" and entered.month == today().replace(day=1)
    assert entered.origin == LineOrigin.MANUAL
    assert AuditEvent.objects.filter(action="costs.ledgerline.create").count() == 1


@pytest.mark.parametrize(("language", "words"), [("en", "is closed"), ("zh-hans", "已结账")])
def test_it_refuses_a_line_in_a_closed_month_naming_the_date_and_the_clause(
    org: Org, language: str, words: str
) -> None:
    month = _month_ago()
    S.month_close(actor=org.cqo, month=month)
    with translation.override(language), pytest.raises(ValidationError) as exc:
        line(org, on=month + datetime.timedelta(days=3))
    text = _message(exc, "date")
    assert words in text and "§7.1.5" in text
    assert not LedgerLine.objects.exists()


@pytest.mark.parametrize("code", ["x_unknown", "", "I_SCRAP"])
def test_it_refuses_an_unknown_cost_item_naming_the_field_and_clause(org: Org, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        line(org, on=today(), item_code=code)
    assert "§7.1.5" in _message(exc, "item_code")


@pytest.mark.parametrize("amount", ["abc", "12,5x", "1e400", "NaN", "", None, True, "0", "-5",
                                    "10.001"])  # fmt: skip
def test_it_refuses_an_amount_that_is_not_a_positive_number_in_yuan(org: Org, amount: Any) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        line(org, on=today(), amount=amount)
    assert "§7.1.5" in _message(exc, "amount")
    assert not LedgerLine.objects.exists()


def test_a_float_amount_is_read_through_its_text_and_never_rounded_silently(org: Org) -> None:
    entered = line(org, on=today(), amount=19.99)  # type: ignore[arg-type]
    entered.refresh_from_db()
    assert entered.amount == Decimal("19.99")
    with pytest.raises(ValidationError):
        line(org, on=today(), amount=0.1 + 0.2)  # type: ignore[arg-type]


def test_it_refuses_a_line_dated_in_the_future(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        line(org, on=today() + datetime.timedelta(days=1))
    assert "date" in exc.value.message_dict


def test_a_correction_is_a_reversal_in_an_open_month_and_the_line_is_never_changed(
    org: Org,
) -> None:
    month = _month_ago()
    wrong = line(org, on=month + datetime.timedelta(days=2), amount="500.00")
    S.month_close(actor=org.cqo, month=month)
    with pytest.raises(ValidationError) as exc:
        S.ledger_line_reverse(actor=org.cqo, line=wrong, reason="错", date=month)
    assert "date" in exc.value.message_dict
    reversal = S.ledger_line_reverse(actor=org.cqo, line=wrong, reason="金额错误")
    assert reversal.amount == Decimal("-500.00") and reversal.reverses == wrong
    assert reversal.date == today() and reversal.origin == LineOrigin.REVERSAL
    wrong.refresh_from_db()
    assert wrong.amount == Decimal("500.00")
    with pytest.raises(ValidationError) as exc:
        S.ledger_line_reverse(actor=org.cqo, line=wrong, reason="again")
    assert "line" in exc.value.message_dict
    with pytest.raises(ValidationError):
        S.ledger_line_reverse(actor=org.cqo, line=reversal, reason="reverse the reversal")
    totals = sel.ledger_totals(first=month, last=today(), by=("item_code",))
    assert totals == {("a_incoming",): Decimal("0.00")}


def test_a_reversal_needs_a_reason(org: Org) -> None:
    entered = line(org, on=today())
    with pytest.raises(ValidationError) as exc:
        S.ledger_line_reverse(actor=org.cqo, line=entered, reason="  ")
    assert "reason" in exc.value.message_dict


def test_closing_a_month_records_its_total_and_refuses_a_month_not_ended_or_closed_twice(
    org: Org,
) -> None:
    month = _month_ago()
    line(org, on=month, amount="10.00")
    line(org, on=month + datetime.timedelta(days=1), amount="5.25")
    closed = S.month_close(actor=org.cqo, month=month.strftime("%Y-%m"))
    assert closed.total == Decimal("15.25") and closed.lines == 2
    assert AuditEvent.objects.filter(action="costs.month.close").count() == 1
    with pytest.raises(ValidationError):
        S.month_close(actor=org.cqo, month=month)
    with pytest.raises(ValidationError) as exc:
        S.month_close(actor=org.cqo, month=today())
    assert "month" in exc.value.message_dict
    with pytest.raises(ValidationError):
        S.month_close(actor=org.cqo, month="not a month")


def test_the_report_reads_closed_months_from_their_totals_and_agrees_with_the_lines(
    org: Org,
) -> None:
    older, last_month = _month_ago(2), _month_ago(1)
    entries = [
        (older, "a_incoming", "100.10", org.production),
        (older + datetime.timedelta(days=20), "i_scrap", "250.00", org.production),
        (older + datetime.timedelta(days=3), "i_scrap", "30.05", org.qm),
        (last_month + datetime.timedelta(days=5), "p_training", "80.00", None),
        (last_month + datetime.timedelta(days=25), "i_scrap", "19.95", org.production),
        (today(), "i_scrap", "7.00", org.production),
    ]
    for on, code, amount, unit in entries:
        line(org, on=on, item_code=code, amount=amount, unit=unit)
    before = sel.report(first=older, last=today())
    matrix_before = sel.report_matrix(first=older, last=today())
    S.month_close(actor=org.cqo, month=older)
    S.month_close(actor=org.cqo, month=last_month)
    assert MonthTotal.objects.filter(month=older).count() == 3
    assert sum(t.total for t in MonthTotal.objects.all()) == Decimal("480.10")
    after = sel.report(first=older, last=today())
    assert after["total"] == before["total"] == Decimal("487.10")
    assert after["by_item"] == before["by_item"] and after["by_unit"] == before["by_unit"]
    assert sel.report_matrix(first=older, last=today()) == matrix_before
    by_unit = sel.ledger_totals(first=older, last=today(), by=("unit_id",))
    assert by_unit[(org.production.pk,)] == Decimal("377.05")
    # A period cutting a closed month by day reads that month's lines, not its totals.
    cut = sel.ledger_totals(first=older + datetime.timedelta(days=10), last=today(),
                            by=("item_code",))  # fmt: skip
    assert cut[("i_scrap",)] == Decimal("276.95") and ("a_incoming",) not in cut


def test_a_closed_months_totals_are_what_the_report_reads(org: Org) -> None:
    month = _month_ago()
    line(org, on=month, item_code="i_scrap", amount="40.00", unit=org.production)
    S.month_close(actor=org.cqo, month=month)
    MonthTotal.objects.filter(month=month).update(total=Decimal("41.00"))
    # The report reads the closed month from its totals (the test above shows they agree).
    assert sel.ledger_totals(first=month, last=sel.month_last(month), by=("item_code",)) == {
        ("i_scrap",): Decimal("41.00")
    }


def test_only_the_ledger_keepers_write_lines_and_close_months(org: Org) -> None:
    for who in (org.inspector, org.engineer, org.head, org.auditor, org.principal):
        with pytest.raises(PermissionDenied):
            line(org, on=today(), by=who)
        with pytest.raises(PermissionDenied):
            S.month_close(actor=who, month=_month_ago())
    assert line(org, on=today(), by=org.deputy).pk
    assert org.auditor.has_perm("costs.view_ledgerline")
    assert not org.inspector.has_perm("costs.view_ledgerline")
    assert not org.cqo.has_perm("costs.delete_ledgerline")
    assert not org.cqo.has_perm("costs.change_ledgerline")


def test_a_source_line_is_copied_once_linked_to_its_record(org: Org) -> None:
    with fake_source() as source:
        source.add("1", today(), "255.00", unit_id=org.production.pk)
        source.add("2", today(), "99.10", item_code="e_claims")
        first = S.ledger_sync(actor=org.cqo, first=_month_ago(), last=today())
        again = S.ledger_sync(actor=org.cqo, first=_month_ago(), last=today())
    assert first.written == 2 and again.written == 0
    copied = LedgerLine.objects.get(source_key="1")
    assert copied.origin == LineOrigin.SOURCE and copied.source == "test_source"
    assert copied.source_record == "REC-1" and copied.source_url == "/records/1/"
    assert copied.category == "internal" and copied.unit_id == org.production.pk
    assert first.status == JobStatus.DONE
    # One audit event for the pull, whose bulk digest covers the two lines.
    event = AuditEvent.objects.get(action="costs.ledger.sync")
    assert event.after["bulk"]["count"] == 2


def test_a_copied_line_whose_record_was_voided_is_reversed_not_deleted(org: Org) -> None:
    with fake_source() as source:
        source.add("7", today(), "300.00")
        S.ledger_sync(actor=org.cqo, first=today().replace(day=1), last=today())
        source.remove("7")
        job = S.ledger_sync(actor=org.cqo, first=today().replace(day=1), last=today())
        job_again = S.ledger_sync(actor=org.cqo, first=today().replace(day=1), last=today())
    assert job.written == 1 and job_again.written == 0
    copied = LedgerLine.objects.get(source_key="7")
    reversal = LedgerLine.objects.get(reverses=copied)
    assert reversal.amount == Decimal("-300.00") and reversal.origin == LineOrigin.REVERSAL


def test_a_source_line_of_a_closed_month_is_posted_in_the_first_open_month(org: Org) -> None:
    month = _month_ago()
    S.month_close(actor=org.cqo, month=month)
    with fake_source() as source:
        source.add("late", month + datetime.timedelta(days=4), "80.00")
        S.ledger_sync(actor=org.cqo, first=month, last=today())
    copied = LedgerLine.objects.get(source_key="late")
    assert copied.month == today().replace(day=1) and copied.date == today().replace(day=1)
    assert copied.source_date == month + datetime.timedelta(days=4)
    assert (month + datetime.timedelta(days=4)).isoformat() in copied.note
    assert MonthClose.objects.get(month=month).total == Decimal("0.00")


def test_closing_a_month_pulls_its_sources_first(org: Org) -> None:
    month = _month_ago()
    with fake_source() as source:
        source.add("c1", month + datetime.timedelta(days=1), "40.00")
        closed = S.month_close(actor=org.cqo, month=month)
    assert closed.total == Decimal("40.00") and closed.lines == 1


def test_the_chart_keeps_its_seeded_codes_and_takes_added_items_under_five_categories(
    org: Org,
) -> None:
    with pytest.raises(ValidationError) as exc:
        S.chart_item_add(actor=org.cqo, code="i_scrap", category="internal", name="重复")
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.chart_item_add(actor=org.cqo, code="x_new", category="other", name="")
    assert {"category", "name"} <= set(exc.value.message_dict)
    item = S.chart_item_add(actor=org.cqo, code="p_supplier", category="prevention",
                            name="供应商开发", name_en="Supplier development")  # fmt: skip
    assert ("p_supplier", "供应商开发") in sel.cost_item_choices()
    entered = line(org, on=today(), item_code="p_supplier")
    assert entered.category == "prevention"
    S.chart_item_void(actor=org.cqo, item=item, reason="不再使用")
    with pytest.raises(ValidationError):
        line(org, on=today(), item_code="p_supplier")
    with pytest.raises(ValidationError):  # a code is never reused, even voided
        S.chart_item_add(actor=org.cqo, code="p_supplier", category="prevention", name="再用")
    with pytest.raises(PermissionDenied):
        S.chart_item_add(actor=org.engineer, code="p_other", category="prevention", name="x")
    seeded = [c for c, _label in sel.cost_item_choices()]
    assert seeded[0] == "p_training" and "q_certification" in seeded


def test_finance_figures_are_entered_by_a_finance_keeper_only_and_a_new_one_replaces_the_old(
    org: Org,
) -> None:
    month = _month_ago()
    with pytest.raises(PermissionDenied):
        S.base_figure_set(actor=org.cqo, month=month, kind="sales", amount="1000000")
    keeper = finance_keeper(org)
    first = S.base_figure_set(actor=keeper, month=month, kind="sales", amount="1000000")
    second = S.base_figure_set(actor=keeper, month=month.strftime("%Y-%m"), kind="sales",
                               amount="1200000.00")  # fmt: skip
    first.refresh_from_db()
    assert first.voided_at is not None and second.amount == Decimal("1200000.00")
    loss = S.base_figure_set(actor=keeper, month=month, kind="profit", amount="-35000")
    assert loss.amount == Decimal("-35000.00")
    with pytest.raises(ValidationError) as exc:
        S.base_figure_set(actor=keeper, month=month, kind="sales", amount="-1")
    assert "amount" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.base_figure_set(actor=keeper, month="2099-01", kind="bogus", amount="x")
    assert {"month", "kind", "amount"} <= set(exc.value.message_dict)
    assert BaseFigure.objects.active().count() == 2


def test_a_ratio_without_finance_figure_is_missing_never_a_number(org: Org) -> None:
    keeper = finance_keeper(org)
    two, one = _month_ago(2), _month_ago(1)
    line(org, on=two, item_code="p_training", amount="100.00")
    line(org, on=two, item_code="a_final", amount="200.00")
    line(org, on=one, item_code="i_scrap", amount="600.00")
    line(org, on=one, item_code="e_claims", amount="100.00")
    S.base_figure_set(actor=keeper, month=two, kind="sales", amount="100000")
    data = sel.report(first=two, last=sel.month_last(one))
    assert data["total"] == Decimal("1000.00")
    rows = {r["month"]: r for r in data["month_rows"]}
    assert rows[two]["ratios"]["sales"] == Decimal("0.30")
    assert rows[one]["ratios"]["sales"] is None  # no figure for the month: missing
    assert rows[two]["ratios"]["output"] is None and rows[two]["ratios"]["profit"] is None
    assert data["ratios"]["sales"] is None  # the period lacks one month's figure
    S.base_figure_set(actor=keeper, month=one, kind="sales", amount="400000")
    data = sel.report(first=two, last=sel.month_last(one))
    assert data["ratios"]["sales"] == Decimal("0.20")
    assert data["structure"] == {
        "prevention": Decimal("10.0"), "appraisal": Decimal("20.0"), "failure": Decimal("70.0"),
    }  # fmt: skip
    assert [r["code"] for r in data["pareto"]] == ["i_scrap", "e_claims"]
    assert data["pareto"][-1]["cumulative"] == Decimal("100.0")


def test_a_period_without_lines_shows_no_structure_rather_than_zero_shares(org: Org) -> None:
    data = sel.report(first=_month_ago(), last=today())
    assert data["total"] == Decimal("0.00")
    assert data["structure"] == {"prevention": None, "appraisal": None, "failure": None}
    assert all(v is None for v in data["ratios"].values())


def test_ledger_totals_group_by_the_fields_asked_for(org: Org) -> None:
    line(org, on=today(), item_code="a_final", amount="10.00", unit=org.qm)
    line(org, on=today(), item_code="a_final", amount="2.50", unit=org.qm)
    line(org, on=today(), item_code="i_scrap", amount="1.00", unit=org.production)
    totals = sel.ledger_totals(first=today().replace(day=1), last=today())
    assert totals == {
        (org.qm.pk, "a_final"): Decimal("12.50"), (org.production.pk, "i_scrap"): Decimal("1.00"),
    }  # fmt: skip
    by_category = sel.ledger_totals(first=today(), last=today(), by=("category", "month"))
    assert by_category[("appraisal", today().replace(day=1))] == Decimal("12.50")
    with pytest.raises(ValueError):
        sel.ledger_totals(first=today(), last=today(), by=("note",))
    matrix = sel.report_matrix(first=today().replace(day=1), last=today())
    assert {(r["category"], r["unit_id"]): r["total"] for r in matrix} == {
        ("appraisal", org.qm.pk): Decimal("12.50"), ("internal", org.production.pk): Decimal("1.00"),
    }  # fmt: skip


LINE_HEADER = ["date", "item_code", "amount", "unit", "product", "supplier", "customer", "note"]


def _run(job: Any) -> Any:
    return S.job_execute(job.pk)


def test_an_import_of_lines_writes_all_rows_with_one_audit_event(org: Org) -> None:
    content = workbook(LINE_HEADER, [
        [today().isoformat(), "a_incoming", "120.50", "QM", None, None, None, "来料检验"],
        [today(), "i_scrap", 80, "PD", None, None, None, ""],
    ])  # fmt: skip
    job = _run(S.import_start(actor=org.cqo, kind=JobKind.LINES, file_name="m.xlsx",
                              content=content))  # fmt: skip
    assert job.status == JobStatus.DONE and job.written == 2 and job.errors == []
    lines = LedgerLine.objects.order_by("id")
    assert [x.amount for x in lines] == [Decimal("120.50"), Decimal("80.00")]
    assert {x.origin for x in lines} == {LineOrigin.IMPORT}
    assert lines[0].unit == org.qm and lines[0].source_record == "m.xlsx · 2"
    assert AuditEvent.objects.filter(action="costs.ledger.import").count() == 1
    assert bytes(job.content) == b""


def test_an_import_with_one_bad_row_writes_nothing_and_names_row_and_column(org: Org) -> None:
    month = _month_ago()
    S.month_close(actor=org.cqo, month=month)
    content = workbook(LINE_HEADER, [
        [today().isoformat(), "a_incoming", "120.50", "QM", None, None, None, ""],
        [today().isoformat(), "nope", "12", None, None, None, None, ""],
        [today().isoformat(), "a_final", "twelve", None, None, None, None, ""],
        [month.isoformat(), "a_final", "12", "ZZ", None, None, None, ""],
    ])  # fmt: skip
    with translation.override("en"):
        job = _run(S.import_start(actor=org.cqo, kind=JobKind.LINES, file_name="bad.xlsx",
                                  content=content))  # fmt: skip
    assert job.status == JobStatus.FAILED and job.written == 0
    assert not LedgerLine.objects.exists()
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {(3, "Cost item"), (4, "Amount (yuan)"), (5, "Date"), (5, "Unit code")}
    assert all("§7.1.5" in e["message"] for e in job.errors)


def test_an_import_that_is_not_a_workbook_or_misses_a_column_is_refused(org: Org) -> None:
    with pytest.raises(ValidationError):
        S.import_start(actor=org.cqo, kind=JobKind.LINES, file_name="x.csv", content=b"a,b\n")
    job = _run(
        S.import_start(
            actor=org.cqo,
            kind=JobKind.LINES,
            file_name="x.xlsx",
            content=workbook(["date", "amount"], [["2026-01-01", "1"]]),
        )
    )
    assert job.status == JobStatus.FAILED and job.errors[0]["row"] == 1
    broken = _run(S.import_start(actor=org.cqo, kind=JobKind.LINES, file_name="y.xlsx",
                                 content=b"PK\x03\x04not really a zip"))  # fmt: skip
    assert broken.status == JobStatus.FAILED
    with pytest.raises(PermissionDenied):
        S.import_start(actor=org.inspector, kind=JobKind.LINES, file_name="z.xlsx",
                       content=workbook(LINE_HEADER, []))  # fmt: skip


def test_finance_imports_a_month_of_figures_and_an_empty_cell_stays_missing(org: Org) -> None:
    keeper = finance_keeper(org)
    month = _month_ago()
    content = workbook(["month", "sales", "output", "profit", "note"], [
        [month.strftime("%Y-%m"), "6500000", "6890000.00", None, "财务月报"],
    ])  # fmt: skip
    with pytest.raises(PermissionDenied):
        S.import_start(actor=org.cqo, kind=JobKind.FIGURES, file_name="f.xlsx", content=content)
    job = _run(S.import_start(actor=keeper, kind=JobKind.FIGURES, file_name="f.xlsx",
                              content=content))  # fmt: skip
    assert job.status == JobStatus.DONE and job.written == 2
    figures = sel.base_figures(month, sel.month_last(month))
    assert figures[(month, "sales")].amount == Decimal("6500000.00")
    assert (month, "profit") not in figures
    bad = _run(
        S.import_start(
            actor=keeper,
            kind=JobKind.FIGURES,
            file_name="g.xlsx",
            content=workbook(["month", "sales"], [["13/2026", "x"], [month, None]]),
        )
    )
    assert bad.status == JobStatus.FAILED
    assert {e["row"] for e in bad.errors} == {2, 3}
