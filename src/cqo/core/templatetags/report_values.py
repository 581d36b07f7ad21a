"""How a report value prints: amounts with two places and thousands separators, counts as
integers, words as they are, a missing value as "—" (never as zero)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def report_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return f"{value:,.{places}f}"
    return str(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)
