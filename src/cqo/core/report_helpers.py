"""Small helpers the domains share when they fill their report sections (§7.1.6): the period as
aware datetimes, months of a period, a rate in percent as a Decimal (None without a base)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone


def period_bounds(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """From the start of ``first`` to the start of the day after ``last``, in local time (for a
    ``__gte`` / ``__lt`` filter on a datetime field)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def months_of(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def month_key(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` in percent of ``whole`` with one place; None (missing) when ``whole`` is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def flow(
    qs: Any, *, opened: str, closed: str, first: datetime.date, last: datetime.date
) -> dict[str, Any]:
    """For records opened at ``opened`` and closed at ``closed`` (datetime fields): how many were
    opened and closed in the period, how many were open at its end, the mean days from opening
    to closing of those closed in it (None when none closed), and both by month."""
    from django.db.models import Count, Q
    from django.db.models.functions import TruncMonth

    start, end = period_bounds(first, last)
    opened_in = qs.filter(**{f"{opened}__gte": start, f"{opened}__lt": end})
    closed_in = qs.filter(**{f"{closed}__gte": start, f"{closed}__lt": end})
    open_at_end = qs.filter(**{f"{opened}__lt": end}).filter(
        Q(**{f"{closed}__isnull": True}) | Q(**{f"{closed}__gte": end})
    )
    spans = [
        (c - o).total_seconds() / 86400
        for o, c in closed_in.values_list(opened, closed)
        if o is not None and c is not None
    ]
    mean_days = (
        (Decimal(str(sum(spans))) / len(spans)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if spans
        else None
    )
    months = months_of(first, last)
    by_month: dict[tuple[str, datetime.date], int] = {}
    for name, source, field in (("opened", opened_in, opened), ("closed", closed_in, closed)):
        for row in (
            source.annotate(m=TruncMonth(field)).values("m").annotate(n=Count("id")).order_by()
        ):
            key = (name, month_key(row["m"]))
            by_month[key] = by_month.get(key, 0) + row["n"]
    return {
        "opened_qs": opened_in,
        "opened": opened_in.count(),
        "closed": closed_in.count(),
        "open_at_end": open_at_end.count(),
        "mean_days": mean_days,
        "months": months,
        "opened_by_month": [by_month.get(("opened", m), 0) for m in months],
        "closed_by_month": [by_month.get(("closed", m), 0) for m in months],
    }


def counted(qs: Any, field: str, choices: Any) -> list[list[Any]]:
    """``[[label, count], ...]`` of ``qs`` grouped by ``field``, in the choices' order."""
    from django.db.models import Count

    found = dict(qs.values_list(field).annotate(n=Count("id")).order_by())
    return [[str(c.label), found.get(c.value, 0)] for c in choices]
