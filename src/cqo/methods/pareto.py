"""Pareto analysis: categories by count, descending, with percent and cumulative percent.

Ties keep the order in which the categories first appear in the input (a stable sort), so the
same data always give the same chart; qcc orders ties by its own sort, which may differ.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import MethodsInputError
from .io import Table


@dataclass(frozen=True)
class ParetoItem:
    category: str
    count: float
    percent: float
    cumulative_percent: float

    def as_dict(self) -> dict[str, object]:
        count: float | int = int(self.count) if float(self.count).is_integer() else self.count
        return {
            "category": self.category,
            "count": count,
            "percent": self.percent,
            "cumulative_percent": self.cumulative_percent,
        }


@dataclass(frozen=True)
class ParetoResult:
    items: tuple[ParetoItem, ...]
    total: float

    def as_dict(self) -> dict[str, object]:
        return {"items": [i.as_dict() for i in self.items], "total": self.total}


def pareto(
    categories: Sequence[object],
    counts: Sequence[object] | None = None,
    *,
    first_row: int | None = None,
    category_column: str | None = None,
    count_column: str | None = None,
    rows: Sequence[int] | None = None,
) -> ParetoResult:
    """Pareto table from categories (each occurrence counts 1) or categories with counts.

    A category named more than once has its counts added. ``first_row`` (spreadsheet row of the
    first item, the others following it) or ``rows`` (the spreadsheet row of each item) and the
    column names only make error messages point at the cell.
    """
    if counts is not None and len(counts) != len(categories):
        raise MethodsInputError(
            f"{len(categories)} categories but {len(counts)} counts: give one count per category"
        )
    if len(categories) == 0:
        raise MethodsInputError("no categories to analyse")
    totals: dict[str, float] = {}
    for i, raw in enumerate(categories):
        row = rows[i] if rows is not None else None if first_row is None else first_row + i
        name = "" if raw is None else str(raw).strip()
        if name == "":
            raise MethodsInputError(
                "the category is empty", row=row, column=category_column or "category"
            )
        value = 1.0
        if counts is not None:
            value = _count(counts[i], row=row, column=count_column or "count")
        totals[name] = totals.get(name, 0.0) + value
    total = math.fsum(totals.values())
    if total <= 0:
        raise MethodsInputError("all counts are zero: nothing to rank")
    # sorted() is stable and dicts keep first-appearance order, which settles ties.
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    items: list[ParetoItem] = []
    running = 0.0
    for name, count in ranked:
        # Multiply before dividing: integer counts then give the exact percentages (58.0, not
        # 57.99999999999999) that a reader checks against a hand calculation.
        running += count
        items.append(
            ParetoItem(
                category=name,
                count=count,
                percent=count * 100.0 / total,
                cumulative_percent=running * 100.0 / total,
            )
        )
    # Summing floats may leave 99.99999999999999 at the end; the last bar is all of the total.
    last = items[-1]
    items[-1] = ParetoItem(last.category, last.count, last.percent, 100.0)
    return ParetoResult(items=tuple(items), total=total)


def _count(value: object, *, row: int | None, column: str) -> float:
    text = "" if value is None else str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise MethodsInputError(f"'{text}' is not a number", row=row, column=column) from None
    if not math.isfinite(number):
        raise MethodsInputError(f"'{text}' is not a finite number", row=row, column=column)
    if number < 0:
        raise MethodsInputError(f"a count cannot be negative ({text})", row=row, column=column)
    return number


def pareto_from_table(table: Table, category: str, count: str | None = None) -> ParetoResult:
    cats = table.text(category)
    counts = table.text(count) if count is not None else None
    return pareto(
        cats, counts, rows=table.rows().tolist(), category_column=category, count_column=count
    )
