"""Who holds the CQO post today, asked many times a page and answered once a request.

The post app owns appointments, so it owns this answer; the authority engine (above the post)
and the workbench's panels (through the ``cqo_in_office`` rule) ask here. The answer is kept in
the request's scope (``cqo.core.request_cache``), which every saved row makes forget.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.utils import timezone

from cqo.core import request_cache

from .selectors import user_is_current_cqo


def _active(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def memo() -> contextlib.AbstractContextManager[None]:
    """Remember the answers for the block (a selector asking about many rows); inside a request
    this joins the request's scope. Outside any scope nothing is remembered, so a change to an
    appointment is seen at once."""
    return request_cache.scope()


def forget() -> None:
    """Called whenever an appointment changes without a signal: what this request remembered
    may be stale."""
    request_cache.forget()


def is_current_cqo(user: Any, *, on: datetime.date | None = None) -> bool:
    """True when ``user`` holds the CQO appointment on ``on`` (today by default)."""
    if not _active(user):
        return False
    day = on or timezone.localdate()
    return request_cache.remember(
        ("authorities.is_cqo", user.pk, day), lambda: bool(user_is_current_cqo(user, on=on))
    )
