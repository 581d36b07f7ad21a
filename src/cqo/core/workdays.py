"""The working-day calendar: China's public holidays and make-up working days (调休).

What a day is, in order of precedence (decision 0012):

1. a day the administrator set (``core.models.CalendarDay``, not voided): a correction of one day,
   or a day of a year the administrator added from the State Council's notice;
2. a day of a year the bundled data carries: the ``chinesecalendar`` package (PyPI), which holds
   the State Council's yearly arrangements (``PACKAGE_YEARS``: 2004–2026 in version 1.11);
3. otherwise Monday to Friday are working days. A year that neither the package nor the
   administrator covers is *not covered*: counts over it are provisional (``covered``).

The administrator's rows are read once per data version (``core.data_version``) and kept in
the process: a page that counts a hundred clocks reads them once, and any write anywhere makes
the kept copy stale.

``workdays_add(start, n)`` is the n-th working day after ``start`` (before it for a negative n;
``start`` itself for 0); ``workdays_between(first, last)`` counts the working days after
``first`` up to and including ``last`` (negative when ``last`` is earlier; counts over adjacent
spans add up), so that ``workdays_between(d, workdays_add(d, n)) == n`` for every day and every
n >= 0, and for n < 0 from a working day.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

from chinese_calendar import constants as _published
from django.utils.translation import gettext_lazy as _

from . import data_version

# A count of more than this many working days (about 40 years) is refused: no regulator's clock
# is that long, and it keeps a loop over days bounded whatever a caller passes.
MAX_WORKDAYS = 10_000
MAX_SPAN_DAYS = 15_000

PACKAGE_NAME = "chinesecalendar"
PACKAGE_YEARS: frozenset[int] = frozenset(
    {d.year for d in _published.holidays} | {d.year for d in _published.workdays}
)

# The package names its holidays in English; the calendar page shows them in the reader's language.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
}


@dataclass(frozen=True)
class _Set:
    """The administrator's days (day -> is a working day, name) and added years."""

    days: dict[datetime.date, tuple[bool, str]]
    years: frozenset[int]


_KEPT: dict[str, _Set] = {}
_LOCK = threading.Lock()


def _load() -> _Set:
    from .models import CalendarDay, CalendarDayKind, CalendarYear

    days = {
        day: (kind == CalendarDayKind.WORKDAY, name)
        for day, kind, name in CalendarDay.objects.filter(voided_at__isnull=True).values_list(
            "day", "kind", "name"
        )
    }
    years = frozenset(
        CalendarYear.objects.filter(voided_at__isnull=True).values_list("year", flat=True)
    )
    return _Set(days, years)


def _set() -> _Set:
    token = data_version.current()
    kept = _KEPT.get(token)
    if kept is None:
        kept = _load()
        with _LOCK:
            _KEPT.clear()  # one version kept: an older token is never read again
            _KEPT[token] = kept
    return kept


def _is_workday(day: datetime.date, admin: _Set) -> bool:
    if day in admin.days:
        return admin.days[day][0]
    if day.year in PACKAGE_YEARS:
        if day in _published.workdays:
            return True
        if day in _published.holidays:
            return False
    return day.weekday() < 5


def is_workday(day: datetime.date) -> bool:
    """Whether ``day`` is a working day (administrator's day, then the package, then Mon–Fri)."""
    return _is_workday(day, _set())


def covered(day_or_year: datetime.date | int) -> bool:
    """Whether the year's arrangement is known (bundled or added by the administrator)."""
    year = day_or_year if isinstance(day_or_year, int) else day_or_year.year
    return year in PACKAGE_YEARS or year in _set().years


def calendar_years() -> list[int]:
    """The years whose holiday arrangement is known: the package's and the administrator's."""
    return sorted(PACKAGE_YEARS | _set().years)


def day_name(day: datetime.date) -> str:
    """The holiday's (or make-up day's) name, in the reader's language; "" for an ordinary day."""
    admin = _set()
    if day in admin.days:
        return admin.days[day][1]
    name = _published.holidays.get(day) or _published.workdays.get(day)
    if not name:
        return ""
    return str(HOLIDAY_NAMES.get(name, name))


def day_source(day: datetime.date) -> str:
    """Where the answer for ``day`` comes from: "admin", "package" or "weekdays"."""
    if day in _set().days:
        return "admin"
    return "package" if day.year in PACKAGE_YEARS else "weekdays"


def _bounded(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("n must be an int")
    if abs(n) > MAX_WORKDAYS:
        raise ValueError(f"at most {MAX_WORKDAYS} working days")


def workdays_add(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after ``start`` (before it when n < 0); ``start`` itself for 0.
    ``start`` itself is never counted, so "within 2 working days" of an event on a Friday
    before a holiday falls on the second working day after the holiday ends."""
    _bounded(n)
    admin = _set()
    step = datetime.timedelta(days=1 if n > 0 else -1)
    day, left = start, abs(n)
    while left:
        day += step
        if _is_workday(day, admin):
            left -= 1
    return day


def workdays_between(first: datetime.date, last: datetime.date) -> int:
    """The working days after ``first`` up to and including ``last``; negative when ``last`` is
    before ``first`` (the count from ``last`` to ``first``, negated); 0 when they are equal."""
    if last < first:
        return -workdays_between(last, first)
    if (last - first).days > MAX_SPAN_DAYS:
        raise ValueError(f"at most {MAX_SPAN_DAYS} days apart")
    admin = _set()
    one = datetime.timedelta(days=1)
    count, day = 0, first
    while day < last:
        day += one
        if _is_workday(day, admin):
            count += 1
    return count


def span_covered(first: datetime.date, last: datetime.date) -> bool:
    """Whether every year from ``first`` to ``last`` is covered (a count over it is not
    provisional)."""
    low, high = sorted((first, last))
    return all(covered(year) for year in range(low.year, high.year + 1))


@dataclass(frozen=True)
class CalendarDayInfo:
    day: datetime.date
    workday: bool
    weekend: bool
    name: str
    source: str  # "admin", "package" or "weekdays"

    @property
    def holiday(self) -> bool:
        return not self.workday and not (self.weekend and not self.name)

    @property
    def makeup(self) -> bool:
        """A make-up working day (调休): a Saturday or Sunday that is worked."""
        return self.workday and self.weekend


def year_days(year: int) -> list[CalendarDayInfo]:
    """Every day of ``year`` with what the calendar says of it (for the calendar page)."""
    if not 1900 <= year <= 2200:
        raise ValueError("year out of range")
    admin = _set()
    day = datetime.date(year, 1, 1)
    one = datetime.timedelta(days=1)
    found = []
    while day.year == year:
        if day in admin.days:
            name, source = admin.days[day][1], "admin"
        else:
            raw = _published.holidays.get(day) or _published.workdays.get(day) or ""
            name = str(HOLIDAY_NAMES.get(raw, raw)) if raw else ""
            source = "package" if year in PACKAGE_YEARS else "weekdays"
        found.append(CalendarDayInfo(day, _is_workday(day, admin), day.weekday() >= 5, name,
                                     source))  # fmt: skip
        day += one
    return found
