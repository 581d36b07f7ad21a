"""The working-day calendar (decision 0012): the State Council's arrangements from the
chinesecalendar package, the administrator's days winning over them, and the counting rules the
regulator clocks rely on."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cqo.core import workdays
from cqo.core.models import CalendarDay, CalendarDayKind

D = datetime.date


def _set_day(user: Any, day: datetime.date, kind: str) -> None:
    CalendarDay.objects.create(day=day, kind=kind, name="test", reason="test", set_by=user)


def test_national_day_2026_is_off_and_its_make_up_saturday_is_worked(db: Any) -> None:
    assert workdays.is_workday(D(2026, 9, 30))
    assert not workdays.is_workday(D(2026, 10, 1))
    assert not workdays.is_workday(D(2026, 10, 7))
    assert workdays.is_workday(D(2026, 10, 10))  # Saturday, worked instead (调休)
    assert not workdays.is_workday(D(2026, 10, 11))  # an ordinary Sunday
    assert workdays.is_workday(D(2026, 9, 20))  # Sunday, worked instead


def test_two_working_days_from_the_eve_of_national_day_fall_after_the_holiday(db: Any) -> None:
    assert workdays.workdays_add(D(2026, 9, 30), 2) == D(2026, 10, 9)
    # Ten working days count the make-up Saturday 10 October.
    assert workdays.workdays_add(D(2026, 9, 30), 10) == D(2026, 10, 20)
    assert workdays.workdays_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert workdays.workdays_between(D(2026, 10, 9), D(2026, 9, 30)) == -2


def test_zero_working_days_is_the_day_itself_and_negative_counts_go_back(db: Any) -> None:
    assert workdays.workdays_add(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert workdays.workdays_add(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_the_package_years_are_stated_and_a_later_year_is_not_covered(db: Any) -> None:
    years = workdays.calendar_years()
    assert years[0] == 2004 and 2026 in years
    assert set(range(2004, 2027)) <= set(workdays.PACKAGE_YEARS)
    assert not workdays.covered(2099)
    # An uncovered year counts Monday to Friday.
    assert workdays.is_workday(D(2099, 1, 1))  # a Thursday
    assert not workdays.span_covered(D(2026, 12, 20), D(2099, 1, 5))


def test_an_administrators_day_wins_over_the_package_at_once(db: Any) -> None:
    from cqo.testing.factories import UserFactory

    user = UserFactory()
    assert workdays.workdays_add(D(2026, 9, 30), 10) == D(2026, 10, 20)
    _set_day(user, D(2026, 10, 12), CalendarDayKind.HOLIDAY)
    assert not workdays.is_workday(D(2026, 10, 12))
    assert workdays.workdays_add(D(2026, 9, 30), 10) == D(2026, 10, 21)
    _set_day(user, D(2026, 10, 3), CalendarDayKind.WORKDAY)
    assert workdays.is_workday(D(2026, 10, 3))
    assert workdays.day_source(D(2026, 10, 3)) == "admin"


def test_holiday_names_come_in_the_readers_language(db: Any) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert workdays.day_name(D(2026, 10, 1)) == "国庆节"
    with translation.override("en"):
        assert workdays.day_name(D(2026, 10, 1)) == "National Day"
    assert workdays.day_name(D(2026, 10, 13)) == ""


def test_a_year_lists_its_holidays_and_make_up_days(db: Any) -> None:
    days = {d.day: d for d in workdays.year_days(2026)}
    assert len(days) == 365
    assert days[D(2026, 10, 1)].holiday and not days[D(2026, 10, 1)].workday
    assert days[D(2026, 10, 10)].makeup
    assert not days[D(2026, 10, 11)].holiday  # an ordinary Sunday is not a holiday


def test_it_refuses_counts_beyond_its_bounds(db: Any) -> None:
    with pytest.raises(ValueError):
        workdays.workdays_add(D(2026, 1, 1), workdays.MAX_WORKDAYS + 1)
    with pytest.raises(ValueError):
        workdays.workdays_between(D(1900, 1, 1), D(2100, 1, 1))
    with pytest.raises(TypeError):
        workdays.workdays_add(D(2026, 1, 1), True)  # type: ignore[arg-type]


days_ = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 12, 31))
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@SETTINGS
@given(start=days_, n=st.integers(min_value=-80, max_value=80))
def test_counting_back_what_was_added_gives_the_count(db: Any, start: Any, n: int) -> None:
    # Backwards from a day off, "one working day before" is the last working day before it,
    # while the count between them is the working days after the earlier day: the identity
    # holds backwards from working days only (clocks count forwards).
    assume(n >= 0 or workdays.is_workday(start))
    due = workdays.workdays_add(start, n)
    assert workdays.workdays_between(start, due) == n
    if n:
        assert workdays.is_workday(due)
        assert (due > start) == (n > 0)


@SETTINGS
@given(start=days_, n=st.integers(min_value=0, max_value=60))
def test_one_more_working_day_is_always_later(db: Any, start: Any, n: int) -> None:
    assert workdays.workdays_add(start, n + 1) > workdays.workdays_add(start, n)


@SETTINGS
@given(first=days_, middle=days_, last=days_)
def test_counts_over_adjacent_spans_add_up(db: Any, first: Any, middle: Any, last: Any) -> None:
    whole = workdays.workdays_between(first, last)
    assert whole == workdays.workdays_between(first, middle) + workdays.workdays_between(
        middle, last
    )
    assert abs(whole) <= abs((last - first).days)
