"""Tampering with a copy of the database, the append-only triggers dropped first (issue 8 §2).

Each case is what an outside probe did to a demo installation and what ``cqo audit verify``
called "intact" before the keyed seals, the anchor file, the signature-row checks and the record
check: the test does exactly that, on SQLite and PostgreSQL, and asserts the verification names
the event or record. Every case runs in a savepoint rolled back afterwards, so one demo world
serves them all. ``python -m pytest tests/security/test_tamper.py -s`` prints the tally.
"""

from __future__ import annotations

import datetime
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from cqo.audit import chain
from cqo.audit.models import AuditEvent, Signature
from cqo.audit.services import audit_record

pytestmark = pytest.mark.django_db

_triggers = import_module("cqo.audit.migrations.0002_append_only_triggers")


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params)


def _verify() -> str | None:
    """What ``cqo audit verify`` says when it fails (None when it calls the trail intact)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return f"{err.getvalue()}\n{exc}"
    return None


@pytest.fixture
def world(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    from cqo.authorities.models import ApprovalRequest, Veto
    from cqo.core.demo import demo_build
    from cqo.organisation.models import Person
    from cqo.post.models import Appointment
    from cqo.testing.demo import demo_without

    # Every case tampers with the kernel's records (a veto, a request, a signed appointment); the
    # master data and the inspection year (150,000 measurements) only made each verification and
    # the backup-and-restore case cost minutes (a 63 MB archive loaded row by row).
    demo_without(monkeypatch)
    # The callbacks run as if committed: the anchor file gets its lines, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        demo_build(scale="small")
        audit_record(actor=None, action="test.last", obj=("test.thing", "1", "the last event"))
    veto = Veto.objects.filter(lifted_at__isnull=True).first()
    pending = ApprovalRequest.objects.filter(status="pending").first()
    signed = Signature.objects.filter(object_type="post.appointment").first()
    assert veto and pending and signed, "the demo world holds a veto, a request, a signature"
    appointment = Appointment.objects.get(pk=signed.object_id)
    other = Person.objects.exclude(pk=appointment.person_id).first()
    assert other is not None
    assert _verify() is None, "the untouched world verifies"
    return {
        "veto": veto, "pending": pending, "signature": signed, "appointment": appointment,
        "other": other, "last": AuditEvent.objects.order_by("-seq").first(),
    }  # fmt: skip


def delete_the_last_event_and_move_the_head_back(w: dict[str, Any], tmp: Path) -> list[str]:
    last = w["last"]
    prev = AuditEvent.objects.get(seq=last.seq - 1)
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", last.seq)
    _sql("UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1", prev.seq, prev.hash)
    return [f"#{last.seq}", "missing from the trail"]


def delete_a_signature_row(w: dict[str, Any], tmp: Path) -> list[str]:
    sig = w["signature"]
    _sql("DELETE FROM audit_signature WHERE id = %s", sig.pk)
    return [f"#{sig.audit_event.seq}", "signature whose row is missing"]


def edit_an_event_and_rehash_the_rest(w: dict[str, Any], tmp: Path) -> list[str]:
    columns = (
        "id", "seq", "occurred_at", "actor_id", "actor_repr", "action", "object_type",
        "object_id", "object_repr", "before", "after", "reason", "clause", "prev_hash", "hash",
    )  # fmt: skip
    events = list(AuditEvent.objects.order_by("seq").values(*columns))
    target = next(e for e in events if e["action"] == "authorities.veto.impose")
    prev = chain.GENESIS
    for event in events:
        if event["seq"] == target["seq"]:
            event["reason"] = "a harmless note"
        if event["seq"] >= target["seq"]:
            # The product's own hash function, as the probe used it.
            event["prev_hash"] = prev
            event["hash"] = chain.event_hash(event)
            _sql(
                "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
                event["reason"], event["prev_hash"], event["hash"], event["id"],
            )  # fmt: skip
        prev = event["hash"]
    _sql("UPDATE audit_chainhead SET hash = %s WHERE id = 1", prev)
    return [f"#{target['seq']}", "keyed seal"]


def lift_a_veto_in_sql(w: dict[str, Any], tmp: Path) -> list[str]:
    veto = w["veto"]
    _sql(
        "UPDATE authorities_veto SET lifted_at = %s, lifted_by_id = vetoed_by_id, "
        "lift_reason = 'ok' WHERE id = %s",
        datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC), veto.pk,
    )  # fmt: skip
    return [f"authorities.veto {veto.pk}", "lifted_at"]


def approve_a_request_in_sql(w: dict[str, Any], tmp: Path) -> list[str]:
    request = w["pending"]
    _sql("UPDATE authorities_approvalrequest SET status = 'approved' WHERE id = %s", request.pk)
    return [f"authorities.approvalrequest {request.pk}", "status"]


def reassign_a_signed_appointment_until_2040(w: dict[str, Any], tmp: Path) -> list[str]:
    appointment, other = w["appointment"], w["other"]
    _sql(
        "UPDATE post_appointment SET person_id = %s, effective_to = %s WHERE id = %s",
        other.pk, datetime.date(2040, 12, 31), appointment.pk,
    )  # fmt: skip
    return [f"post.appointment {appointment.pk}", "person_id", "effective_to"]


def restore_a_backup_edited_to_lift_a_veto(w: dict[str, Any], tmp: Path) -> list[str]:
    veto = w["veto"]
    archive = tmp / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
    rows = json.loads(members["data.json"])
    for row in rows:
        if row["model"] == "authorities.veto" and row["pk"] == veto.pk:
            row["fields"].update(lifted_at="2026-12-01T00:00:00Z", lift_reason="ok")
    members["data.json"] = json.dumps(rows).encode()
    forged = tmp / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for name, blob in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    try:
        call_command("restore", str(forged), force=True, stdout=io.StringIO())
    except CommandError as exc:
        raise _Caught(str(exc)) from exc
    return ["restore refused"]  # restored as "verified": counted as missed whatever verify says


class _Caught(Exception):
    pass


CASES: list[Callable[[dict[str, Any], Path], list[str]]] = [
    delete_the_last_event_and_move_the_head_back,
    delete_a_signature_row,
    edit_an_event_and_rehash_the_rest,
    lift_a_veto_in_sql,
    approve_a_request_in_sql,
    reassign_a_signed_appointment_until_2040,
    restore_a_backup_edited_to_lift_a_veto,
]


@pytest.fixture
def _contenttypes_fresh() -> Iterator[None]:
    yield
    ContentType.objects.clear_cache()


def test_audit_verify_names_every_tamper_case_on_a_copy_with_the_triggers_dropped(
    world: dict[str, Any], tmp_path: Path, _contenttypes_fresh: None
) -> None:
    missed: dict[str, str] = {}
    for case in CASES:
        savepoint = transaction.savepoint()
        try:
            with connection.cursor() as cur:
                for sql in _triggers.drop_sql(connection.vendor):
                    cur.execute(sql)
            try:
                expected = case(world, tmp_path)
                said = _verify()
            except _Caught as caught:
                expected, said = [f"authorities.veto {world['veto'].pk}"], str(caught)
        finally:
            transaction.savepoint_rollback(savepoint)
            ContentType.objects.clear_cache()
        if said is None:
            missed[case.__name__] = "verify said intact"
        elif not all(part in said for part in expected):
            missed[case.__name__] = f"verify did not name {expected}: {said.strip()}"
    print(f"tamper cases caught: {len(CASES) - len(missed)} of {len(CASES)}")
    assert not missed, missed
