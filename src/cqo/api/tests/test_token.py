from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.testing.factories import TEST_PASSWORD, UserFactory

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def user(db: Any) -> Any:
    return UserFactory(username="lisi", display_name="李四", display_name_en="Li Si")


def _ask(client: APIClient, username: str, password: str, **kwargs: Any) -> Any:
    return client.post(TOKEN, {"username": username, "password": password}, format="json", **kwargs)


def test_a_token_is_issued_for_a_correct_password_and_signs_requests_in(user: Any) -> None:
    response = _ask(APIClient(), "lisi", TEST_PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=user).key == key
    me = APIClient().get("/api/v1/me/", headers={"authorization": f"Token {key}"})
    assert me.status_code == 200 and me.json()["username"] == "lisi"
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.after == {"ip": "127.0.0.1", "via": "api"}


def test_asking_again_returns_the_same_token(user: Any) -> None:
    first = _ask(APIClient(), "lisi", TEST_PASSWORD).json()["token"]
    assert _ask(APIClient(), "lisi", TEST_PASSWORD).json()["token"] == first


def test_a_wrong_password_gets_400_in_the_users_language_and_no_token(user: Any) -> None:
    zh = _ask(APIClient(), "lisi", "wrong")
    assert zh.status_code == 400
    assert "用户名或密码不正确" in zh.json()["detail"][0]
    en = _ask(APIClient(), "lisi", "wrong", headers={"accept-language": "en"})
    assert "The username or the password is not correct" in en.json()["detail"][0]
    assert (
        "not correct" in _ask(APIClient(), "lisi", "x", QUERY_STRING="lang=en").json()["detail"][0]
    )
    assert not Token.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.login_failed").count() == 3


def test_a_missing_field_is_named(user: Any) -> None:
    response = APIClient().post(TOKEN, {"username": "lisi"}, format="json")
    assert response.status_code == 400 and "password" in response.json()


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=900)
def test_the_token_endpoint_shares_the_sign_in_lock_and_answers_429(user: Any) -> None:
    client = APIClient()
    for _ in range(2):
        assert _ask(client, "lisi", "wrong").status_code == 400
    locked = _ask(client, "lisi", "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "登录已锁定 15 分钟" in locked.json()["detail"]
    # The right password is refused while the lock holds, on the API and on the web form.
    assert _ask(APIClient(REMOTE_ADDR="10.2.2.2"), "lisi", TEST_PASSWORD).status_code == 429
    web = Client(REMOTE_ADDR="10.3.3.3").post(
        "/accounts/login/", {"username": "lisi", "password": TEST_PASSWORD}
    )
    assert "登录已锁定" in web.content.decode()
    assert not Token.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.locked").count() == 1


@override_settings(CQO_LOGIN_MAX_FAILURES=2, CQO_LOGIN_LOCK_SECONDS=60)
def test_web_failures_count_towards_the_api_lock(user: Any) -> None:
    web = Client()
    web.post("/accounts/login/", {"username": "lisi", "password": "wrong"})
    web.post("/accounts/login/", {"username": "lisi", "password": "wrong"})
    response = _ask(APIClient(REMOTE_ADDR="10.4.4.4"), "lisi", TEST_PASSWORD)
    assert response.status_code == 429
    assert "1 分钟" in response.json()["detail"]


def test_a_user_with_a_temporary_password_gets_no_token(db: Any) -> None:
    UserFactory(username="temp", must_change_password=True)
    response = _ask(APIClient(), "temp", TEST_PASSWORD, headers={"accept-language": "en"})
    assert response.status_code == 403
    assert "change your temporary password" in response.json()["detail"]
    assert not Token.objects.exists()


def test_delete_revokes_the_callers_token(user: Any) -> None:
    key = _ask(APIClient(), "lisi", TEST_PASSWORD).json()["token"]
    client = APIClient(headers={"authorization": f"Token {key}"})
    assert client.delete(TOKEN).status_code == 204
    assert not Token.objects.exists()
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action="accounts.token_revoke").count() == 1


def test_delete_without_credentials_is_refused(user: Any) -> None:
    Token.objects.create(user=user)
    assert APIClient().delete(TOKEN).status_code == 403
    assert Token.objects.count() == 1


def test_a_session_must_send_the_csrf_token_to_revoke(user: Any) -> None:
    Token.objects.create(user=user)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.delete(TOKEN).status_code == 403
    assert Token.objects.count() == 1
