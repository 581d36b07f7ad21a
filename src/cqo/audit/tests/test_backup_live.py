"""A backup taken while the platform is busy writing still restores with an intact chain.

Real processes on a real SQLite file, as an operator meets it: one process keeps appending audit
events (as requests do), another takes backups meanwhile; each archive is restored into a fresh
database and verified.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

_SCRUB = {"DATABASE_URL", "REDIS_URL", "CQO_MODE", "DJANGO_SETTINGS_MODULE", "CQO_TESTING"}

# Real `cqo` processes on real database files: seconds each (marked, still run by `make test`).
pytestmark = pytest.mark.slow

WRITER = """
from cqo.accounts.models import User
from cqo.audit.services import audit_record
user = User.objects.get(username="busy")
for i in range(200):
    audit_record(actor=user, action="test.busy", obj=user, after={"i": i}, clause="§8")
"""


def _env(var: Path, db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(CQO_VAR_DIR=str(var), DATABASE_URL=f"sqlite:///{var / db}", CQO_HUEY_IMMEDIATE="1")
    env["CQO_ADMIN_PASSWORD"] = "Quiet-Archive-2026!"
    return env


def _cqo(var: Path, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cqo", *args],
        env=_env(var, db),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=var,
    )


def _migrated(var: Path, db: str, copy: Callable[[Path], bool]) -> None:
    # The run's migrated template when there is one (what is tested here does not depend on
    # migrating; tests/security/test_file_modes.py runs a real `cqo migrate`).
    if not copy(var / db):
        assert _cqo(var, db, "migrate", "-v0").returncode == 0


def test_backups_taken_during_writes_restore_with_an_intact_chain(
    tmp_path: Path, migrated_sqlite_file: Callable[[Path], bool]
) -> None:
    _migrated(tmp_path, "live.sqlite3", migrated_sqlite_file)
    made = _cqo(tmp_path, "live.sqlite3", "createadmin", "--username", "busy", "--email", "b@x.cn")
    assert made.returncode == 0, made.stderr
    writer = subprocess.Popen(
        [sys.executable, "-m", "cqo", "shell", "-c", WRITER],
        env=_env(tmp_path, "live.sqlite3"),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    archives = []
    try:
        for n in range(3):
            archive = tmp_path / f"busy-{n}.tar.gz"
            done = _cqo(tmp_path, "live.sqlite3", "backup", "--output", str(archive))
            assert done.returncode == 0, done.stderr
            archives.append(archive)
    finally:
        _out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    for n, archive in enumerate(archives):
        db = f"restored-{n}.sqlite3"
        _migrated(tmp_path, db, migrated_sqlite_file)
        restored = _cqo(tmp_path, db, "restore", str(archive), "--force")
        assert restored.returncode == 0, restored.stderr
        verified = _cqo(tmp_path, db, "audit", "verify")
        assert verified.returncode == 0, verified.stderr
