"""Template helpers for the post's pages and documents."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def pick(value: Any, language: str = "") -> str:
    """From a ``{"zh-hans": ..., "en": ...}`` snapshot, the text in ``language`` (or the page's)."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    lang = language or get_language() or "zh-hans"
    key = "en" if lang.startswith("en") else "zh-hans"
    return str(value.get(key) or value.get("zh-hans") or value.get("en") or "")


@register.filter
def outcome_class(outcome: str) -> str:
    return {"pass": "ok", "warning": "unknown", "block": "broken"}.get(outcome, "")
