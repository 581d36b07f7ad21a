"""Who holds the CQO post today, asked many times a page and answered once.

The post app owns appointments, so it owns this answer; the authority engine (above the post)
and the workbench's panels (through the ``cqo_in_office`` rule) ask here.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from .selectors import user_is_current_cqo


def _active(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


# Within ``memo()``, the answer to "is this user the CQO on that day?" is asked of the post app
# once; a page that asks many questions (the dashboard, an inbox) opens one such scope. Outside
# it nothing is remembered, so a change to an appointment is seen at once.
_MEMO: contextvars.ContextVar[dict[tuple[Any, ...], bool] | None] = contextvars.ContextVar(
    "cqo_authority_memo", default=None
)


@contextlib.contextmanager
def memo() -> Iterator[None]:
    token = _MEMO.set({}) if _MEMO.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _MEMO.reset(token)


# Besides the scope above, each user object remembers its own answer for the day: a request has
# its own user object, so a page asks the post app once however many panels and rules ask us.
# ``forget`` (called whenever an appointment is saved) makes every remembered answer stale.
_generation = 0


def forget() -> None:
    global _generation
    _generation += 1


def is_current_cqo(user: Any, *, on: datetime.date | None = None) -> bool:
    """True when ``user`` holds the CQO appointment on ``on`` (today by default)."""
    if not _active(user):
        return False
    day = on or timezone.localdate()
    cache = _MEMO.get()
    key = ("cqo", user.pk, day)
    if cache is not None and key in cache:
        return cache[key]
    own = user.__dict__.get("_cqo_is_cqo")
    if own is not None and own[0] == _generation and day in own[1]:
        return bool(own[1][day])
    answer = bool(user_is_current_cqo(user, on=on))
    if cache is not None:
        cache[key] = answer
    if own is None or own[0] != _generation:
        own = (_generation, {})
        user.__dict__["_cqo_is_cqo"] = own
    own[1][day] = answer
    return answer
