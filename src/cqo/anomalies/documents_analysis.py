"""The analysis of nonconformances as charts (ECharts options for the page and the workbench
panels) and as workbooks (through ``cqo.core.exports``, formula-safe)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

from .models import Anomaly, AnomalyStatus
from .selectors_analysis import (
    DEFINITIONS,
    DIMENSIONS,
    MEASURES,
    Ageing,
    ParetoData,
    Trend,
    days_open,
)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def status_label(status: str) -> str:
    return str(AnomalyStatus(status).label) if status in AnomalyStatus.values else status


# --- charts -------------------------------------------------------------------------------------


def pareto_chart(data: ParetoData, *, top: int = 15) -> dict[str, Any]:
    """Bars by category (the largest first) and the cumulative percentage as a line."""
    shown = list(data.rows)[:top]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 50, "right": 50, "top": 30, "bottom": 90},
        "xAxis": {
            "type": "category",
            "data": [p.category for p in shown],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": [
            {"type": "value", "name": str(MEASURES[data.measure])},
            {"type": "value", "max": 100, "name": "%"},
        ],
        "series": [
            {
                "name": str(MEASURES[data.measure]),
                "type": "bar",
                "data": [_round(p.count, 3) for p in shown],
            },
            {
                "name": _("Cumulative %"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [_round(p.cumulative_percent) for p in shown],
                "markLine": {"silent": True, "symbol": "none", "data": [{"yAxis": 80}]},
            },
        ],
    }


def ageing_chart(data: Ageing) -> dict[str, Any]:
    """Open NCRs per age bucket, stacked by status."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 10, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": data.labels},
        "yAxis": {"type": "value"},
        "series": [
            {"name": status_label(status), "type": "bar", "stack": "age", "data": counts}
            for status, counts in data.by_status.items()
        ],
    }


def trend_chart(data: Trend) -> dict[str, Any]:
    """NCRs found and closed per month (bars), the median closure time and the repeat rate
    (lines)."""
    months = [m.month.strftime("%Y-%m") for m in data.months]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 60, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [
            {"type": "value", "name": _("Number of NCRs")},
            {"type": "value", "name": _("days / %")},
        ],
        "series": [
            {"name": _("Found"), "type": "bar", "data": [m.found for m in data.months]},
            {"name": _("Closed"), "type": "bar", "data": [m.closed for m in data.months]},
            {
                "name": _("Closure time, median (days)"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [_round(m.closure.median) for m in data.months],
            },
            {
                "name": _("Repeat rate (%)"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [_round(m.repeat_rate) for m in data.months],
            },
        ],
    }


# --- workbooks ----------------------------------------------------------------------------------


def _bold_header(ws: Any) -> None:
    from openpyxl.styles import Font

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def _about(wb: Any, months: int) -> None:
    meta = wb.create_sheet(_("About")[:31])
    sheet_append(meta, [_("Generated at"), timezone.localtime().replace(tzinfo=None)])
    sheet_append(meta, [_("Period (months)"), months])
    sheet_append(meta, [_("Basis"), "DB50/T 1696-2024 §6 c), §7.1.4"])
    for key, text in DEFINITIONS.items():
        sheet_append(meta, [key, str(text)])


def _pareto_sheet(wb: Any, data: ParetoData) -> None:
    ws = wb.create_sheet(f"{_('Pareto')} {DIMENSIONS[data.by]}"[:31])
    sheet_append(
        ws,
        [str(DIMENSIONS[data.by]), str(MEASURES[data.measure]), _("Percent"), _("Cumulative %")],
    )
    _bold_header(ws)
    for p in data.rows:
        sheet_append(
            ws,
            [p.category, _round(p.count, 3), _round(p.percent, 2), _round(p.cumulative_percent, 2)],
        )


def analysis_xlsx(
    *,
    paretos: Iterable[ParetoData],
    ageing: Ageing,
    trend: Trend,
    months: int,
    language: str,
) -> bytes:
    """The whole analysis: the monthly trend, the ageing, a Pareto per dimension."""
    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = _("Monthly trend")[:31]
        sheet_append(
            ws,
            [
                _("Month"),
                _("Found"),
                _("Nonconforming quantity"),
                _("Closed"),
                _("Closure time, median (days)"),
                _("Closure time, P90 (days)"),
                _("Defects found"),
                _("Repeats"),
                _("Repeat rate (%)"),
            ],
        )
        _bold_header(ws)
        for m in trend.months:
            sheet_append(
                ws,
                [
                    m.month.strftime("%Y-%m"),
                    m.found,
                    round(m.quantity, 3),
                    m.closed,
                    _round(m.closure.median),
                    _round(m.closure.p90),
                    m.defects,
                    m.repeats,
                    _round(m.repeat_rate),
                ],
            )
        sheet_append(
            ws,
            [
                _("Total"),
                trend.found,
                round(sum(m.quantity for m in trend.months), 3),
                trend.closed,
                _round(trend.closure.median),
                _round(trend.closure.p90),
                trend.repeat.occurrences,
                trend.repeat.repeats,
                _round(trend.repeat.rate),
            ],
        )
        age = wb.create_sheet(_("Ageing")[:31])
        sheet_append(age, [_("Status"), *ageing.labels, _("Total")])
        _bold_header(age)
        for status, counts in ageing.by_status.items():
            sheet_append(age, [status_label(status), *counts, sum(counts)])
        sheet_append(age, [_("Total"), *ageing.totals, ageing.total])
        for data in paretos:
            _pareto_sheet(wb, data)
        _about(wb, months)
        return xlsx_bytes(wb)


def open_ncrs_xlsx(rows: Iterable[Anomaly], *, language: str) -> bytes:
    """The open NCRs, oldest first, with their age."""
    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = _("Open NCRs")[:31]
        sheet_append(
            ws,
            [
                _("NCR number"),
                _("Title"),
                _("Status"),
                _("Part number"),
                _("Supplier"),
                _("Nonconforming quantity"),
                _("Found on"),
                _("Raised at"),
                _("Age (days)"),
                _("Owner"),
            ],
        )
        _bold_header(ws)
        now = timezone.now()
        for a in rows:
            sheet_append(
                ws,
                [
                    a.number,
                    a.title,
                    status_label(a.status),
                    a.item.part_number if a.item else "",
                    a.supplier.code if a.supplier else "",
                    float(a.quantity or 0),
                    a.found_on,
                    timezone.localtime(a.raised_at).replace(tzinfo=None) if a.raised_at else None,
                    days_open(a.raised_at, now=now) if a.raised_at else None,
                    str(a.owner) if a.owner else "",
                ],
            )
        return xlsx_bytes(wb)
