"""Links to pages of apps that may not be installed: services, panels and templates alike."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def url_or_empty(name: str, *args: Any, **kwargs: Any) -> str:
    """The URL for ``name``, or "" while the module that provides it is not built yet.

    Modules arrive over several releases; a page that links to one must not fail before it exists.
    """
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
