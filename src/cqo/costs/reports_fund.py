"""The year-end report of the special quality fund (§8.1): per purpose the allocation, what was
approved, paid and is left, and every spending with its decision and payments; as a PDF and as an
Excel workbook (formulas neutralised, ``cqo.core.exports``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.pdf import render_pdf

from . import selectors_fund as sel
from .models_fund import Fund


def _context(fund: Fund) -> dict[str, Any]:
    return {
        "fund": fund,
        "balances": sel.fund_balances(fund),
        "spendings": sel.fund_spendings(fund),
        "refused": sel.refused_applications(fund),
        "document_id": f"QF-{fund.year}-{fund.pk}",
    }


def fund_report_pdf(fund: Fund, *, language: str = "zh-hans") -> bytes:
    language = language if language in ("zh-hans", "en") else "zh-hans"
    return render_pdf("costs/fund_report_pdf.html", _context(fund), language=language)


def fund_report_xlsx(fund: Fund) -> bytes:
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
    for s in ctx["spendings"]:
        payments = [p for p in s.payments.all() if p.voided_at is None]
        sheet_append(spend, [
            s.number, s.purpose.title, s.unit.name, s.title, s.amount, s.get_status_display(),
            sum((p.amount for p in payments), 0), ", ".join(p.voucher_no for p in payments),
        ])  # fmt: skip
    return xlsx_bytes(wb)
