"""Permission predicates about the signed-in user that every layer may use.

They sit in ``core`` (the bottom of the platform) so that the audit app can say who reads the
trail without importing the organisation app, which itself writes audit events.
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.core import request_cache


def user_groups(user: Any) -> frozenset[str]:
    """The names of the user's groups (roles are groups), read once per request
    (``cqo.core.request_cache``), so a page asking many rules queries once."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return request_cache.remember(
        ("core.groups", user.pk), lambda: frozenset(user.groups.values_list("name", flat=True))
    )


def in_group(*names: str) -> rules.Predicate:
    wanted = frozenset(names)

    @rules.predicate(name=f"has_role({','.join(names)})")
    def _in_group(user: Any) -> bool:
        return bool(user_groups(user) & wanted)

    return _in_group


@rules.predicate
def is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)
