"""The decisions app's part of the CQO's report to the decision layer (§7.1.6): the CQO's
proposals (§6 b)) submitted in the period or still unanswered, with the decision layer's answers."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from cqo.core.report_helpers import counted, period_bounds
from cqo.core.report_sections import Figure, SectionContent, Table

from .models import Proposal, ProposalStatus


def proposals_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    start, end = period_bounds(first, last)
    base = Proposal.objects.active().filter(submitted_at__isnull=False, submitted_at__lt=end)
    shown = (
        base.filter(
            Q(submitted_at__gte=start) | Q(answered_at__gte=start) | Q(answered_at__isnull=True)
        )
        .select_related("addressee")
        .order_by("submitted_at")
    )
    if not shown.exists():
        return SectionContent.no_data(_("No proposal to the decision layer in this period."))
    submitted = base.filter(submitted_at__gte=start)
    answered = base.filter(answered_at__gte=start, answered_at__lt=end)
    unanswered = base.filter(Q(answered_at__isnull=True) | Q(answered_at__gte=end))
    overdue = unanswered.filter(answer_by__lt=last).count()
    figures = [
        Figure(_("Proposals submitted"), submitted.count()),
        Figure(_("Proposals answered"), answered.count()),
        Figure(_("Proposals unanswered at the end of the period"), unanswered.count()),
        Figure(_("Of which past the date an answer was wanted"), overdue),
    ]
    rows = []
    for p in shown[:40]:
        rows.append([p.title, p.submitted_at.date().isoformat(),
                     str(p.addressee) if p.addressee_id else "—", p.get_status_display(),
                     p.answered_at.date().isoformat() if p.answered_at else None,
                     (p.answer or "")[:200]])  # fmt: skip
    tables = [
        Table(columns=[_("Status"), _("Proposals")],
              rows=counted(submitted, "status", ProposalStatus),
              title=_("Proposals submitted, by status today")),
        Table(columns=[_("Proposal"), _("Submitted"), _("Addressed to"), _("Status"),
                       _("Answered"), _("Answer")], rows=rows,
              title=_("Proposals and their answers")),
    ]  # fmt: skip
    return SectionContent(figures=figures, tables=tables)
