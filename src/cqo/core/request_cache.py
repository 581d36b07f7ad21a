"""Answers remembered for one request, then forgotten: the one place request-scoped caching lives.

A page asks the same questions many times: who the user is in the organisation, whether they
are the CQO in office today (§3.1, §6), which authorities they hold by delegation, what §5 still
asks of the post. Each is worth asking the database once per request and never longer, so that
the next request sees every change at once.

``RequestCacheMiddleware`` opens a fresh scope around each request; a job or a command that asks
many questions may open one with ``scope()``. Outside any scope ``remember`` simply computes: a
service called from a test or a shell is never answered from a stale memory. The scope lives in
a ``ContextVar``, so each thread of the server (and each asyncio task) has its own.

Every saved, deleted or re-linked row makes the current scope forget everything (``CoreConfig``
connects the model signals), which is always correct and costs at most a few repeated queries;
a write that sends no signal (``QuerySet.update``) calls ``forget()`` itself.

Why our own and not a library: what is needed is a dict with a lifetime. Query-result caches
(django-cacheops, cachalot) key on SQL and invalidate on saves across processes, which is more
machinery than one request needs and would hold answers past the request.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_SCOPE: contextvars.ContextVar[dict[Hashable, Any] | None] = contextvars.ContextVar(
    "cqo_request_cache", default=None
)


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """The answer remembered under ``key`` in this scope, computed (and kept) the first time."""
    store = _SCOPE.get()
    if store is None:
        return compute()
    try:
        return store[key]  # type: ignore[no-any-return]
    except KeyError:
        value = store[key] = compute()
        return value


def forget() -> None:
    """Drop everything remembered in the current scope (after a write that may change it)."""
    store = _SCOPE.get()
    if store is not None:
        store.clear()


def active() -> bool:
    return _SCOPE.get() is not None


@contextlib.contextmanager
def scope(*, fresh: bool = False) -> Iterator[None]:
    """Remember answers until the block ends. Inside an open scope this joins it (a selector that
    opens a scope within a request shares the request's answers), unless ``fresh``."""
    if _SCOPE.get() is not None and not fresh:
        yield
        return
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


class RequestCacheMiddleware:
    """One scope per request: answers never outlive the request that asked them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with scope(fresh=True):
            return self.get_response(request)
