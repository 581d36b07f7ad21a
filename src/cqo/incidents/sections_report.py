"""The incidents app's part of the CQO's report to the decision layer (§7.1.6): quality-safety
incidents over the period by level and status, and penalties decided. Counts come from the
records."""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.utils.translation import gettext as _

from cqo.core.report_helpers import counted, flow, period_bounds
from cqo.core.report_sections import Chart, Figure, SectionContent, Table

from .models_incidents import Incident, IncidentLevel, IncidentStatus
from .models_penalties import PenaltyDecision


def incidents_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    f = flow(Incident.objects.active(), opened="occurred_at", closed="closed_at", first=first,
             last=last)  # fmt: skip
    start, end = period_bounds(first, last)
    penalties = PenaltyDecision.objects.active().filter(
        decided_at__gte=start, decided_at__lt=end, verdict="impose"
    )
    if not (f["opened"] or f["closed"] or f["open_at_end"] or penalties.exists()):
        return SectionContent.no_data(_("No quality-safety incident in this period."))
    levels = counted(f["opened_qs"], "level", IncidentLevel)
    figures = [
        Figure(_("Incidents that occurred"), f["opened"]),
        *(Figure(_("Incidents: %(level)s") % {"level": row[0]}, row[1]) for row in levels),
        Figure(_("Incidents closed"), f["closed"]),
        Figure(_("Incidents open at the end of the period"), f["open_at_end"]),
        Figure(_("Mean days from occurrence to closure"), f["mean_days"], _("days")),
        Figure(_("Penalties imposed"), penalties.count()),
        Figure(_("Fines imposed"), penalties.aggregate(s=Sum("amount"))["s"], _("yuan")),
    ]
    table = Table(
        columns=[_("Number"), _("Title"), _("Occurred"), _("Level"), _("Status")],
        rows=[[i.number, i.title, i.occurred_at.date().isoformat(), i.get_level_display(),
               i.get_status_display()]
              for i in f["opened_qs"].order_by("occurred_at")[:40]],
        title=_("Incidents that occurred in the period"),
    )  # fmt: skip
    status_table = Table(columns=[_("Status"), _("Incidents")],
                         rows=counted(f["opened_qs"], "status", IncidentStatus),
                         title=_("Incidents that occurred, by status today"))  # fmt: skip
    chart = Chart(kind="bar", title=_("Incidents by month"),
                  labels=[m.strftime("%Y-%m") for m in f["months"]],
                  series=[(_("Occurred"), f["opened_by_month"]),
                          (_("Closed"), f["closed_by_month"])])  # fmt: skip
    return SectionContent(figures=figures, tables=[table, status_table], charts=[chart])
