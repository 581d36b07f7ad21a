"""The demo's regulator clocks (§7.2.1.4): the built-in profiles (consumer goods, vehicles), and
the clocks of the demo's recall case running over a public holiday.

The case part's demo case sets its profile and dates its plan with ``statutory_days`` and
``plan_day`` itself (its clocks start as its events happen, so they must be ready first); without
it, a minimal case is made here. Either follows the vehicles profile: the brake calipers reach
two vehicle makers. Its plan is filed on the latest day from which the
30-working-day owners' notice runs over a public holiday and is still running today; when no
holiday is that near, on the latest earlier day whose clocks ran over one. A fixed-date statutory
holiday (New Year's Day, Labour Day, National Day) in the coming two months of a year the bundled
calendar does not cover yet is set by the administrator first, as a real administrator would
until the State Council's arrangement is added."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.core import workdays
from cqo.core.demo import DemoContext
from cqo.core.models import CalendarDay, CalendarDayKind

from . import services_clocks as S
from .models_case import RecallCase
from .models_clocks import ClockProfile, RecallClock

# Fixed-date statutory holidays (全国年节及纪念日放假办法, as revised in 2024): month, day, name.
STATUTORY_FIXED = ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (10, 1, "国庆节"),
                   (10, 2, "国庆节"), (10, 3, "国庆节"))  # fmt: skip


def present() -> bool:
    return RecallClock.objects.exists()


def statutory_days(admin: Any, today: datetime.date) -> None:
    """The fixed-date statutory holidays of the coming two months in a year the calendar does not
    cover, set by the administrator; the reason says the State Council's arrangement for that
    year is not yet verified, and the calendar page and the clocks show them as such."""
    horizon = today + datetime.timedelta(days=60)
    for year in range(today.year, horizon.year + 1):
        if workdays.covered(year):
            continue
        for month, day_, name in STATUTORY_FIXED:
            day = datetime.date(year, month, day_)
            if not today <= day <= horizon or CalendarDay.objects.filter(day=day).exists():
                continue
            S.calendar_day_set(
                actor=admin, day=day, kind=CalendarDayKind.HOLIDAY, name=name,
                reason=f"法定节假日（《全国年节及纪念日放假办法》）；国务院{year}年放假安排尚未收录，待发布后补充全年安排",
            )  # fmt: skip


def _holiday_within(first: datetime.date, last: datetime.date) -> bool:
    """A weekday in (first, last] that is not worked: a public holiday."""
    day = first + datetime.timedelta(days=1)
    while day <= last:
        if day.weekday() < 5 and not workdays.is_workday(day):
            return True
        day += datetime.timedelta(days=1)
    return False


def plan_day(today: datetime.date, count: int = 30) -> datetime.date:
    """The day the demo's plan is filed (see the module's docstring)."""
    day = today if workdays.is_workday(today) else workdays.workdays_add(today, -1)
    for _step in range(400):
        due = workdays.workdays_add(day, count)
        if _holiday_within(day, due) and (
            due >= today or day < workdays.workdays_add(today, -count)
        ):
            return day
        day = workdays.workdays_add(day, -1)
    return workdays.workdays_add(today, -3)


def _case(ctx: DemoContext, cqo: Any) -> RecallCase:
    for obj in ctx.objects.values():
        if isinstance(obj, RecallCase):
            return obj
    case = RecallCase.objects.filter(voided_at__isnull=True).order_by("-id").first()
    if case is not None:
        return case
    return RecallCase.objects.create(
        number=f"RC-{timezone.localdate().year}-001",
        title="制动钳批次缺陷召回 / Brake-caliper lot recall",
        status="execution",
        created_by=cqo,
    )


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    cqo, admin = users["cqo"], users["admin"]
    S.profiles_ensure(actor=admin)
    today = timezone.localdate()
    statutory_days(admin, today)
    case = _case(ctx, cqo)
    if RecallClock.objects.filter(case=case).exists():
        ctx.objects.setdefault("recall.clocks_case", case)
        return
    S.case_profile_set(actor=cqo, case=case, profile=ClockProfile.objects.get(code="vehicles"))
    plan = plan_day(today)
    signal = workdays.workdays_add(plan, -15)
    for event, on in (
        ("signal_received", signal),
        ("defect_confirmed", workdays.workdays_add(signal, 4)),
        ("decision_made", workdays.workdays_add(signal, 6)),
        ("plan_filed", plan),
    ):
        S.clocks_on_event(actor=cqo, case=case, event=event, on=on)
    published = workdays.workdays_add(plan, 3)
    if published <= today:
        S.clocks_on_event(actor=cqo, case=case, event="notice_published", on=published)
    owners = workdays.workdays_add(plan, 27)
    if owners <= today:
        S.clocks_on_event(actor=cqo, case=case, event="owners_notified", on=owners)
    ctx.objects.setdefault("recall.clocks_case", case)
