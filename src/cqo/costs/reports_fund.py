"""The year-end report of the special quality fund (§8.1): per purpose the allocation, what was
approved, paid and is left, and every spending with its decision and payments; as a PDF and as an
Excel workbook (formulas neutralised, ``cqo.core.exports``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.pdf import render_pdf

from . import selectors_fund as sel
from .models_fund import Fund

Progress = Callable[[int], None]


def _none(percent: int) -> None:
    """No one is watching (a test, the benchmark)."""


def _context(fund: Fund) -> dict[str, Any]:
    return {
        "fund": fund,
        "balances": sel.fund_balances(fund),
        "spendings": sel.fund_spendings(fund),
        "refused": sel.refused_applications(fund),
        "document_id": f"QF-{fund.year}-{fund.pk}",
    }


def fund_report_pdf(fund: Fund, *, language: str = "zh-hans", progress: Progress = _none) -> bytes:
    """The PDF; ``progress(percent)`` is told as the data is read and the pages are laid out."""
    language = language if language in ("zh-hans", "en") else "zh-hans"
    progress(5)
    ctx = _context(fund)
    ctx["spendings"] = list(ctx["spendings"])
    progress(30)
    data = render_pdf("costs/fund_report_pdf.html", ctx, language=language)
    progress(95)
    return data


def fund_report_xlsx(
    fund: Fund, *, language: str | None = None, progress: Progress = _none
) -> bytes:
    """The workbook, in ``language`` (the active one when None); ``progress(percent)`` is told
    as the rows are written."""
    if language is None:
        return _xlsx(fund, progress)
    with translation.override(language):
        return _xlsx(fund, progress)


def _xlsx(fund: Fund, progress: Progress) -> bytes:
    progress(5)
    ctx = _context(fund)
    wb = workbook_new()
    ws: Any = wb.active
    ws.title = _("Purposes")[:31]
    sheet_append(ws, [_("Purpose"), _("Allocation (yuan)"), _("Approved, to be paid (yuan)"),
                      _("Paid (yuan)"), _("Awaiting a decision (yuan)"), _("Balance (yuan)")])  # fmt: skip
    for row in ctx["balances"].rows:
        sheet_append(ws, [row.purpose.title, row.allocation, row.approved, row.paid, row.pending,
                          row.balance])  # fmt: skip
    b = ctx["balances"]
    sheet_append(ws, [_("Total"), b.allocated, b.approved, b.paid, b.pending, b.balance])
    spend: Any = wb.create_sheet(_("Spendings")[:31])
    sheet_append(spend, [_("Number"), _("Purpose"), _("Applying unit"), _("Title"),
                         _("Amount (yuan)"), _("Status"), _("Paid (yuan)"), _("Vouchers")])  # fmt: skip
    spendings = list(ctx["spendings"])
    progress(30)
    step = max(len(spendings) // 10, 1)
    for i, s in enumerate(spendings, 1):
        if i % step == 0:
            progress(30 + 60 * i // len(spendings))
        payments = [p for p in s.payments.all() if p.voided_at is None]
        sheet_append(spend, [
            s.number, s.purpose.title, s.unit.name, s.title, s.amount, s.get_status_display(),
            sum((p.amount for p in payments), 0), ", ".join(p.voucher_no for p in payments),
        ])  # fmt: skip
    data = xlsx_bytes(wb)
    progress(95)
    return data
