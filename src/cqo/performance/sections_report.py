"""The performance app's part of the CQO's report to the decision layer (§7.1.6): the quality
objectives against their targets over the period (§7.1.2), each actual computed from the metric
registry or entered with evidence, as the objectives page shows it."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from cqo.core.report_sections import Chart, Figure, SectionContent, Table

from .models import Objective
from .selectors import AMBER, GREEN, MISSING, RED, actual_over


def objectives_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    objectives = list(
        Objective.objects.filter(voided_at__isnull=True, first__lte=last, last__gte=first)
        .select_related("unit")
        .order_by("number")
    )
    if not objectives:
        return SectionContent.no_data(_("No quality objective runs in this period."))
    words = {GREEN: _("Met"), AMBER: _("Within tolerance"), RED: _("Not met"),
             MISSING: _("missing")}  # fmt: skip
    rows: list[list[Any]] = []
    counts = dict.fromkeys(words, 0)
    for objective in objectives:
        point = actual_over(objective, max(first, objective.first), min(last, objective.last))
        counts[point.light] += 1
        rows.append([
            objective.number, objective.title,
            objective.unit.name if objective.unit else _("Enterprise"),
            objective.target.normalize(), point.value, words[point.light],
        ])  # fmt: skip
    table = Table(
        columns=[_("Number"), _("Objective"), _("Unit"), _("Target"), _("Actual"), _("Status")],
        rows=rows,
        title=_("Quality objectives"),
    )
    figures = [Figure(words[light], count) for light, count in counts.items()]
    chart = Chart(kind="bar", title=_("Quality objectives"), labels=list(words.values()),
                  series=[(_("Objective"), list(counts.values()))])  # fmt: skip
    return SectionContent(figures=figures, tables=[table], charts=[chart])
