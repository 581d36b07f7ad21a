"""``{{ value|stored_text }}``: a reason or finding the system stored as a message id and its
parameters, in the reader's language; ``{{ meaning|translation_beside }}``: a signed sentence's
translation when it differs from what was signed (see ``cqo.core.texts``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import pgettext

from cqo.core import texts

register = template.Library()


@register.filter
def stored_text(value: Any) -> str:
    return texts.render(value)


@register.filter
def translation_beside(signed: Any) -> str:
    """The signed text in the reader's language, or "" when it reads the same."""
    text = str(signed or "")
    translated = texts.translate_known(text)
    return translated if translated and translated != text else ""


@register.filter
def join_list(values: Any) -> str:
    """Items joined the way the page's language writes a list (、 in Chinese, ", " in English)."""
    return pgettext("list separator", ", ").join(str(v) for v in values or [])
