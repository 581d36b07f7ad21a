"""The recall app's part of the CQO's report to the decision layer (§7.1.6): recall cases opened
in the period or still open at its end, with their state and effect."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from cqo.core.report_helpers import period_bounds, rate
from cqo.core.report_sections import Figure, SectionContent, Table

from .models_case import CaseStatus, RecallCase
from .services_case import case_totals


def _status(code: str) -> str:
    try:
        return str(CaseStatus(code).label)
    except ValueError:
        return code


def recall_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    start, end = period_bounds(first, last)
    cases = list(
        RecallCase.objects.active()
        .filter(opened_at__lt=end)
        .filter(Q(opened_at__gte=start) | Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .select_related("item").order_by("opened_at")[:50]
    )  # fmt: skip
    if not cases:
        return SectionContent.no_data(_("No recall case in this period."))
    rows = []
    opened = closed = 0
    for case in cases:
        totals = case_totals(case)
        opened += int(case.opened_at >= start)
        closed += int(case.closed_at is not None and start <= case.closed_at < end)
        rows.append([case.number, case.title, case.opened_at.date().isoformat(),
                     _status(case.status), case.get_decision_kind_display() or "—",
                     totals.get("planned"), totals.get("recovered"),
                     rate(totals.get("recovered") or 0, totals.get("planned") or 0)])  # fmt: skip
    figures = [
        Figure(_("Recall cases opened"), opened),
        Figure(_("Recall cases closed"), closed),
        Figure(_("Recall cases in the period"), len(cases)),
    ]
    table = Table(
        columns=[_("Number"), _("Title"), _("Opened"), _("Status"), _("Kind of recall"),
                 _("Quantity to recall"), _("Quantity recovered"), _("Recovered %")],
        rows=rows, title=_("Recall cases"),
    )  # fmt: skip
    return SectionContent(figures=figures, tables=[table])
