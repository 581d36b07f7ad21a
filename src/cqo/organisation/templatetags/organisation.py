"""Template helpers: names in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from cqo.organisation.roles import role_label

register = template.Library()


@register.filter
def local_name(obj: Any, field: str = "name") -> str:
    """``obj.<field>_en`` when the page is in English and it is filled in, else ``obj.<field>``."""
    if obj is None:
        return ""
    native = getattr(obj, field, "") or ""
    if (get_language() or "").startswith("en"):
        return getattr(obj, f"{field}_en", "") or native
    return native


@register.filter
def role_name(code: str) -> str:
    return role_label(code)
