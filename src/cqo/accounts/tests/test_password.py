from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from knox.models import AuthToken

from cqo.accounts.services import user_password_change
from cqo.audit.models import AuditEvent
from cqo.testing.factories import TEST_PASSWORD, UserFactory

CHANGE = "/accounts/password/"
NEW = "Quality-Gate-2027"


def _change(client: Client, new1: str, new2: str | None = None, old: str = TEST_PASSWORD) -> Any:
    return client.post(
        CHANGE,
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


@pytest.fixture
def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_user_changes_the_password_keeps_the_session_and_it_is_audited(
    user: Any, signed_in: Client
) -> None:
    response = _change(signed_in, NEW)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert signed_in.get("/accounts/password/done/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.actor_id == user.pk and event.object_id == str(user.pk)
    assert "password" not in (event.after or {})


@pytest.mark.parametrize(
    ("password", "chinese", "english"),
    [
        ("Ab1-short", "密码长度太短。密码必须包含至少 10 个字符。", "at least 10 characters"),
        ("1234567890123", "密码只包含数字。", "entirely numeric"),
        ("password1234", "这个密码太常见了。", "too common"),
        ("zhangsan-2026", "密码跟 用户名 太相似了。", "too similar to the username"),
    ],
)
def test_the_password_policy_explains_itself_in_the_users_language(
    user: Any, password: str, chinese: str, english: str
) -> None:
    zh = Client()
    zh.force_login(user)
    assert chinese in _change(zh, password).content.decode()
    en = Client(headers={"accept-language": "en"})
    en.force_login(user)
    assert english in _change(en, password).content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password_change").exists()


def test_a_wrong_current_password_changes_nothing(user: Any, signed_in: Client) -> None:
    html = _change(signed_in, NEW, old="not-my-password").content.decode()
    assert "你的旧密码不正确" in html
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_the_service_refuses_to_change_someone_elses_password(user: Any) -> None:
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        user_password_change(actor=other, user=user, password=NEW)
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_the_service_applies_the_policy_naming_the_field(user: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        user_password_change(actor=user, user=user, password="short")
    assert "new_password1" in caught.value.message_dict


# --- the must-change-password gate --------------------------------------------------------


@pytest.fixture
def temporary(db: Any) -> Any:
    return UserFactory(username="newcomer", must_change_password=True)


def test_a_user_with_a_temporary_password_is_sent_to_the_change_page(temporary: Any) -> None:
    client = Client()
    client.force_login(temporary)
    response = client.get("/org/units/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/?next=%2Forg%2Funits%2F%3Fx%3D1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "您的账户使用的是临时密码" in page.content.decode()


def test_the_gate_leaves_static_files_sign_out_and_the_language_switch_open(
    temporary: Any,
) -> None:
    client = Client()
    client.force_login(temporary)
    assert client.get("/static/workbench/cqo.css").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "en", "next": CHANGE})
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_is_sent_to_the_change_page_by_header(temporary: Any) -> None:
    client = Client()
    client.force_login(temporary)
    response = client.get("/org/units/", headers={"hx-request": "true"})
    assert response["HX-Redirect"].startswith(CHANGE)


def test_after_the_change_the_user_goes_on_to_the_page_asked_for(temporary: Any) -> None:
    client = Client()
    client.force_login(temporary)
    response = client.post(
        CHANGE,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW,
            "new_password2": NEW,
            "next": "/audit/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/audit/"
    temporary.refresh_from_db()
    assert temporary.must_change_password is False
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.before == {"must_change_password": True}
    assert event.after == {"must_change_password": False}


def test_the_api_answers_403_with_a_message_to_a_session_with_a_temporary_password(
    temporary: Any,
) -> None:
    client = Client()
    client.force_login(temporary)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert "您必须先修改临时密码" in response.json()["detail"]
    english = client.get("/api/v1/me/?lang=en").json()["detail"]
    assert "You must change your temporary password" in english


def test_the_api_answers_403_to_a_token_whose_user_has_a_temporary_password(
    temporary: Any,
) -> None:
    _token, key = AuthToken.objects.create(user=temporary)
    response = Client().get(
        "/api/v1/me/", headers={"authorization": f"Token {key}", "accept-language": "en"}
    )
    assert response.status_code == 403
    assert "You must change your temporary password" in response.json()["detail"]


def test_wrong_current_passwords_lock_the_change_but_not_sign_in(
    user: Any, signed_in: Client
) -> None:
    for _ in range(5):
        assert _change(signed_in, NEW, old="wrong-guess-1").status_code == 200
    # The right password is refused now: asking again is locked for this account.
    locked = _change(signed_in, NEW)
    assert locked.status_code == 200
    assert "锁定" in locked.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    # Whoever holds the session cannot lock the owner out of signing in elsewhere.
    assert (
        Client()
        .post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
        .status_code
        == 302
    )


def test_a_new_password_revokes_the_api_tokens(user: Any) -> None:
    AuthToken.objects.create(user=user)
    user_password_change(actor=user, user=user, password=NEW)
    assert not AuthToken.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.after["tokens_revoked"] == 1


@pytest.mark.parametrize("password", ["qe2qe2qe2qe2", "Xqe2-2026-QE2x", "QE2qe2QE2qe2"])
def test_a_password_built_from_the_username_is_refused(db: Any, password: str) -> None:
    from django.contrib.auth import password_validation

    user = UserFactory(username="qe2")
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password(password, user)
    assert any(e.code == "password_contains_username" for e in exc.value.error_list)


def test_a_two_letter_username_does_not_forbid_every_password_with_those_letters(db: Any) -> None:
    from django.contrib.auth import password_validation

    password_validation.validate_password("Quality-Gate-2027", UserFactory(username="ua"))
