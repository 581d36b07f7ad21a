from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from cqo.testing.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Throttle counters live in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A frozen clock for the throttle and the cache's expiry; ``clock.advance(seconds)``."""
    import time

    # DRF's throttle keeps ``timer = time.time`` as a class attribute, bound when its module is
    # first imported: import it before the patch, or a frozen lambda becomes its method for good.
    import rest_framework.throttling  # noqa: F401

    class Clock:
        def __init__(self) -> None:
            self.now = 1_800_000_000.0

        def advance(self, seconds: float) -> None:
            self.now += seconds

    frozen = Clock()
    monkeypatch.setattr(time, "time", lambda: frozen.now)
    return frozen


@pytest.fixture
def user(db: Any) -> Any:
    return UserFactory(username="zhangsan", display_name="张三", display_name_en="Zhang San")
