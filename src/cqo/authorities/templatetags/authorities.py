"""Template helpers for the authorities' pages and the notification bell."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from ..catalogue import BY_CODE
from ..notify import unread_count

register = template.Library()


@register.filter
def authority_label(code: str) -> str:
    authority = BY_CODE.get(code)
    return f"{authority.clause} {authority.label}" if authority is not None else code


@register.simple_tag(takes_context=True)
def notification_count(context: Any) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))


@register.filter
def notification_text(notification: Any) -> str:
    if (get_language() or "").startswith("en") and notification.message_en:
        return str(notification.message_en)
    return str(notification.message)
