from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cqo.testing.factories import member


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Sign-in throttle counters live in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(db: Any):
    """An API client signed in (by session) as a new member with the given roles."""

    def make(*roles: str, **kwargs: Any) -> tuple[APIClient, Any]:
        user = member(list(roles), **kwargs)
        client = APIClient()
        client.force_login(user)
        return client, user

    return make
