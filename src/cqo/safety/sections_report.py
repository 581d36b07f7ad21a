"""The safety app's part of the CQO's report to the decision layer (§7.1.6): the daily, weekly
and monthly regime kept over the period and its rectification tasks."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from cqo.core.report_helpers import flow, period_bounds, rate
from cqo.core.report_sections import Chart, Figure, SectionContent, Table

from .models_regime import (
    DailyRecord,
    DispatchStatus,
    MonthlyDispatch,
    RectificationTask,
    WeeklyReport,
)


def safety_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    daily = DailyRecord.objects.active().filter(day__gte=first, day__lte=last).count()
    weekly = WeeklyReport.objects.active().filter(week_start__gte=first, week_start__lte=last)
    monthly = MonthlyDispatch.objects.active().filter(month__gte=first.replace(day=1),
                                                      month__lte=last)  # fmt: skip
    tasks = flow(RectificationTask.objects.active(), opened="raised_at", closed="closed_at",
                 first=first, last=last)  # fmt: skip
    if not (daily or weekly.exists() or monthly.exists() or tasks["opened"] or tasks["closed"]
            or tasks["open_at_end"]):  # fmt: skip
        return SectionContent.no_data(
            _("No record of the daily, weekly and monthly quality-safety regime in this period.")
        )
    _start, end = period_bounds(first, last)
    overdue = (RectificationTask.objects.active().filter(raised_at__lt=end, deadline__lt=last)
               .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end)).count())  # fmt: skip
    days = (last - first).days + 1
    figures = [
        Figure(_("Daily control records"), daily),
        Figure(_("Days of the period with a daily record"), rate(daily, days), "%"),
        Figure(_("Weekly reports"), weekly.count()),
        Figure(_("Monthly dispatch meetings held"),
               monthly.filter(status=DispatchStatus.HELD).count()),
        Figure(_("Rectification tasks raised"), tasks["opened"]),
        Figure(_("Rectification tasks closed"), tasks["closed"]),
        Figure(_("Rectification tasks open at the end of the period"), tasks["open_at_end"]),
        Figure(_("Of which past their deadline"), overdue),
    ]  # fmt: skip
    table = Table(
        columns=[_("Number"), _("Deadline"), _("Status")],
        rows=[[t.number, t.deadline.isoformat(), t.get_status_display()]
              for t in tasks["opened_qs"].order_by("raised_at")[:30]],
        title=_("Rectification tasks raised in the period"),
    )  # fmt: skip
    chart = Chart(kind="bar", title=_("Rectification tasks by month"),
                  labels=[m.strftime("%Y-%m") for m in tasks["months"]],
                  series=[(_("Raised"), tasks["opened_by_month"]),
                          (_("Closed"), tasks["closed_by_month"])])  # fmt: skip
    return SectionContent(figures=figures, tables=[table], charts=[chart])
