"""The administrator sees sign-in locks and clears one, with a reason, audited (issue 8 §5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from cqo.accounts import services
from cqo.accounts.models import SigninLock
from cqo.audit.models import AuditEvent
from cqo.testing.factories import TEST_PASSWORD, UserFactory

LOCKS = "/accounts/locks/"


@pytest.fixture
def administrator(db: Any) -> Any:
    admin = UserFactory(username="sysadmin")
    admin.groups.add(Group.objects.get_or_create(name="admin")[0])
    return admin


def _lock_out(username: str, address: str = "10.5.5.5") -> Client:
    client = Client(REMOTE_ADDR=address)
    for _ in range(3):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})
    return client


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=900)
def test_the_administrator_sees_a_lock_and_clears_it_and_it_is_audited(
    user: Any, administrator: Any, clock: Any
) -> None:
    locked_out = _lock_out("zhangsan")
    page = Client()
    page.force_login(administrator)
    html = page.get(LOCKS).content.decode()
    assert "zhangsan" in html and "10.5.5.5" in html
    lock = SigninLock.objects.get()
    response = page.post(f"{LOCKS}{lock.pk}/clear/", {"reason": "张三来电，已核实身份"})
    assert response.status_code == 302
    lock.refresh_from_db()
    assert lock.cleared_by == administrator and lock.cleared_at is not None
    event = AuditEvent.objects.get(action="accounts.lock_clear")
    assert event.actor_id == administrator.pk and event.reason == "张三来电，已核实身份"
    assert event.after["username"] == "zhangsan"
    signed = locked_out.post(
        "/accounts/login/", {"username": "zhangsan", "password": TEST_PASSWORD}
    )
    assert signed.status_code == 302


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=900)
def test_a_lock_is_not_cleared_without_a_reason_or_twice(
    user: Any, administrator: Any, clock: Any
) -> None:
    _lock_out("zhangsan")
    lock = SigninLock.objects.get()
    with pytest.raises(ValidationError):
        services.signin_lock_clear(actor=administrator, lock=lock, reason=" ")
    services.signin_lock_clear(actor=administrator, lock=lock, reason="checked")
    with pytest.raises(ValidationError):
        services.signin_lock_clear(actor=administrator, lock=lock, reason="again")
    assert AuditEvent.objects.filter(action="accounts.lock_clear").count() == 1


@override_settings(CQO_LOGIN_MAX_FAILURES=3, CQO_LOGIN_LOCK_SECONDS=900)
def test_only_the_administrator_sees_or_clears_locks(user: Any, clock: Any) -> None:
    _lock_out("someone")
    lock = SigninLock.objects.get()
    client = Client()
    client.force_login(user)
    assert client.get(LOCKS).status_code == 403
    assert client.post(f"{LOCKS}{lock.pk}/clear/", {"reason": "mine"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.signin_lock_clear(actor=user, lock=lock, reason="mine")
    lock.refresh_from_db()
    assert lock.cleared_at is None


def test_a_user_lists_their_api_tokens_on_a_page_and_revokes_one(user: Any) -> None:
    from knox.models import AuthToken

    from cqo.accounts.tokens import public_id

    mine, _key = AuthToken.objects.create(user=user)
    theirs, _other = AuthToken.objects.create(user=UserFactory(username="other"))
    client = Client()
    client.force_login(user)
    html = client.get("/accounts/tokens/").content.decode()
    assert public_id(mine) in html and public_id(theirs) not in html
    assert client.post(f"/accounts/tokens/{public_id(theirs)}/revoke/").status_code == 302
    assert AuthToken.objects.filter(pk=theirs.pk).exists()
    assert client.post(f"/accounts/tokens/{public_id(mine)}/revoke/").status_code == 302
    assert not AuthToken.objects.filter(pk=mine.pk).exists()
    assert AuditEvent.objects.filter(action="accounts.token_revoke").count() == 1
