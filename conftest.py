"""Project-wide test set-up.

The audit tables carry append-only triggers. Django empties the database after a transactional
test (the browser tests need those) with DELETE on SQLite, which the triggers refuse; so around
such tests the SQLite triggers are dropped for the flush and put back before the next test.
PostgreSQL empties tables with TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

_triggers = importlib.import_module("cqo.audit.migrations.0002_append_only_triggers")


def _sqlite_triggers_present(connection) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'audit_%'"
        )
        return cur.fetchone()[0] > 0


@pytest.fixture(autouse=True)
def _audit_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    marker_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not marker_db and not request.node.get_closest_marker("django_db"):
        yield
        return
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if connection.vendor == "sqlite":
        request.getfixturevalue("transactional_db" if transactional else "db")
        if not _sqlite_triggers_present(connection):
            with connection.cursor() as cur:
                for sql in _triggers.create_sql("sqlite"):
                    cur.execute(sql)
    yield
    if connection.vendor == "sqlite" and transactional:
        with connection.cursor() as cur:
            for sql in _triggers.drop_sql("sqlite"):
                cur.execute(sql)


@pytest.fixture(autouse=True)
def _throttle_counts_start_at_zero(request: pytest.FixtureRequest) -> Iterator[None]:
    # Wrong-password counts live in the cache, which outlives each test's database rollback; a
    # test that types wrong passwords must not lock the same username in the next test.
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _audit_anchor_file_per_test(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    # The anchor file outside the database outlives each test's database; a test that commits
    # events (a transactional one) would leave anchors the next test's fresh trail contradicts.
    from django.conf import settings

    saved = getattr(settings, "AUDIT_ANCHOR_FILE", None)
    base = tmp_path_factory.getbasetemp() / "audit-anchors"
    base.mkdir(exist_ok=True)
    settings.AUDIT_ANCHOR_FILE = base / f"{abs(hash(request.node.nodeid))}.log"
    yield
    settings.AUDIT_ANCHOR_FILE = saved
