from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cqo.accounts.models import User
from cqo.audit.models import AppendOnlyError, AuditEvent
from cqo.audit.services import audit_record, signature_sign, signatures_for, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor() -> User:
    return User.objects.create_user("auditor", password="correct horse 42")


def _write(actor: User, n: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=actor,
            action="test.change",
            obj=actor,
            before={"n": i},
            after={"n": i + 1, "名": "值"},
            clause="§6 i)",
        )
        for i in range(n)
    ]


def test_it_verifies_an_intact_chain(actor: User) -> None:
    _write(actor, 5)
    assert verify_chain() is None
    call_command("audit", "verify")


def test_it_refuses_to_update_or_delete_events_through_the_orm(actor: User) -> None:
    (event,) = _write(actor, 1)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")


def test_the_database_refuses_a_raw_update(actor: User) -> None:
    _write(actor, 2)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET reason = 'x' WHERE seq = 1")


def _drop_triggers() -> None:
    from importlib import import_module

    triggers = import_module("cqo.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cur:
        for sql in triggers.drop_sql(connection.vendor):
            cur.execute(sql)


@pytest.mark.parametrize(
    ("sql", "first_bad"),
    [
        ("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = 3", 3),
        ("UPDATE audit_auditevent SET after = '{\"n\": 99}' WHERE seq = 2", 2),
        ("DELETE FROM audit_auditevent WHERE seq = 4", 5),
        ("DELETE FROM audit_auditevent WHERE seq = 6", None),
        ("UPDATE audit_auditevent SET seq = seq + 100 WHERE seq IN (2, 3)", 4),
    ],
)
def test_it_names_the_first_event_that_was_altered_deleted_or_reordered(
    actor: User, sql: str, first_bad: int | None, django_capture_on_commit_callbacks: Any
) -> None:
    # Committed, so the head row has followed the trail (a cut tail shows against it).
    with django_capture_on_commit_callbacks(execute=True):
        _write(actor, 6)
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute(sql)
    problem = verify_chain()
    assert problem is not None
    assert problem.seq == first_bad
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify")


def test_a_signature_needs_the_password_and_records_what_was_signed(actor: User) -> None:
    from cqo.audit.services import SignatureError, signature_matches

    with pytest.raises(SignatureError):
        signature_sign(
            user=actor, password="wrong", obj=actor, content={"a": 1}, meaning="approved"
        )
    assert not signatures_for(actor).exists()
    sig = signature_sign(
        user=actor,
        password="correct horse 42",
        obj=actor,
        content={"a": 1},
        meaning="approved as CQO under §6 c)",
        clause="§6 c)",
    )
    assert signature_matches(sig, {"a": 1})
    assert not signature_matches(sig, {"a": 2})
    assert sig.audit_event.action == "signature.sign"
    assert verify_chain() is None


def test_it_names_a_signature_edited_behind_the_platforms_back(actor: User) -> None:
    _write(actor, 2)
    sig = signature_sign(
        user=actor,
        password="correct horse 42",
        obj=actor,
        content={"a": 1},
        meaning="approved as CQO under §6 c)",
        clause="§6 c)",
    )
    _write(actor, 1)
    assert verify_chain() is None
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_signature SET meaning = 'rejected' WHERE id = %s", [sig.pk])
    problem = verify_chain()
    assert problem is not None
    assert problem.seq == sig.audit_event.seq
    assert "meaning" in problem.problem


def test_wrong_signing_passwords_are_throttled_like_sign_in(actor: User) -> None:
    from cqo.audit.services import SignatureError

    for _ in range(5):
        with pytest.raises(SignatureError) as wrong:
            signature_sign(user=actor, password="guess", obj=actor, content={}, meaning="m")
    assert wrong.value.code in {"bad_password", "locked"}
    with pytest.raises(SignatureError) as locked:
        signature_sign(user=actor, password="correct horse 42", obj=actor, content={}, meaning="m")
    assert locked.value.code == "locked"
    assert not signatures_for(actor).exists()
