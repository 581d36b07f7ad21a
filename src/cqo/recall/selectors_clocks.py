"""The clocks part's reads: a case's clocks with what each shows (due date, source, verified,
how many working days are left, whether it warns), the clocks due soon across cases, the
profiles, and a year of the working-day calendar."""

from __future__ import annotations

import calendar as _calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.core import workdays

from .models_case import RecallCase
from .models_clocks import ClockProfile, ClockStatus, RecallClock
from .services_clocks import event_label


def clock_url(clock: RecallClock) -> str:
    return reverse("recall:case_clocks", args=[clock.case_id])


@dataclass(frozen=True)
class ClockRow:
    """One clock as the pages show it."""

    clock: RecallClock
    left: int | None  # working days left to the due date (negative: overdue); None when stopped
    warn: bool  # running and within its warning days (or overdue)
    overdue: bool

    @property
    def tone(self) -> str:
        if self.overdue or self.clock.status == ClockStatus.LATE:
            return "danger"
        if self.warn:
            return "warning"
        if self.clock.status == ClockStatus.MET:
            return "ok"
        return ""

    @property
    def title(self) -> str:
        return self.clock.title

    @property
    def start_label(self) -> str:
        return event_label(self.clock.start_event)

    @property
    def stop_label(self) -> str:
        return event_label(self.clock.stop_event) if self.clock.stop_event else _("by hand")

    @property
    def state(self) -> str:
        if self.overdue:
            return _("Overdue")
        if self.warn:
            return _("Due soon")
        return str(self.clock.get_status_display())


def _row(clock: RecallClock, today: datetime.date) -> ClockRow:
    if clock.status != ClockStatus.RUNNING:
        return ClockRow(clock, None, False, False)
    left = workdays.workdays_between(today, clock.due_on)
    return ClockRow(clock, left, left <= clock.warn_days, left < 0 or today > clock.due_on)


def clocks_of(case: Any, *, today: datetime.date | None = None) -> list[ClockRow]:
    """The case's clocks (not voided), by due date, each with what it shows."""
    today = today or timezone.localdate()
    rows = RecallClock.objects.filter(case_id=case.pk, voided_at__isnull=True).order_by(
        "started_on", "due_on", "id"
    )
    return [_row(c, today) for c in rows]


def clocks_due(
    user: Any, *, today: datetime.date | None = None, limit: int | None = None
) -> list[ClockRow]:
    """Running clocks within their warning days or overdue, the most urgent first."""
    if not user.has_perm("recall.view_recallclock"):
        return []
    today = today or timezone.localdate()
    running = list(
        RecallClock.objects.filter(
            voided_at__isnull=True, status=ClockStatus.RUNNING, case__voided_at__isnull=True
        )
        .select_related("case")
        .order_by("due_on", "id")
    )
    # The calendar is read only when a clock runs (the dashboard asks this on every visit).
    rows = [r for r in (_row(c, today) for c in running) if r.warn]
    return rows[:limit] if limit is not None else rows


def clocks_visible(user: Any, *, case: int | None = None) -> QuerySet[RecallClock]:
    if not user.has_perm("recall.view_recallclock"):
        return RecallClock.objects.none()
    qs = RecallClock.objects.filter(voided_at__isnull=True).select_related("case")
    if case is not None:
        qs = qs.filter(case_id=case)
    return qs.order_by("due_on", "id")


def profiles_visible(user: Any) -> QuerySet[ClockProfile]:
    if not user.has_perm("recall.view_clockprofile"):
        return ClockProfile.objects.none()
    return ClockProfile.objects.filter(voided_at__isnull=True).prefetch_related(
        "versions__deadlines"
    )


def case_profile(case: RecallCase) -> ClockProfile | None:
    """The profile the case's next clocks follow (chosen, else the default)."""
    from .models_clocks import CaseClockProfile

    chosen = CaseClockProfile.objects.filter(case=case).select_related("profile").first()
    if chosen is not None:
        return chosen.profile
    return ClockProfile.objects.filter(voided_at__isnull=True).order_by("-is_default", "id").first()


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    weeks: list[list[workdays.CalendarDayInfo | None]]

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


def calendar_year(year: int) -> list[MonthView]:
    """The year's months as weeks (Monday first), each day with what the calendar says of it."""
    days = {d.day: d for d in workdays.year_days(year)}
    months = []
    for month in range(1, 13):
        weeks: list[list[workdays.CalendarDayInfo | None]] = []
        for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([days.get(d) if d.month == month else None for d in week])
        months.append(MonthView(year, month, weeks))
    return months


def calendar_admin_days(year: int) -> list[Any]:
    from cqo.core.models import CalendarDay

    return list(
        CalendarDay.objects.filter(day__year=year).select_related("set_by").order_by("day", "id")
    )


def calendar_added_years() -> list[Any]:
    from cqo.core.models import CalendarYear

    return list(CalendarYear.objects.filter(voided_at__isnull=True).order_by("year"))
