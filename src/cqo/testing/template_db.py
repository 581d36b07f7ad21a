"""One migrated test database per run, copied into every test process.

Each test process (two xdist workers per database, each browser run) used to migrate its own
test database: about a minute of CPU each on the 2-core machine, some 6 minutes of ``make test``.
Now the first process to need a database migrates it as before and keeps a copy, the
*template*; every later process with the same migrations copies the template instead:

- SQLite: the template is a file in ``$CQO_VAR_DIR/test-templates/``, written from the migrated
  test database with SQLite's backup API and read back into each new test database the same way
  (triggers, ``sqlite_sequence`` and the ``django_migrations`` rows with it).
- PostgreSQL: the template is a database, ``cqo_tpl_<key>``, made with ``CREATE DATABASE ...
  TEMPLATE`` from the migrated test database, and each new test database is made from it the
  same way (PostgreSQL copies the files; no SQL is replayed).

The key is a digest of every migration file and of the database engine, so a changed migration
builds a new template and a stale one is never used. A file lock makes the processes of one run
take turns: PostgreSQL refuses to copy a database another session is using. ``manage.py test``
and the product never come here: only the test suite's ``conftest.py`` installs it.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.db import DatabaseError
from django.db.backends.base.creation import BaseDatabaseCreation

_original_create_test_db: Callable[..., str] = BaseDatabaseCreation.create_test_db


def _migrations_key(vendor: str) -> str:
    import django
    from django.apps import apps

    digest = hashlib.sha256(f"{vendor}|{django.get_version()}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _template_dir() -> Path:
    from django.conf import settings

    folder = Path(settings.VAR_DIR) / "test-templates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _locked(name: str) -> Iterator[None]:
    # SQLite's template lives in this checkout's var directory, so its lock does too; the
    # PostgreSQL server is shared by every checkout on the machine, so its lock is machine-wide.
    folder = _template_dir() if name == "sqlite" else Path(tempfile.gettempdir())
    with open(folder / f"cqo-test-template-{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _finish(creation: Any, serialize: bool) -> None:
    # What Django's create_test_db does after migrating, in the same order.
    from django.core.management import call_command

    if serialize:
        creation.connection._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=creation.connection.alias)
    creation.connection.ensure_connection()


def _point_at(creation: Any, name: str) -> None:
    from django.conf import settings

    creation.connection.close()
    settings.DATABASES[creation.connection.alias]["NAME"] = name
    creation.connection.settings_dict["NAME"] = name


def _sqlite(creation: Any, verbosity: int, autoclobber: bool, serialize: bool, keepdb: bool) -> str:
    key = _migrations_key("sqlite")
    template = _template_dir() / f"sqlite-{key}.sqlite3"
    with _locked("sqlite"):
        if not template.exists():
            name = _original_create_test_db(creation, verbosity, autoclobber, serialize, keepdb)
            for stale in _template_dir().glob("sqlite-*.sqlite3"):
                stale.unlink()
            partial = template.with_suffix(".partial")
            target = sqlite3.connect(partial)
            creation.connection.ensure_connection()
            creation.connection.connection.backup(target)
            target.close()
            partial.rename(template)
            return name
    name = creation._get_test_db_name()
    creation._create_test_db(verbosity, autoclobber, keepdb)
    _point_at(creation, name)
    creation.connection.ensure_connection()
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        source.backup(creation.connection.connection)
    finally:
        source.close()
    _finish(creation, serialize)
    return name


def _postgresql(
    creation: Any, verbosity: int, autoclobber: bool, serialize: bool, keepdb: bool
) -> str:
    template = f"cqo_tpl_{_migrations_key('postgresql')}"
    quote = creation.connection.ops.quote_name
    with _locked("postgresql"):
        with creation._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            exists = cursor.fetchone() is not None
        if not exists:
            name = _original_create_test_db(creation, verbosity, autoclobber, serialize, keepdb)
            creation.connection.close()
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(name)}")
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'cqo\\_tpl\\_%%' "
                    "AND datname <> %s",
                    [template],
                )
                stale = [row[0] for row in cursor.fetchall()]
            # Templates of older migrations go; one in use by another run stays for a later one.
            for old in stale:
                with suppress(DatabaseError), creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
            creation.connection.ensure_connection()
            return name
        name = creation._get_test_db_name()
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    _point_at(creation, name)
    _finish(creation, serialize)
    return name


def create_test_db(
    self: Any,  # Django private helpers (_nodb_cursor, _get_test_db_name) the stubs omit
    verbosity: int = 1,
    autoclobber: bool = False,
    serialize: bool = True,
    keepdb: bool = False,
) -> str:
    vendor = self.connection.vendor
    migrate = self.connection.settings_dict.get("TEST", {}).get("MIGRATE", True)
    if keepdb or migrate is False or vendor not in {"sqlite", "postgresql"}:
        return _original_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    if vendor == "sqlite":
        return _sqlite(self, verbosity, autoclobber, serialize, keepdb)
    return _postgresql(self, verbosity, autoclobber, serialize, keepdb)


def sqlite_template() -> Path | None:
    """This run's migrated SQLite template file, if a test process made it: a test that starts
    real ``cqo`` processes copies it as their database instead of running ``cqo migrate``."""
    path = _template_dir() / f"sqlite-{_migrations_key('sqlite')}.sqlite3"
    return path if path.exists() else None


def install() -> None:
    setattr(BaseDatabaseCreation, "create_test_db", create_test_db)  # noqa: B010
