from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def published(request: HttpRequest) -> dict[str, Any]:
    """``published_charter`` for the post's pages (their banner says when it is out of date,
    §4.2); looked up only when a template reads it."""
    from .selectors import charter_published

    return {"published_charter": SimpleLazyObject(charter_published)}
