"""``cqo.core.commit_hooks``: one callback per transaction, found in constant time, and never
lost to a rolled-back savepoint (the bulk posts of issue 9 write tens of thousands of rows)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from cqo.core import commit_hooks, data_version
from cqo.notifications.models import Notification
from cqo.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _ours(callbacks: list[Any]) -> list[Any]:
    return [c for c in callbacks if getattr(c, "__wrapped__", c) is data_version._replace]


def _write(user: Any, n: int = 1) -> None:
    for i in range(n):
        Notification(recipient=user, message=f"row {i}").save()


def test_five_thousand_saves_in_one_transaction_register_one_callback(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = UserFactory()  # its own callbacks run: the next write must register afresh
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            _write(user, 5000)
    assert len(callbacks) == 1
    assert len(_ours(callbacks)) == 1


def test_a_rolled_back_savepoint_followed_by_a_write_still_replaces_the_token_on_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    data_version.current()
    shared = cache.get(data_version.KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            with pytest.raises(_Rollback), transaction.atomic():
                _write(user)  # registers inside the savepoint, which drops it
                raise _Rollback
            _write(user)
    ours = _ours(callbacks)
    assert len(ours) == 1
    ours[0]()
    assert cache.get(data_version.KEY) != shared


def test_a_registration_outside_a_rolled_back_savepoint_is_kept_and_not_repeated(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            _write(user)
            with pytest.raises(_Rollback), transaction.atomic():
                _write(user)
                raise _Rollback
            _write(user, 3)
    # The rolled-back savepoint may cost one more registration, never a lost one.
    assert 1 <= len(_ours(callbacks)) <= 2


def test_a_callback_run_by_a_test_capture_is_registered_again_by_the_next_write(
    django_capture_on_commit_callbacks: Any,
) -> None:
    calls: list[int] = []

    def hook() -> None:
        calls.append(1)

    with django_capture_on_commit_callbacks(execute=True):
        assert commit_hooks.on_commit_once(hook) is True
        assert commit_hooks.on_commit_once(hook) is False
    with django_capture_on_commit_callbacks(execute=True):
        assert commit_hooks.on_commit_once(hook) is True
    assert calls == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_after_a_rolled_back_savepoint_replaces_the_shared_token() -> None:
    user = UserFactory()
    shared = cache.get(data_version.KEY) or data_version.current()
    with transaction.atomic():
        with pytest.raises(_Rollback), transaction.atomic():
            _write(user)
            raise _Rollback
        _write(user)
        assert cache.get(data_version.KEY) == shared  # others see it only at the commit
    assert cache.get(data_version.KEY) != shared
    assert Notification.objects.count() == 1
