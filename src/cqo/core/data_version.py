"""A token that changes whenever the database changes: the key under which answers computed from
the database may be kept across requests and across server processes (the shared cache).

An answer is stored under the token read *before* it was computed, so it is never older than
its token. Other connections see a transaction's writes only when it commits, and the commit
replaces the shared token; the writing connection itself sees them at once, so until it commits
it reads under a token of its own, renewed at each write. ``CoreConfig`` calls ``changed()`` from
every saved, deleted or re-linked row, as it does for the request cache; a write that sends no
signal (``QuerySet.update``) goes through ``request_cache.forget()``, which calls it too.

Coarse on purpose: any write makes every kept answer stale, so nobody has to list what an answer
depends on, and a page that is read far more often than the data changes (the dashboard) is
still answered from memory almost always.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from . import commit_hooks

KEY = "core.data_version"
LOCAL = "_cqo_data_version"  # on the connection: its own token while its writes are uncommitted


def _connection() -> Any:
    return connections[DEFAULT_DB_ALIAS]


def current() -> str:
    """The token in force for this connection; answers kept under an older one are never read
    again."""
    token = cache.get(KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(KEY, token, None)
        token = cache.get(KEY, token)
    connection = _connection()
    own = getattr(connection, LOCAL, "")
    if own and not connection.in_atomic_block:
        # The transaction has ended: committed (the shared token is new) or rolled back (its
        # writes are gone), so this connection reads what everyone reads again.
        setattr(connection, LOCAL, "")
        own = ""
    return f"{token}.{own}" if own else str(token)


def _replace() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)
    setattr(_connection(), LOCAL, "")


def changed() -> None:
    """The database has changed (or will, for everyone, when the transaction commits)."""
    connection = _connection()
    if not connection.in_atomic_block:
        _replace()
        return
    setattr(connection, LOCAL, uuid.uuid4().hex)
    # One shared replacement per transaction however many rows it writes, found in constant
    # time (the demo builder and a bulk post write tens of thousands); a rolled-back savepoint
    # drops its callback and the next write registers a new one.
    commit_hooks.on_commit_once(_replace, using=DEFAULT_DB_ALIAS)
