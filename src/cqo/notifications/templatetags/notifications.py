"""The notification bell's count and a notification in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from ..services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_count(context: Any) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))


@register.filter
def notification_text(notification: Any) -> str:
    if (get_language() or "").startswith("en") and notification.message_en:
        return str(notification.message_en)
    return str(notification.message)
