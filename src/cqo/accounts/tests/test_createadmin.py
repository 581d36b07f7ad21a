from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cqo.audit.models import AuditEvent
from cqo.testing.factories import UserFactory

GOOD = "Admin-Console-2026"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def _run(**options: Any) -> str:
    out = io.StringIO()
    call_command("createadmin", stdout=out, **options)
    return out.getvalue()


def test_it_creates_a_superuser_in_the_admin_group_from_the_environment(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CQO_ADMIN_PASSWORD", GOOD)
    monkeypatch.setattr("sys.stdin", _Pipe())
    _run(username="root", email="root@example.com", display_name="系统管理员")
    user = get_user_model().objects.get(username="root")
    assert user.is_superuser and user.is_staff and user.is_active
    assert user.check_password(GOOD)
    assert list(user.groups.values_list("name", flat=True)) == ["admin"]
    event = AuditEvent.objects.get(action="accounts.admin_create")
    assert event.object_id == str(user.pk) and event.actor_id is None
    assert event.after["is_superuser"] is True and "password" not in event.after


def test_it_asks_twice_for_the_password_in_a_terminal(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CQO_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", _Terminal())
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _run(username="root", email="root@example.com")
    assert get_user_model().objects.get(username="root").check_password(GOOD)


def test_two_different_passwords_in_a_terminal_create_nothing(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CQO_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", _Terminal())
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="两次输入的密码不一致"):
        _run(username="root", email="root@example.com")
    assert not get_user_model().objects.filter(username="root").exists()


def test_without_a_terminal_or_a_password_it_fails_clearly_and_creates_nothing(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CQO_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", _Pipe())
    with pytest.raises(CommandError, match="CQO_ADMIN_PASSWORD"):
        _run(username="root", email="root@example.com")
    assert not get_user_model().objects.exists()
    assert not AuditEvent.objects.exists()


def test_no_input_never_prompts_even_in_a_terminal(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CQO_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("prompted"))
    with pytest.raises(CommandError, match="CQO_ADMIN_PASSWORD"):
        _run(username="root", email="root@example.com", no_input=True)


@pytest.mark.parametrize(
    ("username", "email", "password", "field", "message"),
    [
        ("taken", "a@example.com", GOOD, "username", "已存在"),
        ("TAKEN", "a@example.com", GOOD, "username", "已存在"),
        ("bad name!", "a@example.com", GOOD, "username", "用户名"),
        ("root", "not-an-email", GOOD, "email", "合法的邮件地址"),
        ("root", "a@example.com", "short", "password", "密码长度太短"),
        ("root", "a@example.com", "1234567890123", "password", "密码只包含数字"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_creates_nothing(
    db: Any,
    monkeypatch: pytest.MonkeyPatch,
    username: str,
    email: str,
    password: str,
    field: str,
    message: str,
) -> None:
    UserFactory(username="taken")
    monkeypatch.setenv("CQO_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError) as caught:
        _run(username=username, email=email)
    assert f"{field}: " in str(caught.value) and message in str(caught.value)
    assert get_user_model().objects.count() == 1
    assert not AuditEvent.objects.exists()
