"""Production mode: ``cqo check --deploy`` is clean, and the mode refuses to start half-configured.

Each case runs the real ``cqo`` in a fresh interpreter with CQO_MODE=production, as an operator
would: the settings module reads the environment once at import, and pytest's own settings
(cheap hashing, locmem cache) must not leak into what is checked.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
# Variables of the developer's or CI's shell that would change what production mode reads.
_SCRUB = {
    "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "CQO_MODE",
    "CQO_TESTING", "CQO_HUEY_IMMEDIATE", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER",
    "DJANGO_ALLOW_ASYNC_UNSAFE", "CQO_AUDIT_KEY",
}  # fmt: skip


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(
        CQO_MODE="production",
        CQO_VAR_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="cqo.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        CQO_AUDIT_KEY=secrets.token_hex(32),
    )
    env.update(values)
    return {k: v for k, v in env.items() if v != ""}


def _cqo(tmp_path: Path, *args: str, **values: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cqo", *args],
        env=_env(tmp_path, **values),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.slow
def test_the_deploy_check_is_clean_in_production_mode(tmp_path: Path) -> None:
    result = _cqo(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?: (security." not in output


@pytest.mark.slow
def test_the_deploy_check_fails_on_a_weak_secret_key(tmp_path: Path) -> None:
    # The same check, shown able to fail: a short key is reported and the exit code says so.
    result = _cqo(tmp_path, "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.slow
def test_the_deploy_check_asks_for_an_audit_key_every_app_server_shares(tmp_path: Path) -> None:
    result = _cqo(tmp_path, "check", "--deploy", "--fail-level", "WARNING", CQO_AUDIT_KEY="")
    assert result.returncode != 0
    assert "cqo.audit.W001" in result.stdout + result.stderr


@pytest.mark.slow
def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _cqo(tmp_path, "check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production mode" in result.stderr
    # Nothing was written in place of the missing key.
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.slow
def test_production_mode_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    result = _cqo(tmp_path, "check", ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in production mode" in result.stderr


def test_the_production_password_hasher_list_starts_with_argon2() -> None:
    assert settings.PRODUCTION_PASSWORD_HASHERS[0] == ARGON2


_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
print(json.dumps({
    "hashers": settings.PASSWORD_HASHERS,
    "hash": make_password("Quality-Gate-2027")[:10],
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_httponly": settings.CSRF_COOKIE_HTTPONLY,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "debug": settings.DEBUG,
    "pytest_loaded": __import__("sys").modules.get("pytest") is not None,
}))
"""


@pytest.mark.slow
def test_production_mode_hashes_with_argon2_and_sends_cookies_over_https_only(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="cqo.settings")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["pytest_loaded"] is False
    assert probe["hashers"][0] == ARGON2
    assert probe["hash"].startswith("argon2")
    assert probe["session_secure"] and probe["csrf_secure"] and probe["csrf_httponly"]
    assert probe["hsts"] >= 31536000 and probe["ssl_redirect"] is True
    assert probe["debug"] is False
