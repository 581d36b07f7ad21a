"""Permission predicates about the signed-in user that every layer may use.

They sit in ``core`` (the bottom of the platform) so that the audit app can say who reads the
trail without importing the organisation app, which itself writes audit events.
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.core import request_cache

GROUPS_SECONDS = 300


def user_groups(user: Any) -> frozenset[str]:
    """The names of the user's groups (roles are groups), read once per request
    (``cqo.core.request_cache``), so a page asking many rules queries once.

    Across requests the answer is kept in the shared cache under the database's version
    (``cqo.core.data_version``), as the navigation's permissions are: every page of the product
    asked it (a query, ~1 ms of the server's and the database's CPU), and a change of roles
    (``user.groups`` sends ``m2m_changed``, a group's save or delete ``post_save`` /
    ``post_delete``) gives a new version, so no page ever reads a role a user has lost."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return request_cache.remember(("core.groups", user.pk), lambda: _groups_kept(user))


def _groups_kept(user: Any) -> frozenset[str]:
    from django.core.cache import cache

    from . import data_version

    key = f"core.groups:{data_version.current()}:{user.pk}"
    held = cache.get(key)
    if held is None:
        held = frozenset(user.groups.values_list("name", flat=True))
        cache.set(key, held, GROUPS_SECONDS)
    return held  # type: ignore[no-any-return]


def in_group(*names: str) -> rules.Predicate:
    wanted = frozenset(names)

    @rules.predicate(name=f"has_role({','.join(names)})")
    def _in_group(user: Any) -> bool:
        return bool(user_groups(user) & wanted)

    return _in_group


@rules.predicate
def is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)
