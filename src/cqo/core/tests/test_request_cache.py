"""The request cache: answers live for one request (or one ``scope()``), and a write forgets them."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from cqo.core import request_cache


def _counter() -> tuple[list[int], Any]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


def test_outside_a_scope_nothing_is_remembered() -> None:
    _calls, compute = _counter()
    assert request_cache.remember("k", compute) == 1
    assert request_cache.remember("k", compute) == 2
    assert not request_cache.active()


def test_inside_a_scope_an_answer_is_computed_once_and_forgotten_at_the_end() -> None:
    _calls, compute = _counter()
    with request_cache.scope():
        assert request_cache.remember("k", compute) == 1
        assert request_cache.remember("k", compute) == 1
        assert request_cache.remember("other", compute) == 2
    with request_cache.scope():
        assert request_cache.remember("k", compute) == 3


def test_a_nested_scope_joins_the_open_one_unless_asked_to_start_fresh() -> None:
    _calls, compute = _counter()
    with request_cache.scope():
        request_cache.remember("k", compute)
        with request_cache.scope():
            assert request_cache.remember("k", compute) == 1
        with request_cache.scope(fresh=True):
            assert request_cache.remember("k", compute) == 2
        assert request_cache.remember("k", compute) == 1


def test_forget_drops_what_the_scope_remembered() -> None:
    _calls, compute = _counter()
    with request_cache.scope():
        request_cache.remember("k", compute)
        request_cache.forget()
        assert request_cache.remember("k", compute) == 2


@pytest.mark.django_db
def test_saving_any_row_forgets_what_the_request_remembered() -> None:
    from cqo.testing.factories import UnitFactory

    _calls, compute = _counter()
    with request_cache.scope():
        request_cache.remember("k", compute)
        UnitFactory()
        assert request_cache.remember("k", compute) == 2


def test_the_middleware_gives_each_request_its_own_scope() -> None:
    _calls, compute = _counter()
    seen: list[int] = []

    def view(request: HttpRequest) -> HttpResponse:
        assert request_cache.active()
        seen.append(request_cache.remember("k", compute))
        seen.append(request_cache.remember("k", compute))
        return HttpResponse()

    middleware = request_cache.RequestCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().get("/"))
    assert seen == [1, 1, 2, 2]
    assert not request_cache.active()
