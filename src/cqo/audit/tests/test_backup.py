from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cqo.accounts.models import User
from cqo.audit.models import AuditEvent
from cqo.audit.services import audit_record, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated() -> User:
    user = User.objects.create_user("backup-user", password="long enough 123")
    for i in range(4):
        audit_record(actor=user, action="test.backup", obj=user, after={"i": i}, clause="§8")
    return user


def test_a_backup_restores_with_an_intact_audit_chain(populated: User, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    audit_record(actor=populated, action="test.after_backup", obj=populated)
    assert AuditEvent.objects.count() == 5

    call_command("restore", str(archive), force=True, stdout=io.StringIO())

    assert AuditEvent.objects.count() == 4
    assert User.objects.filter(username="backup-user").exists()
    assert verify_chain() is None


def test_it_refuses_to_restore_over_data_without_force(populated: User, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_a_tampered_backup_is_refused_and_nothing_changes(populated: User, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
    rows = json.loads(members["data.json"])
    for row in rows:
        if row["model"] == "audit.auditevent" and row["fields"]["seq"] == 2:
            row["fields"]["reason"] = "forged"
    members["data.json"] = json.dumps(rows).encode()
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for name, blob in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))

    with pytest.raises(CommandError, match="does not verify"):
        call_command("restore", str(forged), force=True, stdout=io.StringIO())
    assert AuditEvent.objects.count() == 4
    assert verify_chain() is None


def test_a_restore_adds_no_history_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.apps import apps

    from cqo.core.demo import demo_build
    from cqo.testing.demo import demo_without

    # The inspection year's 150,000 measurements carry no history; its bulk is left out here.
    demo_without(monkeypatch, ("inspection",))
    demo_build(scale="small")
    history = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    before = {m._meta.label: m.objects.count() for m in history}
    archive = tmp_path / "demo.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    after = {m._meta.label: m.objects.count() for m in history}
    assert after == before


@pytest.mark.parametrize("name", ["../escaped.txt", "media/../../up.txt"])
def test_an_archive_with_entries_outside_the_restore_directory_is_refused_in_one_line(
    populated: User, tmp_path: Path, name: str
) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for entry, blob in (("manifest.json", b"{}"), (name, b"owned")):
            info = tarfile.TarInfo(entry)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    with pytest.raises(CommandError, match="cannot restore") as refused:
        call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert "\n" not in str(refused.value)
    assert AuditEvent.objects.count() == 4


def test_a_damaged_archive_is_refused_in_one_line(populated: User, tmp_path: Path) -> None:
    archive = tmp_path / "damaged.tar.gz"
    archive.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    with pytest.raises(CommandError, match="cannot restore"):
        call_command("restore", str(archive), force=True, stdout=io.StringIO())
