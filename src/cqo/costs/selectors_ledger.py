"""The ledger part's reads. The fund part (budget actuals) reads the ledger through
``ledger_totals`` and the chart through ``cost_item_choices``; the ledger part owns their
bodies."""

from __future__ import annotations

import datetime
from decimal import Decimal

from cqo.core.costs import COST_ITEMS


def cost_item_choices() -> list[tuple[str, str]]:
    """The cost items in use: (code, label), in chart order."""
    return [(item.code, str(item.label)) for item in COST_ITEMS]


def ledger_totals(
    *, first: datetime.date, last: datetime.date, by: tuple[str, ...] = ("unit_id", "item_code")
) -> dict[tuple[object, ...], Decimal]:
    """The ledger's totals from ``first`` to ``last`` inclusive, keyed by the values of ``by``
    (fields of a ledger line: ``unit_id``, ``item_code``, ``category``, ``month``)."""
    return {}
