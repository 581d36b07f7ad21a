"""The regime part's reads: the schedule in force, which days, weeks and months lack their
record (the gaps the reminders chase and the CQO's panel shows), and the records themselves.

Records are the enterprise's business and every member reads them (``rules_regime``); the
selectors still take the user, so a narrower rule later changes one place."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models_regime import (
    DailyCheck,
    DailyRecord,
    DispatchStatus,
    MonthlyDispatch,
    RectificationTask,
    RegimePolicy,
    TaskStatus,
    WeeklyReport,
)

# What an enterprise that never set a schedule runs on (records start with the first one made).
DEFAULT_DUE_HOUR = 18
DEFAULT_WEEKLY_DUE_DAYS = 1
DEFAULT_MONTHLY_DUE_DAY = 10
# How far back the reminders and the panel look for a missing daily record.
CHASE_DAYS = 7


@dataclass(frozen=True)
class Schedule:
    starts_on: datetime.date | None
    daily_due_hour: int = DEFAULT_DUE_HOUR
    weekends: bool = False
    weekly_due_days: int = DEFAULT_WEEKLY_DUE_DAYS
    monthly_due_day: int = DEFAULT_MONTHLY_DUE_DAY
    policy: RegimePolicy | None = None


def policy_current() -> RegimePolicy | None:
    return RegimePolicy.objects.order_by("-id").first()


def schedule() -> Schedule:
    """The schedule in force; without one, records are expected from the first daily record."""
    policy = policy_current()
    if policy is not None:
        return Schedule(
            starts_on=policy.starts_on, daily_due_hour=policy.daily_due_hour,
            weekends=policy.weekends, weekly_due_days=policy.weekly_due_days,
            monthly_due_day=policy.monthly_due_day, policy=policy,
        )  # fmt: skip
    first = (
        DailyRecord.objects.filter(voided_at__isnull=True)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    return Schedule(starts_on=first)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def daily_expected(day: datetime.date, sched: Schedule) -> bool:
    if sched.starts_on is None or day < sched.starts_on:
        return False
    return sched.weekends or day.weekday() < 5


def daily_due_at(day: datetime.date, sched: Schedule) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour=sched.daily_due_hour))
    )


def weekly_due_on(monday: datetime.date, sched: Schedule) -> datetime.date:
    return monday + datetime.timedelta(days=6 + sched.weekly_due_days)


def monthly_due_on(month: datetime.date, sched: Schedule) -> datetime.date:
    return next_month(month).replace(day=sched.monthly_due_day)


# --- gaps ---------------------------------------------------------------------------------------


@dataclass
class Gaps:
    days: list[datetime.date] = field(default_factory=list)
    weeks: list[datetime.date] = field(default_factory=list)
    months: list[datetime.date] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.days) + len(self.weeks) + len(self.months)


def gaps(*, now: datetime.datetime | None = None, days_back: int = CHASE_DAYS,
         weeks_back: int = 4, months_back: int = 3) -> Gaps:  # fmt: skip
    """The days (the last ``days_back``, today once its hour has passed), weeks and months whose
    record is missing and overdue under the schedule in force. Three queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sched = schedule()
    found = Gaps()
    if sched.starts_on is None:
        return found
    first = max(sched.starts_on, today - datetime.timedelta(days=days_back))
    candidates = [first + datetime.timedelta(days=n) for n in range((today - first).days + 1)]
    candidates = [
        d for d in candidates if daily_expected(d, sched) and now >= daily_due_at(d, sched)
    ]
    if candidates:
        have = set(
            DailyRecord.objects.filter(voided_at__isnull=True, day__in=candidates)
            .values_list("day", flat=True)
        )  # fmt: skip
        found.days = [d for d in candidates if d not in have]
    mondays = []
    monday = week_start(today) - datetime.timedelta(days=7 * weeks_back)
    while monday <= today:
        if monday >= week_start(sched.starts_on) and today > weekly_due_on(monday, sched):
            mondays.append(monday)
        monday += datetime.timedelta(days=7)
    if mondays:
        have = set(
            WeeklyReport.objects.filter(voided_at__isnull=True, week_start__in=mondays)
            .values_list("week_start", flat=True)
        )  # fmt: skip
        found.weeks = [m for m in mondays if m not in have]
    months = []
    month = month_start(today)
    for _n in range(months_back):
        month = month_start(month - datetime.timedelta(days=1))
        if month >= month_start(sched.starts_on) and today > monthly_due_on(month, sched):
            months.append(month)
    if months:
        held = set(
            MonthlyDispatch.objects.filter(
                voided_at__isnull=True, status=DispatchStatus.HELD, month__in=months
            ).values_list("month", flat=True)
        )
        found.months = sorted(m for m in months if m not in held)
    return found


# --- the calendar of one month ---------------------------------------------------------------


@dataclass
class DayCell:
    day: datetime.date
    record: DailyRecord | None
    expected: bool
    overdue: bool
    future: bool
    chased: datetime.date | None = None


def month_days(user: Any, month: datetime.date, *, now: datetime.datetime | None = None
               ) -> list[DayCell]:  # fmt: skip
    """Every day of ``month`` with its record (if any), and whether one was due and is missing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sched = schedule()
    first = month_start(month)
    last = next_month(first) - datetime.timedelta(days=1)
    records = {
        r.day: r
        for r in dailies_visible(user)
        .filter(day__range=(first, last))
        .annotate(
            not_done=Count("checks", filter=Q(checks__done=False)),
            findings=Count("checks", filter=~Q(checks__finding="")),
        )
    }
    cells = []
    day = first
    while day <= last:
        expected = daily_expected(day, sched)
        record = records.get(day)
        cells.append(DayCell(
            day=day, record=record, expected=expected, future=day > today,
            overdue=expected and record is None and now >= daily_due_at(day, sched),
        ))  # fmt: skip
        day += datetime.timedelta(days=1)
    sent = reminded_on([daily_reminder_key(c.day) for c in cells if c.overdue])
    for c in cells:
        c.chased = sent.get(daily_reminder_key(c.day))
    return cells


# --- records ----------------------------------------------------------------------------------


def dailies_visible(user: Any) -> QuerySet[DailyRecord]:
    return DailyRecord.objects.filter(voided_at__isnull=True).select_related("recorded_by")


def daily_with_checks(pk: int) -> DailyRecord | None:
    return (
        DailyRecord.objects.select_related("recorded_by", "voided_by")
        .prefetch_related(
            Prefetch("checks", queryset=DailyCheck.objects.order_by("control_code", "id"))
        )
        .filter(pk=pk)
        .first()
    )


def weeklies_visible(user: Any) -> QuerySet[WeeklyReport]:
    return WeeklyReport.objects.filter(voided_at__isnull=True).select_related("written_by")


def monthlies_visible(user: Any) -> QuerySet[MonthlyDispatch]:
    return MonthlyDispatch.objects.filter(voided_at__isnull=True).select_related(
        "reported_by", "chaired_by"
    )


def tasks_visible(user: Any, *, status: str = "", owner: Any = None) -> QuerySet[RectificationTask]:
    qs = RectificationTask.objects.filter(voided_at__isnull=True).select_related(
        "owner", "raised_by", "closed_by", "weekly", "monthly"
    )
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs


def tasks_open_overdue(today: datetime.date) -> QuerySet[RectificationTask]:
    return RectificationTask.objects.filter(
        voided_at__isnull=True, status=TaskStatus.OPEN, deadline__lt=today
    ).select_related("owner")


def week_figures(monday: datetime.date) -> dict[str, int]:
    """The week's daily records in numbers: days recorded, checks, checks not done, findings."""
    sunday = monday + datetime.timedelta(days=6)
    checks = DailyCheck.objects.filter(
        record__voided_at__isnull=True, record__day__range=(monday, sunday)
    ).aggregate(
        checks=Count("id"),
        not_done=Count("id", filter=Q(done=False)),
        findings=Count("id", filter=~Q(finding="")),
    )
    days = DailyRecord.objects.filter(voided_at__isnull=True,
                                      day__range=(monday, sunday)).count()  # fmt: skip
    return {"days_recorded": days, **{k: int(v or 0) for k, v in checks.items()}}


def month_figures(month: datetime.date) -> dict[str, int]:
    """The month in numbers: daily records and missing days, weekly reports, tasks raised,
    closed and still open."""
    first = month_start(month)
    last = next_month(first) - datetime.timedelta(days=1)
    sched = schedule()
    expected = 0
    day = first
    while day <= last:
        expected += daily_expected(day, sched)
        day += datetime.timedelta(days=1)
    records = DailyRecord.objects.filter(voided_at__isnull=True, day__range=(first, last))
    recorded = records.count()
    checks = DailyCheck.objects.filter(record__in=records).aggregate(
        not_done=Count("id", filter=Q(done=False)), findings=Count("id", filter=~Q(finding=""))
    )
    weeklies = WeeklyReport.objects.filter(
        voided_at__isnull=True, week_start__range=(week_start(first), last)
    ).count()
    tasks = RectificationTask.objects.filter(
        voided_at__isnull=True, raised_at__date__range=(first, last)
    ).aggregate(raised=Count("id"), closed=Count("id", filter=Q(status=TaskStatus.CLOSED)))
    open_now = RectificationTask.objects.filter(voided_at__isnull=True,
                                                status=TaskStatus.OPEN).count()  # fmt: skip
    return {
        "days_expected": expected,
        "days_recorded": recorded,
        "not_done": int(checks["not_done"] or 0),
        "findings": int(checks["findings"] or 0),
        "weekly_reports": weeklies,
        "tasks_raised": int(tasks["raised"] or 0),
        "tasks_closed": int(tasks["closed"] or 0),
        "tasks_open": open_now,
    }


def reminded_on(keys: list[str]) -> dict[str, datetime.date]:
    """When each reminder key was last sent (for the pages: "chased on ...")."""
    from cqo.notifications.models import Reminder

    return dict(Reminder.objects.filter(key__in=keys).values_list("key", "sent_on"))


def daily_reminder_key(day: datetime.date) -> str:
    return f"safety.regime.daily.{day.isoformat()}"
