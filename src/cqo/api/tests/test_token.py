from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.testing.factories import TEST_PASSWORD, UserFactory

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"


@pytest.fixture
def user(db: Any) -> Any:
    return UserFactory(username="lisi", display_name="李四", display_name_en="Li Si")


def _ask(client: APIClient, username: str, password: str, **kwargs: Any) -> Any:
    return client.post(TOKEN, {"username": username, "password": password}, format="json", **kwargs)


def _key(username: str = "lisi") -> str:
    return str(_ask(APIClient(), username, TEST_PASSWORD).json()["token"])


def _as(key: str) -> APIClient:
    return APIClient(headers={"authorization": f"Token {key}"})


def test_a_token_is_issued_for_a_correct_password_and_signs_requests_in(user: Any) -> None:
    response = _ask(APIClient(), "lisi", TEST_PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    me = _as(key).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "lisi"
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.after == {"ip": "127.0.0.1", "via": "api"}
    assert (
        AuditEvent.objects.get(action="accounts.token_create").after["token"]
        == (response.json()["id"])
    )


def test_the_token_is_stored_only_as_a_hash(user: Any) -> None:
    key = _key()
    (token,) = AuthToken.objects.filter(user=user)
    assert key not in (token.digest, token.token_key)
    assert (
        len(token.digest) == 128
        and token.digest == __import__("hashlib").sha512(key.encode()).hexdigest()
    )


@override_settings(CQO_API_TOKEN_DAYS=90)
def test_a_token_expires_after_ninety_days(user: Any) -> None:
    before = timezone.now()
    response = _ask(APIClient(), "lisi", TEST_PASSWORD).json()
    (token,) = AuthToken.objects.filter(user=user)
    assert token.expiry is not None
    assert abs(token.expiry - before - datetime.timedelta(days=90)) < datetime.timedelta(minutes=1)
    assert response["expiry"]
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    assert _as(response["token"]).get("/api/v1/me/").status_code in (401, 403)


def test_each_request_for_a_token_issues_a_new_one(user: Any) -> None:
    first, second = _key(), _key()
    assert first != second
    assert AuthToken.objects.filter(user=user).count() == 2


def test_the_owner_lists_their_tokens_and_revokes_one(user: Any) -> None:
    first, second = _key(), _key()
    other = UserFactory(username="wangwu")
    _key("wangwu")
    listed = _as(first).get(TOKENS).json()
    assert len(listed) == 2
    assert [t["current"] for t in listed].count(True) == 1
    assert all(set(t) == {"id", "created", "expiry", "current"} for t in listed)
    assert all(first not in str(t) and second not in str(t) for t in listed)
    target = next(t["id"] for t in listed if not t["current"])
    assert _as(first).delete(f"{TOKENS}{target}/").status_code == 204
    assert _as(second).get("/api/v1/me/").status_code in (401, 403)
    assert _as(first).get("/api/v1/me/").status_code == 200
    # Another user's token id is not found, and stays.
    theirs = AuthToken.objects.get(user=other).digest[:16]
    assert _as(first).delete(f"{TOKENS}{theirs}/").status_code == 404
    assert AuthToken.objects.filter(user=other).count() == 1
    assert _as(first).delete(f"{TOKENS}not-an-id/").status_code == 404


def test_a_key_that_is_not_utf8_is_refused_not_a_server_error(user: Any) -> None:
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Token \xff\xfe")
    assert response.status_code in (401, 403)


def test_a_wrong_password_gets_400_in_the_users_language_and_no_token(user: Any) -> None:
    zh = _ask(APIClient(), "lisi", "wrong")
    assert zh.status_code == 400
    assert "用户名或密码不正确" in zh.json()["detail"][0]
    en = _ask(APIClient(), "lisi", "wrong", headers={"accept-language": "en"})
    assert "The username or the password is not correct" in en.json()["detail"][0]
    assert (
        "not correct" in _ask(APIClient(), "lisi", "x", QUERY_STRING="lang=en").json()["detail"][0]
    )
    assert not AuthToken.objects.exists()
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
    # The right password is refused from the locked address, on the API and on the web form.
    assert _ask(APIClient(), "lisi", TEST_PASSWORD).status_code == 429
    web = Client().post("/accounts/login/", {"username": "lisi", "password": TEST_PASSWORD})
    assert "登录已锁定" in web.content.decode()
    assert not AuthToken.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.locked").count() == 1


@override_settings(CQO_LOGIN_MAX_FAILURES=2, CQO_LOGIN_LOCK_SECONDS=60)
def test_web_failures_count_towards_the_api_lock(user: Any) -> None:
    web = Client()
    web.post("/accounts/login/", {"username": "lisi", "password": "wrong"})
    web.post("/accounts/login/", {"username": "lisi", "password": "wrong"})
    response = _ask(APIClient(), "lisi", TEST_PASSWORD)
    assert response.status_code == 429
    assert "1 分钟" in response.json()["detail"]


def test_a_user_with_a_temporary_password_gets_no_token(db: Any) -> None:
    UserFactory(username="temp", must_change_password=True)
    response = _ask(APIClient(), "temp", TEST_PASSWORD, headers={"accept-language": "en"})
    assert response.status_code == 403
    assert "change your temporary password" in response.json()["detail"]
    assert not AuthToken.objects.exists()


def test_delete_revokes_the_token_of_the_request_only(user: Any) -> None:
    key, other = _key(), _key()
    client = _as(key)
    assert client.delete(TOKEN).status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert _as(other).get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.token_revoke").count() == 1


def test_delete_by_a_session_revokes_every_token_of_the_account(user: Any) -> None:
    _key(), _key()
    client = APIClient()
    client.force_login(user)
    assert client.delete(TOKEN).status_code == 204
    assert not AuthToken.objects.filter(user=user).exists()


def test_delete_without_credentials_is_refused(user: Any) -> None:
    AuthToken.objects.create(user=user)
    assert APIClient().delete(TOKEN).status_code == 403
    assert AuthToken.objects.count() == 1


def test_a_session_must_send_the_csrf_token_to_revoke(user: Any) -> None:
    AuthToken.objects.create(user=user)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.delete(TOKEN).status_code == 403
    assert AuthToken.objects.count() == 1
