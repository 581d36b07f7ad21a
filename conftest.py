"""Project-wide test set-up.

The audit tables carry append-only triggers. Django empties the database after a transactional
test (the browser tests need those) with DELETE on SQLite, which the triggers refuse; so around
such tests the SQLite triggers are dropped for the flush and put back before the next test.
PostgreSQL empties tables with TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_triggers = importlib.import_module("cqo.audit.migrations.0002_append_only_triggers")


def pytest_configure(config: pytest.Config) -> None:
    # Every test process after the first copies one migrated database instead of migrating its
    # own (cqo.testing.template_db, docs/testing.md).
    from cqo.testing import template_db

    template_db.install()
    _postgresql_commits_without_waiting_for_the_disk()


def _postgresql_commits_without_waiting_for_the_disk() -> None:
    # A test database is thrown away after the run: its commits need not wait for the WAL to
    # reach the disk (about 6 ms each on the reference machine, 0.2 ms without). Only the
    # durability after a server crash changes; what each transaction sees, its locks and its
    # constraints are the same (PostgreSQL's synchronous_commit=off, for these connections only:
    # the live server's threads and the test processes, not the product's own settings).
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database.get("ENGINE") == "django.db.backends.postgresql":
            options = database.setdefault("OPTIONS", {})
            extra = options.get("options", "")
            options["options"] = f"{extra} -c synchronous_commit=off".strip()


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


@pytest.fixture
def demo_kernel(transactional_db: None) -> object:
    """The demo's organisation, post, authorities and master data (``cqo.testing.demo.KERNEL``),
    built once per test process and database and put back for each test (a transactional test:
    ``cqo.testing.snapshot.built_once``); a test adds its own builders with ``demo_build_on``."""
    from django.db import connection

    from cqo.testing.demo import demo_kernel_build
    from cqo.testing.snapshot import built_once

    return built_once(connection, "demo_kernel", demo_kernel_build)


@pytest.fixture
def migrated_sqlite_file(request: pytest.FixtureRequest) -> Callable[[Path], bool]:
    """For tests that start real ``cqo`` processes on a SQLite file: ``copy(path)`` puts this
    run's migrated template (``cqo.testing.template_db``) at ``path``, as ``cqo migrate`` on an
    empty file would leave it, without the minute of migrating. On a SQLite test run the
    template is made by the first test database if there is none yet; otherwise (a PostgreSQL
    run) ``copy`` returns False and the test migrates as before. ``tests/security/
    test_file_modes.py`` still runs a real ``cqo migrate`` on an empty var directory."""
    from django.db import connection

    from cqo.testing.template_db import sqlite_template

    if connection.vendor == "sqlite":
        request.getfixturevalue("django_db_setup")

    def copy(path: Path) -> bool:
        template = sqlite_template()
        if template is None:
            return False
        shutil.copyfile(template, path)
        path.chmod(0o600)
        return True

    return copy


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language() -> Iterator[None]:
    # The locale middleware activates a request's language on the thread that serves it, and
    # nothing turns it back: a test asking a page in English left the next test of the same
    # worker reading English, failing or passing by the order xdist chose.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


# Modules whose tests take seconds each: the API fuzz (three callers, about 45 s of CPU each), the
# hostile-text export walk, the inspection demo year built for its module; and every module with
# a test marked slow (real `cqo` processes). Sent to the xdist workers first, so the long ones are
# packed early and the two workers end together, instead of one waiting out the other's last fuzz
# run at the end (they were collected last: tests/ comes after src/).
HEAVY_MODULES = (
    "tests/security/test_api_fuzz.py",
    "tests/security/test_exports.py",
    "src/cqo/inspection/tests/test_demo.py",
)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        {"transactional_db", "live_server"} & fixtures
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database-tests-only"):
        # A test that touches no database gives the same answer on either; the SQLite run has it.
        kept = [item for item in items if _uses_database(item)]
        kept_ids = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept_ids])
        items[:] = kept
    # After pytest-django's own order (database tests, then transactional ones, then the rest): a
    # heavy module moves to the front whole (its module-scoped worlds are built once), unless one
    # of its tests is transactional, which must stay after the others.
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    heavy = {
        path
        for path, its in modules.items()
        if (path in HEAVY_MODULES or any(i.get_closest_marker("slow") for i in its))
        and not any(_transactional(i) for i in its)
    }
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in heavy)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use a database (the PostgreSQL run: the others do not "
        "depend on the database and already ran on SQLite)",
    )


def _uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server", "django_db_setup"} & fixtures
    )
