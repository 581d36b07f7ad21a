"""Fixtures: a small enterprise with a CQO appointed a month ago, an inspector, a quality
engineer and others (``cqo.testing.world.Org``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cqo.testing.world import Org


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture(scope="module")
def module_org(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Org]:
    """One enterprise for a whole test module, in a transaction rolled back at its end; each
    test's own writes are undone after it (its ``db`` transaction nests as a savepoint). Cheaper
    than ``org`` when the tests only read the people."""
    from django.core.cache import cache
    from django.db import transaction

    with django_db_blocker.unblock():
        cache.clear()
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            yield Org()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()
