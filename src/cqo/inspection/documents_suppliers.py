"""Supplier quality as files: the ranking and a supplier's scorecard as workbooks (through
``cqo.core.exports``, formula-safe), the scorecard as a PDF (``cqo.core.pdf``), and the
scorecard's chart option for the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.pdf import render_pdf

from .selectors_suppliers import DEFINITIONS, ItemRow, Metrics, Scorecard, SupplierRow


def _metric_headers() -> list[str]:
    return [
        _("Number of lots"),
        _("Lots decided"),
        _("Lots accepted"),
        _("Lots rejected"),
        _("Lots under concession"),
        _("Acceptance rate (%)"),
        _("Nonconforming units found"),
        _("Units inspected"),
        _("Sample PPM"),
        _("Rejected-quantity PPM"),
        _("Lead time median (h)"),
        _("Lead time P90 (h)"),
    ]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _metric_cells(m: Metrics) -> list[Any]:
    return [
        m.lots,
        m.decided,
        m.accepted,
        m.rejected,
        m.conditional,
        _round(m.acceptance_rate, 2),
        m.nonconforming,
        float(m.inspected_units),
        _round(m.ppm, 1),
        _round(m.rejected_ppm, 1),
        _round(m.lead_median_hours, 2),
        _round(m.lead_p90_hours, 2),
    ]


def _bold_header(ws: Any) -> None:
    from openpyxl.styles import Font

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def _about(wb: Any, months: int) -> None:
    meta = wb.create_sheet(_("About")[:31])
    sheet_append(meta, [_("Generated at"), timezone.localtime().replace(tzinfo=None)])
    sheet_append(meta, [_("Period (months)"), months])
    sheet_append(meta, [_("Basis"), "DB50/T 1696-2024 §6 e), §7.1.5"])
    for key in ("month", "acceptance", "ppm", "rejected_ppm", "lead_time"):
        sheet_append(meta, [key, str(DEFINITIONS[key])])


def ranking_xlsx(rows: Sequence[SupplierRow], *, months: int, language: str) -> bytes:
    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = _("Supplier quality")[:31]
        sheet_append(
            ws,
            [_("Code"), _("Supplier"), _("Status"), *_metric_headers(), _("Switching state")],
        )
        _bold_header(ws)
        for row in rows:
            sheet_append(
                ws,
                [
                    row.supplier.code,
                    row.supplier.name,
                    str(row.supplier.get_status_display()),
                    *_metric_cells(row.metrics),
                    row.switching.state_label,
                ],
            )
        _about(wb, months)
        return xlsx_bytes(wb)


def scorecard_xlsx(
    card: Scorecard, items: Sequence[ItemRow], *, months: int, language: str
) -> bytes:
    with translation.override(language):
        wb = workbook_new()
        ws = wb.active
        assert ws is not None
        ws.title = _("Scorecard")[:31]
        sheet_append(ws, [_("Month"), *_metric_headers()])
        _bold_header(ws)
        for m in card.months:
            sheet_append(ws, [m.month.strftime("%Y-%m"), *_metric_cells(m.metrics)])
        sheet_append(ws, [_("Total"), *_metric_cells(card.total)])
        by_item = wb.create_sheet(_("By item")[:31])
        sheet_append(
            by_item,
            [_("Part number"), _("Part number and name"), *_metric_headers(), _("Switching state")],
        )
        _bold_header(by_item)
        for r in items:
            sheet_append(
                by_item,
                [r.item.part_number, r.item.name, *_metric_cells(r.metrics), r.state_label],
            )
        supplier = wb.create_sheet(_("Supplier")[:31])
        sheet_append(supplier, [_("Code"), card.supplier.code])
        sheet_append(supplier, [_("Supplier"), card.supplier.name])
        sheet_append(supplier, [_("Status"), str(card.supplier.get_status_display())])
        sheet_append(supplier, [_("Switching state"), card.switching.state_label])
        _about(wb, months)
        return xlsx_bytes(wb)


def scorecard_pdf(
    card: Scorecard, items: Sequence[ItemRow], *, months: int, language: str
) -> bytes:
    return render_pdf(
        "inspection/suppliers/scorecard_pdf.html",
        {
            "card": card,
            "supplier": card.supplier,
            "items": items,
            "months": months,
            "definitions": DEFINITIONS,
            "document_id": f"SQ-{card.supplier.code}-{timezone.localdate():%Y%m}",
        },
        language=language,
    )


def scorecard_chart(card: Scorecard) -> dict[str, Any]:
    """Lots accepted, rejected and conditional per month (bars) with the acceptance rate and
    the sample PPM (lines)."""
    months = [m.month.strftime("%Y-%m") for m in card.months]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 60, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [
            {"type": "value", "name": _("Number of lots")},
            {"type": "value", "name": "%", "max": 100},
        ],
        "series": [
            {
                "name": _("Lots accepted"),
                "type": "bar",
                "stack": "lots",
                "data": [m.metrics.accepted for m in card.months],
            },
            {
                "name": _("Lots under concession"),
                "type": "bar",
                "stack": "lots",
                "data": [m.metrics.conditional for m in card.months],
            },
            {
                "name": _("Lots rejected"),
                "type": "bar",
                "stack": "lots",
                "data": [m.metrics.rejected for m in card.months],
            },
            {
                "name": _("Acceptance rate (%)"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [_round(m.metrics.acceptance_rate, 1) for m in card.months],
            },
        ],
    }
