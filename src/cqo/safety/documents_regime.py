"""The three records in the forms a market-regulation inspector asks for: 《每日质量安全检查记录》,
《每周质量安全排查治理报告》 and 《每月质量安全调度会议纪要》, each as a PDF (``core.pdf``) and as a
workbook (``core.exports``: typed text is never read as a formula). Built from the records only."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.pdf import render_pdf
from cqo.organisation.selectors import enterprise_current

from . import selectors_regime as sel
from .models_regime import DailyRecord, MonthlyDispatch, WeeklyReport


def _name(user: Any) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def _local(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _enterprise() -> str:
    enterprise = enterprise_current()
    return enterprise.name if enterprise is not None else ""


# --- PDF ----------------------------------------------------------------------------------------


def daily_pdf(record: DailyRecord, *, language: str) -> bytes:
    return render_pdf("safety/regime_pdf_daily.html", {
        "record": record, "checks": list(record.checks.all()), "enterprise": _enterprise(),
        "recorder": _name(record.recorded_by), "document_id": f"RC-D-{record.day:%Y%m%d}",
    }, language=language)  # fmt: skip


def weekly_pdf(report: WeeklyReport, *, language: str) -> bytes:
    tasks = list(
        report.tasks.filter(voided_at__isnull=True).select_related("owner", "owner__person")
    )
    return render_pdf("safety/regime_pdf_weekly.html", {
        "report": report, "tasks": tasks, "enterprise": _enterprise(),
        "writer": _name(report.written_by), "owners": {t.pk: _name(t.owner) for t in tasks},
        "document_id": f"RC-W-{report.week_start:%Y%m%d}",
    }, language=language)  # fmt: skip


def monthly_pdf(dispatch: MonthlyDispatch, *, language: str) -> bytes:
    tasks = list(dispatch.tasks.filter(voided_at__isnull=True).select_related("owner",
                                                                              "owner__person"))  # fmt: skip
    return render_pdf("safety/regime_pdf_monthly.html", {
        "dispatch": dispatch, "tasks": tasks, "enterprise": _enterprise(),
        "reporter": _name(dispatch.reported_by), "chair": _name(dispatch.chaired_by),
        "owners": {t.pk: _name(t.owner) for t in tasks},
        "document_id": f"RC-M-{dispatch.month:%Y%m}",
    }, language=language)  # fmt: skip


# --- workbooks ----------------------------------------------------------------------------------


def dailies_xlsx(user: Any, month: datetime.date, *, language: str) -> bytes:
    """Every daily check of a month, one row each, under the record's title."""
    first = sel.month_start(month)
    last = sel.next_month(first) - datetime.timedelta(days=1)
    records = (
        sel.dailies_visible(user).filter(day__range=(first, last)).order_by("day")
        .select_related("recorded_by__person").prefetch_related("checks")
    )  # fmt: skip
    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = first.strftime("%Y-%m")
        sheet_append(ws, [_("Daily quality-safety check record"), _enterprise(),
                          first.strftime("%Y-%m")])  # fmt: skip
        sheet_append(ws, [
            _("Day"), _("Control code"), _("Control"), _("Risk"), _("Done"), _("What was found"),
            _("Photo"), _("Recorded by"), _("Recorded at"),
        ])  # fmt: skip
        for record in records:
            for check in record.checks.all():
                sheet_append(ws, [
                    record.day, check.control_code, check.control_text, check.risk_code,
                    _("yes") if check.done else _("no"), check.finding,
                    _("yes") if check.photo else "", _name(record.recorded_by),
                    _local(record.recorded_at),
                ])  # fmt: skip
        return xlsx_bytes(wb)


def weekly_xlsx(report: WeeklyReport, *, language: str) -> bytes:
    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = report.week_start.strftime("%Y-%m-%d")
        sheet_append(ws, [_("Weekly quality-safety check and rectification report"),
                          _enterprise()])  # fmt: skip
        for label, value in (
            (_("Week"), f"{report.week_start.isoformat()} – {report.week_end.isoformat()}"),
            (_("Written by"), _name(report.written_by)),
            (_("Written at"), _local(report.written_at)),
            (_("How the week's controls went"), report.summary),
            (_("Problems found"), report.problems),
            (_("Conclusion and next week's focus"), report.conclusion),
            (_("Days recorded"), report.figures.get("days_recorded", 0)),
            (_("Checks not done"), report.figures.get("not_done", 0)),
            (_("Findings"), report.figures.get("findings", 0)),
        ):
            sheet_append(ws, [label, value])
        sheet_append(ws, [])
        _tasks_rows(ws, report.tasks.filter(voided_at__isnull=True).select_related("owner__person"))
        return xlsx_bytes(wb)


def monthly_xlsx(dispatch: MonthlyDispatch, *, language: str) -> bytes:
    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = dispatch.month.strftime("%Y-%m")
        sheet_append(ws, [_("Monthly quality-safety dispatch meeting minutes"), _enterprise()])
        f = dispatch.figures
        for label, value in (
            (_("Month"), dispatch.month.strftime("%Y-%m")),
            (_("Status"), dispatch.get_status_display()),
            (_("The CQO's report on the month"), dispatch.report),
            (_("Reported by"), _name(dispatch.reported_by)),
            (_("Meeting held on"), dispatch.held_on or ""),
            (_("Chaired by"), _name(dispatch.chaired_by)),
            (_("Attendees"), dispatch.attendees),
            (_("Decisions"), dispatch.decisions),
            (_("Days recorded"), f.get("days_recorded", 0)),
            (_("Days expected"), f.get("days_expected", 0)),
            (_("Weekly reports"), f.get("weekly_reports", 0)),
            (_("Open rectification tasks"), f.get("tasks_open", 0)),
        ):
            sheet_append(ws, [label, value])
        sheet_append(ws, [])
        _tasks_rows(ws, dispatch.tasks.filter(voided_at__isnull=True)
                    .select_related("owner__person"))  # fmt: skip
        return xlsx_bytes(wb)


def _tasks_rows(ws: Any, tasks: Any) -> None:
    sheet_append(ws, [_("Number"), _("Problem"), _("Rectification required"), _("Owner"),
                      _("Deadline"), _("Status"), _("Evidence of rectification"),
                      _("Closed at")])  # fmt: skip
    for t in tasks:
        sheet_append(ws, [t.number, t.problem, t.action, _name(t.owner), t.deadline,
                          t.get_status_display(), t.evidence, _local(t.closed_at)])  # fmt: skip
