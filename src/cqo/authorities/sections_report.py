"""The authority engine's part of the CQO's report to the decision layer (§7.1.6): the one-vote
vetoes (§6 i)) imposed or lifted in the period, and the approvals decided under the nine
authorities."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cqo.core.report_helpers import period_bounds
from cqo.core.report_sections import Figure, SectionContent, Table

from .models import ApprovalRequest, Veto


def vetoes_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    start, end = period_bounds(first, last)
    vetoes = (
        Veto.objects.filter(
            Q(vetoed_at__gte=start, vetoed_at__lt=end) | Q(lifted_at__gte=start, lifted_at__lt=end)
        )
        .select_related("vetoed_by")
        .order_by("vetoed_at")
    )
    approvals = ApprovalRequest.objects.active().filter(decided_at__gte=start, decided_at__lt=end)
    by_status = dict(approvals.values_list("status").annotate(n=Count("id")).order_by())
    if not vetoes.exists() and not by_status:
        return SectionContent.no_data(_("No veto and no approval decided in this period."))
    imposed = [v for v in vetoes if start <= v.vetoed_at < end]
    figures = [
        Figure(_("Vetoes imposed"), len(imposed)),
        Figure(_("Vetoes lifted"), sum(1 for v in vetoes if v.lifted_at and start <= v.lifted_at < end)),
        Figure(_("Approvals granted"), by_status.get("approved", 0)),
        Figure(_("Approvals refused"), by_status.get("rejected", 0)),
    ]  # fmt: skip
    rows = [[v.subject_repr, v.vetoed_at.date().isoformat(), v.reason[:200],
             v.lifted_at.date().isoformat() if v.lifted_at else None] for v in vetoes[:40]]  # fmt: skip
    tables = [Table(columns=[_("Decision"), _("Vetoed"), _("Reason"), _("Lifted")], rows=rows,
                    title=_("Vetoes"))] if rows else []  # fmt: skip
    return SectionContent(figures=figures, tables=tables)
