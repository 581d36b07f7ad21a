"""``cqo.core.data_version``: the token under which answers are kept across requests changes with
every write, for the writer at once and for everyone at commit (issue 7 §4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from cqo.core import data_version

pytestmark = pytest.mark.django_db


def _touch() -> None:
    from cqo.testing.factories import member

    member([])  # any saved row


def test_a_saved_row_gives_the_writer_a_new_token_at_once() -> None:
    before = data_version.current()
    _touch()
    assert data_version.current() != before


def test_the_shared_token_changes_when_the_writing_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.cache import cache

    data_version.current()
    shared = cache.get(data_version.KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            _touch()
            _touch()
        assert cache.get(data_version.KEY) == shared  # other connections cannot see it yet
    ours = [c for c in callbacks if getattr(c, "__wrapped__", c) is data_version._replace]
    assert len(ours) == 1  # one replacement per transaction, however many rows
    ours[0]()
    assert cache.get(data_version.KEY) != shared


def test_a_write_that_sends_no_signal_changes_the_token_through_forget() -> None:
    from cqo.core import request_cache

    before = data_version.current()
    request_cache.forget()
    assert data_version.current() != before


def test_a_session_saved_at_sign_in_keeps_the_token(client: Any) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    before = data_version.current()
    session = SessionStore()
    session["k"] = "v"
    session.save()
    assert data_version.current() == before
