"""Secrets at rest (issue 8 §5): the var dir, the SQLite database, the keys, the anchor file and
every backup archive are the owner's alone, whatever the umask of the shell that started ``cqo``.

A real ``cqo`` in a fresh interpreter, as an operator runs it, with the common 022 umask.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Real `cqo` processes on real database files: seconds each (marked, still run by `make test`).
pytestmark = pytest.mark.slow

_SCRUB = {"DATABASE_URL", "REDIS_URL", "CQO_MODE", "DJANGO_SETTINGS_MODULE", "CQO_TESTING",
          "CQO_AUDIT_KEY", "CQO_AUDIT_ANCHOR_FILE", "CQO_MEDIA_ROOT"}  # fmt: skip


def _cqo(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(CQO_VAR_DIR=str(var), CQO_HUEY_IMMEDIATE="1", CQO_ADMIN_PASSWORD="Modes-Test-2026!")
    return subprocess.run(
        [sys.executable, "-m", "cqo", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=var.parent,
        preexec_fn=lambda: os.umask(0o022),  # the test is about the umask
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_var_dir_database_keys_and_backups_are_owner_only(tmp_path: Path) -> None:
    var = tmp_path / "var"
    done = _cqo(var, "migrate", "-v0")
    assert done.returncode == 0, done.stderr
    made = _cqo(var, "createadmin", "--username", "admin1", "--email", "a@x.cn")
    assert made.returncode == 0, made.stderr
    archive = _cqo(var, "backup")
    assert archive.returncode == 0, archive.stderr

    assert _mode(var) == 0o700
    for name in ("cqo.sqlite3", "secret_key", "audit_key", "audit/anchors.log", "huey.sqlite3"):
        assert _mode(var / name) == 0o600, name
    for side in var.glob("cqo.sqlite3-*"):  # the WAL and shared-memory files
        assert _mode(side) == 0o600, side.name
    assert _mode(var / "backups") == 0o700
    (backup,) = (var / "backups").glob("*.tar.gz")
    assert _mode(backup) == 0o600
    assert (
        "audit_key"
        not in subprocess.run(
            ["tar", "tzf", str(backup)], capture_output=True, text=True, check=True
        ).stdout
    )
