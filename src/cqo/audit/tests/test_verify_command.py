"""``cqo audit verify`` as an operator runs it: a real process on a real database file, exit code
0 on an intact trail, non-zero naming the event after one row is edited behind the platform's
back (the append-only triggers dropped first, as an attacker with database access would)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

import pytest

_SCRUB = {"DATABASE_URL", "REDIS_URL", "CQO_MODE", "DJANGO_SETTINGS_MODULE", "CQO_TESTING"}

# Real `cqo` processes on real database files: seconds each (marked, still run by `make test`).
pytestmark = pytest.mark.slow


def _cqo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(
        CQO_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'cqo.sqlite3'}",
        CQO_ADMIN_PASSWORD="Verify-Test-2026!",
        CQO_HUEY_IMMEDIATE="1",
    )
    return subprocess.run(
        [sys.executable, "-m", "cqo", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )


def test_cqo_audit_verify_passes_then_fails_naming_the_edited_event(
    tmp_path: Path, migrated_sqlite_file: Callable[[Path], bool]
) -> None:
    # The run's migrated template when there is one: verifying does not depend on migrating
    # (tests/security/test_file_modes.py runs a real `cqo migrate` on an empty directory).
    if not migrated_sqlite_file(tmp_path / "cqo.sqlite3"):
        assert _cqo(tmp_path, "migrate", "-v0").returncode == 0
    for name in ("admin1", "admin2", "admin3"):
        made = _cqo(tmp_path, "createadmin", "--username", name, "--email", f"{name}@x.cn")
        assert made.returncode == 0, made.stderr
    ok = _cqo(tmp_path, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "intact" in ok.stdout

    triggers = import_module("cqo.audit.migrations.0002_append_only_triggers")
    db = sqlite3.connect(tmp_path / "cqo.sqlite3")
    with db:
        seqs = [row[0] for row in db.execute("SELECT seq FROM audit_auditevent ORDER BY seq")]
        assert len(seqs) >= 3
        for sql in triggers.drop_sql("sqlite"):
            db.execute(sql)
        db.execute("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = ?", (seqs[1],))
    db.close()

    broken = _cqo(tmp_path, "audit", "verify")
    assert broken.returncode != 0
    assert "audit chain broken" in broken.stderr
    assert f"#{seqs[1]}" in broken.stderr or f"seq {seqs[1]}" in broken.stderr, broken.stderr
