"""A test database's rows, taken once and put back: an expensive world (the full demo) is built
by the first test that reads it and restored, exactly, for each later one.

Made for transactional tests (the browser flows, whose live server sees committed rows and whose
database is emptied after each test): ``snapshot_take`` copies every table of the database as it
stands, ``snapshot_restore`` empties the tables and writes the copy back, sequences and the audit
anchor file included, so the next test starts from the same rows the build left.

- SQLite: the whole in-memory database through SQLite's backup API (page by page, triggers and
  ``sqlite_sequence`` with it).
- PostgreSQL: ``COPY ... TO STDOUT (FORMAT binary)`` per table, then ``TRUNCATE`` and ``COPY ...
  FROM STDIN`` in one transaction (Django's foreign keys are deferred, so the order does not
  matter) and the sequences moved past the restored ids.

Only for tests: nothing in the product restores a database this way (``cqo restore`` is the
product's own, audited path).
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

KEPT = {"django_migrations"}  # the schema's history: flushing leaves it, so does a restore


@dataclass
class Snapshot:
    vendor: str
    sqlite: sqlite3.Connection | None = None
    tables: dict[str, bytes] | None = None
    anchors: bytes | None = None


def _anchor_file() -> Path:
    from django.conf import settings

    return Path(settings.AUDIT_ANCHOR_FILE)


def _pg_tables(connection: Any) -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t not in KEPT)


def snapshot_take(connection: Any) -> Snapshot:
    """Copy every table of ``connection``'s database (outside any transaction)."""
    connection.ensure_connection()
    anchors = _anchor_file().read_bytes() if _anchor_file().exists() else None
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot(vendor="sqlite", sqlite=copy, anchors=anchors)
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        tables: dict[str, bytes] = {}
        with connection.cursor() as cur:
            for table in _pg_tables(connection):
                with cur.cursor.copy(f"COPY {qn(table)} TO STDOUT (FORMAT binary)") as copy:
                    tables[table] = b"".join(bytes(block) for block in copy)
        return Snapshot(vendor="postgresql", tables=tables, anchors=anchors)
    raise NotImplementedError(connection.vendor)


def snapshot_restore(connection: Any, snapshot: Snapshot) -> None:
    """Put the snapshot's rows back: afterwards the database holds exactly what it held when
    the snapshot was taken."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import transaction

    assert connection.vendor == snapshot.vendor
    connection.ensure_connection()
    if snapshot.sqlite is not None:
        snapshot.sqlite.backup(connection.connection)
    else:
        assert snapshot.tables is not None
        qn = connection.ops.quote_name
        tables = _pg_tables(connection)
        assert set(tables) == set(snapshot.tables), "the schema changed since the snapshot"
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute("TRUNCATE " + ", ".join(qn(t) for t in tables))
            for table in tables:
                data = snapshot.tables[table]
                if not data:
                    continue
                with cur.cursor.copy(f"COPY {qn(table)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cur.execute(sql)
    # Content types are cached by id; the flush before this test made them afresh.
    ContentType.objects.clear_cache()
    anchor = _anchor_file()
    if snapshot.anchors is not None:
        anchor.parent.mkdir(parents=True, exist_ok=True)
        anchor.write_bytes(snapshot.anchors)
    elif anchor.exists():
        anchor.unlink()


# What ``built_once`` built, per name and test database: (the build's result, its snapshot).
_BUILT: dict[str, tuple[Any, Snapshot]] = {}


def built_once(connection: Any, name: str, build: Callable[[], T]) -> T:
    """In a transactional test: the first call (per test process and database) runs ``build``
    and takes a snapshot of the database; every later call puts the snapshot's rows back
    instead. Each call gets its own deep copy of what ``build`` returned (a demo context holds
    model instances and its random generator, which a test may change)."""
    key = f"{name}:{connection.vendor}:{connection.settings_dict['NAME']}"
    if key in _BUILT:
        result, snapshot = _BUILT[key]
        snapshot_restore(connection, snapshot)
        return copy.deepcopy(result)  # type: ignore[no-any-return]
    result = build()
    _BUILT[key] = (copy.deepcopy(result), snapshot_take(connection))
    return result
