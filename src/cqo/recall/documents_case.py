"""The recall plan, the public notice and the reports of a case as PDF (WeasyPrint with the Noto
CJK fonts, ``cqo.core.pdf``), in Chinese or English, from the case's data (§7.2.1.4).

The fields follow the filing form regulators use for a recall (the producer and its unified
social credit code, the recall's owner and contact, the product, model, lots, production dates,
quantities made and to recall, the channels with customers, regions and quantities, the defect,
how and when it was determined, its possible consequences, the signals behind it, the remedy)
and the plan's contents (stop-sale status, measures and timetable, contacts, expected effect)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min, Sum
from django.utils import translation

from cqo.core.pdf import render_pdf
from cqo.organisation.selectors import enterprise_current

from . import selectors_case as sel
from .models_case import RecallCase, RecallLot, RecallReport
from .services_case import case_totals


def case_context(case: RecallCase) -> dict[str, Any]:
    lots = RecallLot.objects.filter(case=case)
    span = lots.aggregate(first=Min("lot__arrived_on"), last=Max("lot__arrived_on"),
                          made=Sum("quantity"), shipped=Sum("shipped"))  # fmt: skip
    totals = case_totals(case)
    return {
        "case": case,
        "enterprise": enterprise_current(),
        "start_lots": list(case.start_lots.select_related("item").order_by("number")),
        "lots": list(sel.case_lots(case)[:500]),
        "lot_count": lots.count(),
        "span": span,
        "targets": list(sel.case_targets(case)),
        "totals": totals,
        "rate_planned": sel.rate(totals["recovered"], totals["planned"]),
        "rate_sold": sel.rate(totals["recovered"], totals["sold"]),
        "reports": list(sel.case_reports(case)),
    }


def _render(template: str, case: RecallCase, suffix: str, language: str,
            **extra: Any) -> bytes:  # fmt: skip
    with translation.override(language):
        ctx = case_context(case)
    ctx.update(extra)
    ctx["document_id"] = f"{case.number}-{suffix}"
    return render_pdf(template, ctx, language=language)


def plan_pdf(case: RecallCase, *, language: str = "zh-hans") -> bytes:
    return _render("recall/pdf/case_plan.html", case, "PLAN", language)


def notice_pdf(case: RecallCase, *, language: str = "zh-hans") -> bytes:
    return _render("recall/pdf/case_notice.html", case, "NOTICE", language)


def report_pdf(report: RecallReport, *, language: str = "zh-hans") -> bytes:
    return _render("recall/pdf/case_report.html", report.case, f"{report.kind.upper()}-{report.pk}",
                   language, report=report)  # fmt: skip
