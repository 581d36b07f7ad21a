"""The ledger part's reads. The fund part (budget actuals) reads the ledger through
``ledger_totals`` and the chart through ``cost_item_choices``; the ledger part owns their
bodies.

Reports aggregate in the database (one grouped query per table), never row by row: the ledger
may hold a million lines. Ratios per 100 yuan divide by finance's figure of the same months; a
month without its figure makes the ratio *missing* (``None``), never a number computed from an
assumed base.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import get_language

from cqo.core.costs import COST_ITEM_BY_CODE, COST_ITEMS, CostCategory

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
CATEGORY_ORDER = [c.value for c in CostCategory]
# P : A : F — the operating categories; failure is internal + external.
FAILURE = (CostCategory.INTERNAL_FAILURE.value, CostCategory.EXTERNAL_FAILURE.value)
LINE_FIELDS = ("unit_id", "item_code", "category", "month", "product_id", "source")


@dataclass(frozen=True)
class ChartEntry:
    code: str
    category: str
    label: str
    seeded: bool
    pk: int | None = None


def chart(*, include_voided: bool = False) -> list[ChartEntry]:
    """The chart of cost items: the seeded items (in the reader's language) then the added
    ones, by category in the standard's order."""
    from .models_ledger import ChartItem

    entries = [ChartEntry(i.code, str(i.category), str(i.label), True) for i in COST_ITEMS]
    english = (get_language() or "").startswith("en")
    added = ChartItem.objects.all() if include_voided else ChartItem.objects.active()
    for item in added:
        label = (item.name_en or item.name) if english else item.name
        entries.append(ChartEntry(item.code, item.category, label, False, item.pk))
    order = {c: n for n, c in enumerate(CATEGORY_ORDER)}
    seeded = {e.code: n for n, e in enumerate(entries)}  # the seed's own order first
    return sorted(
        entries, key=lambda e: (order.get(e.category, 9), not e.seeded, seeded[e.code], e.code)
    )


def chart_category(code: str) -> str | None:
    """The category of an item in use (seeded, or added and not voided); None if unknown."""
    from .models_ledger import ChartItem

    seeded = COST_ITEM_BY_CODE.get(code)
    if seeded is not None:
        return str(seeded.category)
    added = ChartItem.objects.active().filter(code=code).values_list("category", flat=True)
    return next(iter(added), None)


def chart_labels() -> dict[str, str]:
    return {e.code: e.label for e in chart(include_voided=True)}


def cost_item_choices() -> list[tuple[str, str]]:
    """The cost items in use: (code, label), in chart order."""
    return [(e.code, e.label) for e in chart()]


def month_first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_last(day: datetime.date) -> datetime.date:
    if day.month == 12:
        return day.replace(day=31)
    return day.replace(month=day.month + 1, day=1) - datetime.timedelta(days=1)


def in_period(qs: QuerySet[Any], first: datetime.date, last: datetime.date) -> QuerySet[Any]:
    """Lines dated ``first`` to ``last``, filtered on the month first (the report's index) and on
    the day only where the period cuts a month; no line is dated after today."""
    from django.utils import timezone

    qs = qs.filter(month__gte=month_first(first), month__lte=month_first(last))
    if first.day != 1:
        qs = qs.filter(date__gte=first)
    if last < min(month_last(last), timezone.localdate()):
        qs = qs.filter(date__lte=last)
    return qs


ROLLUP_FIELDS = ("unit_id", "item_code", "category", "month", "product_id")


def grouped(
    first: datetime.date,
    last: datetime.date,
    by: tuple[str, ...],
    *,
    with_product: bool = False,
) -> list[dict[str, Any]]:
    """The ledger from ``first`` to ``last`` summed by ``by``: rows of the ``by`` values with
    ``t`` (yuan) and ``n`` (lines). Closed months wholly inside the period are read from their
    ``MonthTotal`` rows, the rest from the lines; the sums are the same either way (a closed
    month's lines never change), which ``test_the_report_reads_closed_months_from_their_totals_
    and_agrees_with_the_lines`` checks. ``with_product`` keeps only lines naming a product."""
    from .models_ledger import LedgerLine, MonthClose, MonthTotal

    closed: list[datetime.date] = []
    if all(name in ROLLUP_FIELDS for name in by):
        closed = [
            m for m in MonthClose.objects.filter(
                month__gte=month_first(first), month__lte=month_first(last)
            ).values_list("month", flat=True)
            if m >= first and month_last(m) <= last
        ]  # fmt: skip
    lines = in_period(LedgerLine.objects.all(), first, last)
    totals = MonthTotal.objects.filter(month__in=closed)
    if closed:
        # The open months named, not the closed ones excluded: a NOT IN over the month made
        # PostgreSQL walk the whole table instead of the month index's ranges.
        done = set(closed)
        lines = lines.filter(month__in=[m for m in months_between(first, last) if m not in done])
    if with_product:
        lines = lines.filter(product__isnull=False)
        totals = totals.filter(product__isnull=False)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    parts = [lines.values(*by).annotate(t=Sum("amount"), n=Count("*")).order_by()]
    if closed:
        parts.append(totals.values(*by).annotate(t=Sum("total"), n=Sum("lines")).order_by())
    for part in parts:
        for row in part:
            key = tuple(row[name] for name in by)
            found = merged.get(key)
            if found is None:
                merged[key] = {**row, "t": Decimal(row["t"] or 0), "n": row["n"] or 0}
            else:
                found["t"] += Decimal(row["t"] or 0)
                found["n"] += row["n"] or 0
    return list(merged.values())


def ledger_totals(
    *, first: datetime.date, last: datetime.date, by: tuple[str, ...] = ("unit_id", "item_code")
) -> dict[tuple[object, ...], Decimal]:
    """The ledger's totals from ``first`` to ``last`` inclusive, keyed by the values of ``by``
    (fields of a ledger line: ``unit_id``, ``item_code``, ``category``, ``month``)."""

    for name in by:
        if name not in LINE_FIELDS:
            raise ValueError(f"cannot total ledger lines by {name!r}")
    return {
        tuple(row[name] for name in by): Decimal(row["t"]).quantize(CENT)
        for row in grouped(first, last, by)
    }


# --- the ledger's lists ---------------------------------------------------------------------


def lines_filtered(
    *,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    category: str = "",
    item_code: str = "",
    unit_id: int | None = None,
    product_id: int | None = None,
    source: str = "",
    origin: str = "",
) -> QuerySet[Any]:
    """The ledger's lines, filtered as the drill-down asks; every reader sees the whole ledger
    (it is the enterprise's account, not a unit's)."""
    from .models_ledger import LedgerLine

    qs = LedgerLine.objects.select_related("unit", "product", "reverses", "reversed_by")
    if first:
        qs = qs.filter(date__gte=first)
    if last:
        qs = qs.filter(date__lte=last)
    if category:
        qs = qs.filter(category=category)
    if item_code:
        qs = qs.filter(item_code=item_code)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if product_id:
        qs = qs.filter(product_id=product_id)
    if source:
        qs = qs.filter(source=source)
    if origin:
        qs = qs.filter(origin=origin)
    return qs.order_by("-date", "-id")


def months_closed() -> set[datetime.date]:
    from .models_ledger import MonthClose

    return set(MonthClose.objects.values_list("month", flat=True))


def month_is_closed(day: datetime.date) -> bool:
    from .models_ledger import MonthClose

    return MonthClose.objects.filter(month=month_first(day)).exists()


def base_figures(first: datetime.date, last: datetime.date) -> dict[tuple[datetime.date, str], Any]:
    from .models_ledger import BaseFigure

    return {
        (f.month, f.kind): f
        for f in BaseFigure.objects.active()
        .filter(month__gte=month_first(first), month__lte=last)
        .select_related("entered_by")
    }


# --- reports --------------------------------------------------------------------------------


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    day = month_first(first)
    while day <= last:
        months.append(day)
        if day.month == 12 and day.year == datetime.MAXYEAR:
            break
        day = month_last(day) + datetime.timedelta(days=1)
    return months


def _q(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def ratio(cost: Decimal, base: Decimal | None) -> Decimal | None:
    """Cost per 100 yuan of the base; None (missing) without a base or with a base of zero."""
    if base is None or base == 0:
        return None
    return (cost * HUNDRED / base).quantize(CENT)


def report(*, first: datetime.date, last: datetime.date) -> dict[str, Any]:
    """The cost report of the period: totals by month × category, by item, by unit, by product;
    structure P : A : F; ratios per 100 yuan of each base; the failure Pareto. A handful of
    grouped queries whatever the number of lines."""
    from cqo.masterdata.models import Item
    from cqo.organisation.models import Unit

    from .models_ledger import BaseKind

    months = months_between(first, last)
    cells: dict[tuple[datetime.date, str], Decimal] = defaultdict(Decimal)
    count = 0
    for row in grouped(first, last, ("month", "category")):
        cells[(row["month"], row["category"])] = _q(row["t"])
        count += row["n"]
    by_month = {m: sum((cells[(m, c)] for c in CATEGORY_ORDER), Decimal("0.00")) for m in months}
    by_category = {c: sum((cells[(m, c)] for m in months), Decimal("0.00")) for c in CATEGORY_ORDER}
    total = sum(by_category.values(), Decimal("0.00"))

    labels = chart_labels()
    by_item: list[dict[str, Any]] = [
        {"code": r["item_code"], "label": labels.get(r["item_code"], r["item_code"]),
         "category": r["category"], "total": _q(r["t"])}
        for r in grouped(first, last, ("item_code", "category"))
    ]  # fmt: skip
    by_item.sort(key=lambda r: -r["total"])
    unit_rows = grouped(first, last, ("unit_id",))
    unit_names = dict(
        Unit.objects.filter(pk__in=[r["unit_id"] for r in unit_rows if r["unit_id"]]).values_list(
            "pk", "name"
        )
    )
    by_unit: list[dict[str, Any]] = sorted(
        ({"id": r["unit_id"], "label": unit_names.get(r["unit_id"], ""), "total": _q(r["t"])}
         for r in unit_rows),
        key=lambda r: -r["total"],
    )  # fmt: skip
    product_rows = grouped(first, last, ("product_id",), with_product=True)
    product_names = {
        pk: f"{pn} {name}"
        for pk, pn, name in Item.objects.filter(
            pk__in=[r["product_id"] for r in product_rows]
        ).values_list("pk", "part_number", "name")
    }
    by_product: list[dict[str, Any]] = sorted(
        ({"id": r["product_id"], "label": product_names.get(r["product_id"], ""),
          "total": _q(r["t"])} for r in product_rows),
        key=lambda r: -Decimal(str(r["total"])),
    )[:20]  # fmt: skip

    # Structure P : A : F (the operating categories; external QA is shown apart).
    operating = sum(
        (by_category[c] for c in CATEGORY_ORDER if c != CostCategory.EXTERNAL_QA), Decimal(0)
    )

    def share(value: Decimal) -> Decimal | None:
        return (value * HUNDRED / operating).quantize(Decimal("0.1")) if operating else None

    failure = by_category[FAILURE[0]] + by_category[FAILURE[1]]
    structure = {
        "prevention": share(by_category[CostCategory.PREVENTION]),
        "appraisal": share(by_category[CostCategory.APPRAISAL]),
        "failure": share(failure),
    }

    # Ratios per 100 yuan: the period's base is the sum of its months' figures, and only if
    # every month has one; otherwise missing.
    figures = base_figures(first, last)
    bases: dict[str, Decimal | None] = {}
    for kind in BaseKind.values:
        values = [figures.get((m, kind)) for m in months]
        bases[kind] = (
            sum((f.amount for f in values if f is not None), Decimal(0)) if all(values) else None
        )
    ratios = {kind: ratio(total, base) for kind, base in bases.items()}
    month_rows = []
    for m in months:
        month_ratios = {}
        for kind in BaseKind.values:
            figure = figures.get((m, kind))
            month_ratios[kind] = ratio(by_month[m], figure.amount if figure else None)
        month_rows.append(
            {
                "month": m,
                "cells": [cells[(m, c)] for c in CATEGORY_ORDER],
                "total": by_month[m],
                "figures": {k: figures.get((m, k)) for k in BaseKind.values},
                "ratios": month_ratios,
            }
        )

    # The failure Pareto: failure items by amount, with the cumulative share.
    pareto: list[dict[str, Any]] = []
    failure_items = [r for r in by_item if r["category"] in FAILURE and r["total"] > 0]
    failure_total = sum((r["total"] for r in failure_items), Decimal(0))
    running = Decimal(0)
    for r in failure_items:
        running += r["total"]
        pareto.append(
            {**r, "cumulative": (running * HUNDRED / failure_total).quantize(Decimal("0.1"))}
        )

    return {
        "first": first,
        "last": last,
        "months": months,
        "month_rows": month_rows,
        "by_category": by_category,
        "by_item": by_item,
        "by_unit": by_unit,
        "by_product": by_product,
        "total": total,
        "count": count,
        "structure": structure,
        "bases": bases,
        "ratios": ratios,
        "pareto": pareto,
    }


def report_matrix(*, first: datetime.date, last: datetime.date) -> list[dict[str, Any]]:
    """The cost report by month × category × unit (the benchmark's query): closed months from their totals, the rest from the lines."""

    rows = grouped(first, last, ("month", "category", "unit_id"))
    rows.sort(key=lambda r: (r["month"], r["category"], r["unit_id"] or 0))
    return [
        {"month": r["month"], "category": r["category"], "unit_id": r["unit_id"],
         "total": _q(r["t"]), "lines": r["n"]}
        for r in rows
    ]  # fmt: skip


def jobs_recent(limit: int = 20) -> QuerySet[Any]:
    from .models_ledger import LedgerJob

    return LedgerJob.objects.select_related("created_by").defer("content")[:limit]


def keepers_current() -> QuerySet[Any]:
    from .models_ledger import FinanceKeeper

    return FinanceKeeper.objects.active().select_related("user", "named_by")
