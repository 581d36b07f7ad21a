"""A callback run once when the transaction commits, however many rows the transaction writes.

``transaction.on_commit`` registers a callback each time it is called, and finding out whether
one is registered already means scanning the connection's list: a write that did either in a
post_save handler made a transaction of n rows cost n callbacks or n² steps (the demo builder
and a bulk post of inspection results write tens of thousands of rows). ``on_commit_once``
remembers, on the connection, where it put the callback and answers in constant time.

Correct with savepoints: rolling back a savepoint drops the callbacks registered inside it, and
Django then replaces the connection's list with a new one (so does a commit or a rollback). The
callback is taken as registered only while the list is the one it was put in and still holds
it at the same place; after any savepoint rollback the next call registers again. That may cost
one more callback per rolled-back savepoint, never a missing one: a write that survives to the
commit was made while a registration was alive whose open savepoints were all open at that
write, so that registration survives too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

_ON_CONNECTION = "_cqo_commit_hooks"


@dataclass
class _Registered:
    pending: list[Any]  # the connection's run_on_commit list it was appended to
    index: int
    entry: Any
    ran: bool = False


def on_commit_once(
    func: Callable[[], None], *, robust: bool = False, using: str | None = None
) -> bool:
    """Run ``func`` once when the current transaction commits (at once outside a transaction).
    Returns True when it registered a callback, False when one was registered already."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        connection.on_commit(func, robust=robust)
        return True
    hooks: dict[Callable[[], None], _Registered] = connection.__dict__.setdefault(
        _ON_CONNECTION, {}
    )
    pending = connection.run_on_commit
    known = hooks.get(func)
    if (
        known is not None
        and not known.ran
        and known.pending is pending
        and known.index < len(pending)
        and pending[known.index] is known.entry
    ):
        return False

    # ``ran`` covers a test's captured callbacks, which run without leaving the list.
    @functools.wraps(func)
    def run() -> None:
        registered.ran = True
        func()

    registered = _Registered(pending, len(pending), None)
    connection.on_commit(run, robust=robust)
    registered.entry = pending[registered.index]
    hooks[func] = registered
    return True
