"""The anchors outside the database (keyed seals, the anchor file) and the record check."""

from __future__ import annotations

import io
import json
import stat
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from cqo.accounts.models import User
from cqo.audit import anchors, chain
from cqo.audit.models import AuditEvent
from cqo.audit.records import record_problems
from cqo.audit.services import audit_record, snapshot, verify_chain
from cqo.organisation.models import Unit
from cqo.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _drop_triggers() -> None:
    triggers = import_module("cqo.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cur:
        for sql in triggers.drop_sql(connection.vendor):
            cur.execute(sql)


@pytest.fixture
def actor() -> User:
    return User.objects.create_user("anchor-actor", password="correct horse 42")


def _events(actor: User, n: int, capture: Any) -> list[AuditEvent]:
    with capture(execute=True):
        return [
            audit_record(actor=actor, action="test.change", obj=actor, after={"n": i})
            for i in range(n)
        ]


def test_each_event_carries_a_seal_made_with_the_key_outside_the_database(
    actor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(anchors.KEY_ENV, "one key")
    event = audit_record(actor=actor, action="test.change", obj=actor)
    assert event.mac == anchors.event_mac(event.hash)
    assert verify_chain() is None
    monkeypatch.setenv(anchors.KEY_ENV, "another key")
    problem = verify_chain()
    assert problem is not None and problem.seq == event.seq
    assert "keyed seal" in problem.problem


def test_the_key_file_is_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "audit_key"
    key = anchors._file_key(str(path))
    assert len(key) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert anchors._file_key(str(path)) == key


def test_an_event_inserted_without_the_key_is_named(actor: User) -> None:
    _write = audit_record(actor=actor, action="test.change", obj=actor)
    fields = {
        "seq": _write.seq + 1, "occurred_at": _write.occurred_at, "actor_id": actor.pk,
        "actor_repr": "x", "action": "test.forged", "object_type": "t", "object_id": "1",
        "object_repr": "x", "before": None, "after": None, "reason": "", "clause": "",
        "prev_hash": _write.hash,
    }  # fmt: skip
    fields["hash"] = chain.event_hash(fields)
    AuditEvent(**fields).save()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_chainhead SET seq = %s, hash = %s", [fields["seq"], fields["hash"]]
        )
    problem = verify_chain()
    assert problem is not None and problem.seq == fields["seq"]


def test_a_forged_line_in_the_anchor_file_is_named(
    actor: User, django_capture_on_commit_callbacks: Any
) -> None:
    _events(actor, 2, django_capture_on_commit_callbacks)
    assert verify_chain() is None
    path = Path(settings.AUDIT_ANCHOR_FILE)
    lines = len(path.read_text().splitlines())
    with path.open("a") as out:
        out.write(json.dumps({"seq": 99, "hash": "0" * 64, "mac": "f" * 64}) + "\n")
    problem = verify_chain()
    assert problem is not None and f"anchor file line {lines + 1}" in problem.problem


def test_a_restore_lets_the_anchors_past_its_head_lapse(
    actor: User, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    _events(actor, 3, django_capture_on_commit_callbacks)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    _events(actor, 2, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert AuditEvent.objects.count() == 3
    assert verify_chain() is None
    _events(actor, 1, django_capture_on_commit_callbacks)
    assert verify_chain() is None


def test_verify_prints_a_short_digest_of_the_head(actor: User) -> None:
    event = audit_record(actor=actor, action="test.change", obj=actor)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    digest = anchors.head_digest(event.seq, event.hash)
    assert f"head #{event.seq} digest {digest}" in out.getvalue()
    assert len(digest) == 19


def _unit_created(actor: User) -> Unit:
    unit = UnitFactory()
    audit_record(actor=actor, action="test.unit.create", obj=unit, after=snapshot(unit))
    return unit


def test_a_record_changed_without_an_event_is_named(actor: User) -> None:
    unit = _unit_created(actor)
    assert record_problems() == []
    Unit.objects.filter(pk=unit.pk).update(name="renamed quietly")
    (problem,) = record_problems()
    assert (problem.object_type, problem.object_id) == ("organisation.unit", str(unit.pk))
    assert "name" in problem.fields
    with pytest.raises(CommandError, match=f"organisation.unit {unit.pk}"):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("audit", "verify", "--chain-only", stdout=io.StringIO())


def test_a_change_made_with_its_event_is_not_reported(actor: User) -> None:
    unit = _unit_created(actor)
    before = snapshot(unit)
    unit.name = "renamed openly"
    unit.save()
    audit_record(
        actor=actor, action="test.unit.rename", obj=unit, before=before, after=snapshot(unit)
    )
    assert record_problems() == []


def test_only_the_fields_an_event_holds_are_compared(actor: User) -> None:
    unit = UnitFactory()
    audit_record(actor=actor, action="test.unit.touch", obj=unit, after={"name": unit.name})
    Unit.objects.filter(pk=unit.pk).update(code="X-NEW")
    assert record_problems() == []


def test_a_deleted_record_the_trail_left_in_place_is_named(actor: User) -> None:
    unit = _unit_created(actor)
    pk = unit.pk
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM organisation_unit WHERE id = %s", [pk])
    (problem,) = record_problems()
    assert problem.missing and problem.object_id == str(pk)


def test_the_migration_seals_an_existing_trail_only_as_far_as_it_links(actor: User) -> None:
    from django.db.migrations.loader import MigrationLoader

    registry = MigrationLoader(connection).project_state(("audit", "0003_auditevent_mac")).apps
    seal = import_module("cqo.audit.migrations.0003_auditevent_mac").seal_existing
    events = [audit_record(actor=actor, action="test.change", obj=actor) for _ in range(4)]
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET mac = ''")
        cur.execute("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = %s", ["0" * 64, 3])

    class Editor:
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cur:
                cur.execute(sql)

    seal(registry, Editor())
    macs = dict(AuditEvent.objects.values_list("seq", "mac"))
    assert macs[1] == anchors.event_mac(events[0].hash) and macs[2]
    assert macs[3] == "" and macs[4] == ""
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET reason = 'x' WHERE seq = 1")


def test_a_signature_row_moved_onto_another_event_is_named(actor: User) -> None:
    from cqo.audit.services import signature_sign

    plain = audit_record(actor=actor, action="test.change", obj=actor)
    sig = signature_sign(
        user=actor, password="correct horse 42", obj=actor, content={"a": 1}, meaning="approved"
    )
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_signature SET audit_event_id = %s WHERE id = %s", [plain.pk, sig.pk]
        )
    problem = verify_chain()
    assert problem is not None and problem.seq == plain.seq
    assert f"signature {sig.pk} does not match its event" in problem.problem


class _Rollback(Exception):
    pass


def test_a_transaction_of_many_events_registers_one_anchor_callback(
    actor: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            events = [
                audit_record(actor=actor, action="test.change", obj=actor, after={"n": i})
                for i in range(200)
            ]
    anchoring = [c for c in callbacks if c.__name__ == "_anchor_head"]
    assert len(anchoring) == 1
    assert anchors.read_anchors().anchors[events[-1].seq].hash == events[-1].hash


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_anchors_its_last_event_not_one_a_savepoint_took_back(
    actor: User,
) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="test.change", obj=actor, after={"n": 1})
        with pytest.raises(_Rollback), transaction.atomic():
            gone = audit_record(actor=actor, action="test.change", obj=actor, after={"n": 2})
            raise _Rollback
        last = audit_record(actor=actor, action="test.change", obj=actor, after={"n": 3})
    assert last.seq == gone.seq and last.hash != gone.hash  # the number is reused
    log = anchors.read_anchors()
    assert max(log.anchors) == last.seq
    assert log.anchors[last.seq].hash == last.hash
    assert len(log.anchors) == 1  # one line for the transaction
    assert verify_chain() is None


def test_the_head_row_follows_each_commit_and_a_cut_tail_shows_against_it(
    actor: User, django_capture_on_commit_callbacks: Any
) -> None:
    from cqo.audit.models import ChainHead

    events = _events(actor, 3, django_capture_on_commit_callbacks)
    head = ChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    problem = verify_chain(anchored=False)
    assert problem is not None and "chain head" in problem.problem


def test_events_written_before_the_head_row_catches_up_are_not_a_problem(actor: User) -> None:
    # Inside an uncommitted transaction the head row has not moved yet: the trail reaches past
    # it, which is how a commit whose head update was skipped (the lock was busy) looks too.
    first = audit_record(actor=actor, action="test.change", obj=actor)
    second = audit_record(actor=actor, action="test.change", obj=actor)
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
    assert verify_chain(anchored=False) is None
