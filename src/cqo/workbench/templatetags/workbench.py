"""Template helpers for the shell: links that may not exist yet, names in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from cqo.core.links import url_or_empty

register = template.Library()


@register.simple_tag
def url_or_none(name: str, *args: Any, **kwargs: Any) -> str:
    """``{% url_or_none 'app:view' arg as link %}``: the URL, or "" when it does not resolve."""
    return url_or_empty(name, *args, **kwargs)


@register.simple_tag
def shell_url(name: str) -> str:
    """``{% shell_url 'app:view' %}``: a URL without arguments, reversed once per process
    (``nav._url``; "" when it does not resolve, as ``url_or_none``). The shell's links are on
    every page, and ``{% url %}`` reverses on every render (~50 µs each)."""
    from ..nav import _url

    return _url(name)


@register.simple_tag(takes_context=True)
def shell_nav(context: Any) -> str:
    """The side navigation (``workbench/_nav.html``), rendered once per user rights, current
    entry and language and then reused (``nav.nav_html``)."""
    from ..nav import nav_html

    shell = context.get("shell")
    return nav_html(context.get("request"), shell.nav if shell else [])


@register.filter
def user_name(user: Any) -> str:
    """The account's display name in the reader's language (the English one when it is set)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    english = str(getattr(user, "display_name_en", None) or "")
    if english and (get_language() or "").startswith("en"):
        return english
    return str(user.get_full_name() or user.get_username())


@register.filter
def short_hash(value: Any, length: int = 12) -> str:
    text = str(value or "")
    return text[:length]


@register.filter
def clause_title(citation: str) -> str:
    """The summaries of one or more cited clauses ("§6 c), §7.1.4"), for a tooltip."""
    from cqo.core.clauses import CLAUSES

    parts = [c.strip() for c in str(citation or "").split(",") if c.strip()]
    return " · ".join(f"{c} {CLAUSES[c]}" for c in parts if c in CLAUSES)
