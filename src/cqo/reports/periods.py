"""The periods a report covers: a month, a quarter or a year."""

from __future__ import annotations

import calendar
import datetime

from .models import ReportKind


def period_of(kind: str, year: int, part: int | None) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month ``part`` (monthly), the quarter ``part`` (quarterly) or
    the year (annual). Raises ValueError on a part that does not exist."""
    if kind == ReportKind.ANNUAL:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if kind == ReportKind.QUARTERLY:
        if part not in (1, 2, 3, 4):
            raise ValueError("quarter")
        first_month = 3 * (part - 1) + 1
        last_month = first_month + 2
        return (
            datetime.date(year, first_month, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    if kind == ReportKind.MONTHLY:
        if part is None or not 1 <= part <= 12:
            raise ValueError("month")
        return datetime.date(year, part, 1), datetime.date(
            year, part, calendar.monthrange(year, part)[1]
        )
    raise ValueError("kind")


def period_label(kind: str, first: datetime.date) -> str:
    """The period's short code, used in the report's number: 2026, 2026-Q2, 2026-05."""
    if kind == ReportKind.ANNUAL:
        return f"{first.year}"
    if kind == ReportKind.QUARTERLY:
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return f"{first.year}-{first.month:02d}"
