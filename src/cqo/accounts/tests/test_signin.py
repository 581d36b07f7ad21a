from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from cqo.accounts import throttle
from cqo.audit.models import AuditEvent
from cqo.testing.factories import TEST_PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def _post(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_the_sign_in_urls_have_their_names() -> None:
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == "/accounts/logout/"
    assert reverse("accounts:password_change") == "/accounts/password/"
    assert reverse("accounts:password_change_done") == "/accounts/password/done/"


def test_the_sign_in_page_is_in_chinese_by_default_with_the_product_name(db: Any) -> None:
    html = Client().get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<h1 class="product-name">首席质量官工作平台</h1>' in html
    assert "<h2>登录</h2>" in html and "用户名" in html and "密码" in html
    assert "Sign in" not in html


def test_the_sign_in_page_is_in_english_when_asked(db: Any) -> None:
    html = Client(headers={"accept-language": "en"}).get(LOGIN).content.decode()
    assert '<h1 class="product-name">CQO platform</h1>' in html
    assert "<h2>Sign in</h2>" in html and "Username" in html
    assert "首席质量官" not in html


def test_an_anonymous_page_request_goes_to_the_sign_in_page_with_next(db: Any) -> None:
    response = Client().get("/org/units/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/org/units/"


def test_a_correct_password_signs_in_goes_to_next_and_is_audited(user: Any) -> None:
    client = Client()
    response = client.post(
        LOGIN, {"username": "zhangsan", "password": TEST_PASSWORD, "next": "/org/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/org/"
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.actor_id == user.pk
    assert (event.object_type, event.object_id) == ("accounts.user", str(user.pk))
    assert event.after == {"ip": "127.0.0.1", "via": "web"}


def test_a_signed_in_user_opening_the_sign_in_page_goes_to_the_workbench(user: Any) -> None:
    client = Client()
    client.force_login(user)
    response = client.get(LOGIN)
    assert response.status_code == 302 and response["Location"] == "/"


def test_sign_in_refuses_an_outside_next_url(user: Any) -> None:
    response = Client().post(
        LOGIN,
        {"username": "zhangsan", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_wrong_password_says_so_in_chinese_and_is_audited_on_the_user(user: Any) -> None:
    response = _post(Client(), "zhangsan", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in html
    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert (event.object_type, event.object_id) == ("accounts.user", str(user.pk))
    assert event.actor_id is None and event.actor_repr == "anonymous@127.0.0.1"


def test_a_wrong_password_says_so_in_english(user: Any) -> None:
    html = _post(Client(headers={"accept-language": "en"}), "zhangsan", "nope").content.decode()
    assert "The username or the password is not correct" in html


def test_an_unknown_username_gets_the_same_message_and_an_event_by_name(user: Any) -> None:
    known = _post(Client(), "zhangsan", "wrong-password").content.decode()
    unknown = _post(Client(), "nobody-here", "wrong-password").content.decode()
    message = re.compile(r'<p class="error">(.*?)</p>')
    assert message.findall(known) == message.findall(unknown)
    event = AuditEvent.objects.filter(action="accounts.login_failed").last()
    assert event is not None
    assert (event.object_type, event.object_id, event.object_repr) == (
        "accounts.user",
        "-",
        "nobody-here",
    )


def test_an_inactive_account_cannot_sign_in_and_is_not_told_apart(db: Any) -> None:
    UserFactory(username="gone", is_active=False)
    client = Client()
    html = _post(client, "gone", TEST_PASSWORD).content.decode()
    assert "用户名或密码不正确" in html
    assert "_auth_user_id" not in client.session


@override_settings(CQO_LOGIN_MAX_FAILURES=5, CQO_LOGIN_LOCK_SECONDS=900)
def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(
    user: Any, clock: Any
) -> None:
    client = Client()
    for _ in range(4):
        assert "用户名或密码不正确" in _post(client, "zhangsan", "wrong").content.decode()
    html = _post(client, "zhangsan", "wrong").content.decode()
    assert "登录已锁定 15 分钟" in html
    # The right password from the same address is refused, and is not checked.
    html = _post(client, "zhangsan", TEST_PASSWORD).content.decode()
    assert "登录已锁定 15 分钟" in html
    assert "_auth_user_id" not in client.session
    assert _actions() == ["accounts.login_failed"] * 5 + ["accounts.locked"]
    locked = AuditEvent.objects.get(action="accounts.locked")
    assert locked.object_id == str(user.pk)
    assert locked.after["scopes"] == ["pair"]

    clock.advance(10 * 60)
    assert "登录已锁定 5 分钟" in _post(client, "zhangsan", TEST_PASSWORD).content.decode()
    clock.advance(5 * 60 + 1)
    response = _post(client, "zhangsan", TEST_PASSWORD)
    assert response.status_code == 302
    assert _actions()[-1] == "accounts.login"


@override_settings(CQO_LOGIN_MAX_FAILURES=5, CQO_LOGIN_LOCK_SECONDS=900)
def test_someone_elses_five_failures_do_not_keep_the_user_out(user: Any, clock: Any) -> None:
    """The lockout was a denial of service: anyone who knew the CQO's username could lock it."""
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    for _ in range(5):
        _post(attacker, "zhangsan", "wrong")
    assert "登录已锁定" in _post(attacker, "zhangsan", TEST_PASSWORD).content.decode()
    owner = Client(REMOTE_ADDR="10.0.0.9")
    assert _post(owner, "zhangsan", TEST_PASSWORD).status_code == 302


@override_settings(
    CQO_LOGIN_MAX_FAILURES=2, CQO_LOGIN_LOCK_SECONDS=900, CQO_LOGIN_USER_MAX_FAILURES=6
)
def test_guessing_spread_over_many_addresses_locks_the_username_except_where_it_signs_in(
    user: Any, clock: Any
) -> None:
    assert _post(Client(REMOTE_ADDR="10.0.0.9"), "zhangsan", TEST_PASSWORD).status_code == 302
    for n in range(3):
        for _ in range(2):
            _post(Client(REMOTE_ADDR=f"10.7.0.{n}"), "zhangsan", "wrong")
    # A new address meets the username's lock even with the right password...
    html = _post(Client(REMOTE_ADDR="10.8.8.8"), "zhangsan", TEST_PASSWORD).content.decode()
    assert "登录已锁定 1 分钟" in html
    # ...but the desk the user signs in from is not kept out.
    assert _post(Client(REMOTE_ADDR="10.0.0.9"), "zhangsan", TEST_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.locked").last().after["scopes"] == [
        "pair",
        "user",
    ]


@override_settings(CQO_LOGIN_USER_MAX_FAILURES=20, CQO_LOGIN_LOCK_SECONDS=900)
def test_the_usernames_own_lock_grows_slowly_and_stops_at_fifteen_minutes() -> None:
    assert [throttle.user_lock_seconds(n) for n in (19, 20, 21, 22, 23, 24, 30)] == [
        0, 60, 120, 240, 480, 900, 900,
    ]  # fmt: skip


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=120)
def test_the_lock_message_is_in_english_for_an_english_user(user: Any, clock: Any) -> None:
    client = Client(headers={"accept-language": "en"})
    for _ in range(3):
        html = _post(client, "zhangsan", "wrong").content.decode()
    assert "Sign-in is locked for 2 minutes" in html


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=600)
def test_an_unknown_username_locks_exactly_like_a_known_one(user: Any, clock: Any) -> None:
    def lock_text(username: str, address: str) -> str:
        client = Client(REMOTE_ADDR=address)
        for _ in range(3):
            html = _post(client, username, "wrong").content.decode()
        return re.findall(r'<p class="error">(.*?)</p>', html)[0]

    assert lock_text("zhangsan", "10.0.0.1") == lock_text("no-such-user", "10.0.0.2")
    assert AuditEvent.objects.filter(action="accounts.locked", object_id="-").count() == 1


@override_settings(
    CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=600, CQO_LOGIN_ADDRESS_MAX_FAILURES=3
)
def test_one_address_trying_many_usernames_is_locked(user: Any, clock: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("a1", "a2", "a3"):
        _post(client, name, "wrong")
    html = _post(client, "zhangsan", TEST_PASSWORD).content.decode()
    assert "登录已锁定 10 分钟" in html
    # Another address still signs the user in: only the address was locked.
    assert _post(Client(REMOTE_ADDR="203.0.113.8"), "zhangsan", TEST_PASSWORD).status_code == 302


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=600)
def test_attempts_during_a_lock_write_no_further_audit_events(user: Any, clock: Any) -> None:
    client = Client()
    for _ in range(3):
        _post(client, "zhangsan", "wrong")
    count = AuditEvent.objects.count()
    for _ in range(20):
        _post(client, "zhangsan", "wrong")
    assert AuditEvent.objects.count() == count


@override_settings(
    CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=600, CQO_LOGIN_ADDRESS_MAX_FAILURES=3
)
def test_a_success_clears_its_own_count_but_not_the_addresss(user: Any, clock: Any) -> None:
    client = Client()
    _post(client, "zhangsan", "wrong")
    _post(client, "zhangsan", "wrong")
    assert _post(Client(), "zhangsan", TEST_PASSWORD).status_code == 302
    # The pair starts again at zero, but the address has two failures already.
    _post(Client(), "zhangsan", "wrong")
    assert throttle.lock_remaining("zhangsan", "127.0.0.1") == 600


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=600)
def test_failures_are_forgotten_a_window_after_the_last_one(user: Any, clock: Any) -> None:
    client = Client()
    _post(client, "zhangsan", "wrong")
    _post(client, "zhangsan", "wrong")
    clock.advance(601)
    _post(client, "zhangsan", "wrong")
    assert throttle.lock_remaining("zhangsan", "127.0.0.1") == 0


def test_the_username_is_counted_without_regard_to_case_or_spaces(db: Any) -> None:
    with override_settings(CQO_LOGIN_MAX_FAILURES=2):
        throttle.failure_note("ZhangSan ", "")
        throttle.failure_note("zhangsan", "")
    assert throttle.lock_remaining("ZHANGSAN", "") > 0


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.4", "", "198.51.100.4"),
        # A client cannot choose its address: the header counts only from a trusted proxy.
        ("198.51.100.4", "10.9.9.9", "198.51.100.4"),
        ("127.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("10.1.2.3", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        ("127.0.0.1", "203.0.113.5, 10.0.0.7", "203.0.113.5"),
        ("127.0.0.1", "garbage", "127.0.0.1"),
    ],
)
def test_the_client_address_trusts_x_forwarded_for_only_from_a_configured_proxy(
    rf: Any, settings: Any, remote: str, forwarded: str, expected: str
) -> None:
    settings.CQO_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == expected


def test_no_proxy_is_trusted_unless_configured_not_even_this_machine(rf: Any) -> None:
    """A local user (or a process on the host) could otherwise pick a fresh address per guess."""
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert throttle.client_ip(request) == "127.0.0.1"


def test_sign_out_refuses_get_and_signs_out_by_post(user: Any) -> None:
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
