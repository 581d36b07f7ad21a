"""Template helpers for the authorities' pages."""

from __future__ import annotations

from django import template

from ..catalogue import BY_CODE

register = template.Library()


@register.filter
def authority_label(code: str) -> str:
    authority = BY_CODE.get(code)
    return f"{authority.clause} {authority.label}" if authority is not None else code
