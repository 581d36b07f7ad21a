"""``cqo restore ARCHIVE``: load a ``cqo backup`` archive into an empty, migrated database.

Refuses a database that already holds data unless ``--force``. After loading, the audit chain
must verify (with this installation's audit key: decision 0007), end at the head recorded in
the archive, and every audited record must hold what its last event says, or the restore is
rolled back. An archive that cannot be read (damaged, or with entries escaping the restore
directory) is refused with a one-line error.
"""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings

from cqo.audit import anchors
from cqo.audit.models import AuditEvent, ChainHead
from cqo.audit.records import record_problems
from cqo.audit.services import verify_chain


def _triggers() -> Any:
    """The migration that installs the append-only triggers, found through Django's migration
    loader (its module name starts with a digit): its SQL stays frozen with the migration."""
    import sys

    from django.db.migrations.loader import MigrationLoader

    migration = MigrationLoader(None, ignore_no_migrations=True).get_migration(
        "audit", "0002_append_only_triggers"
    )
    return sys.modules[type(migration).__module__]


class Command(BaseCommand):
    help = "Restore a backup archive made by 'cqo backup' into this database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="replace the data already here")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.exists():
            raise CommandError(f"no such archive: {archive}")
        call_command("migrate", verbosity=0, interactive=False)
        has_data = AuditEvent.objects.exists() or ChainHead.objects.exists()
        if has_data and not options["force"]:
            raise CommandError("this database already holds data; use --force to replace it")
        tmp = Path(tempfile.mkdtemp(prefix="cqo-restore-"))
        try:
            manifest = _unpack(archive, tmp)
            vendor = connection.vendor
            with transaction.atomic():
                if has_data:
                    with connection.cursor() as cur:
                        if vendor == "postgresql":
                            # TRUNCATE refuses tables with deferred FK checks still pending.
                            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        for sql in _triggers().drop_sql(vendor):
                            cur.execute(sql)
                    call_command("flush", interactive=False, verbosity=0)
                    with connection.cursor() as cur:
                        for sql in _triggers().create_sql(vendor):
                            cur.execute(sql)
                        if vendor == "postgresql":
                            # Back to checking at commit: the archive's rows come in model order,
                            # and an enterprise names its principal before the people are loaded.
                            cur.execute("SET CONSTRAINTS ALL DEFERRED")
                # The history tables come back from the archive as they were; loading must not
                # add snapshots of its own (simple-history records m2m changes even from fixtures).
                with override_settings(SIMPLE_HISTORY_ENABLED=False):
                    try:
                        call_command("loaddata", str(tmp / "data.json"), verbosity=0)
                    except CommandError:
                        raise
                    except (
                        Exception
                    ) as exc:  # any bad row in the archive: one line, all rolled back
                        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                        raise CommandError(
                            f"the archive's data does not load: {type(exc).__name__} {first}"
                        ) from exc
                # The anchor file describes the trail being replaced, not the archive's.
                problem = verify_chain(anchored=False)
                head = ChainHead.objects.filter(id=1).first()
                expected = manifest["audit_head"]
                if problem is not None:
                    hint = (
                        " (an archive is restored where its audit key is: set CQO_AUDIT_KEY or "
                        "copy var/audit_key from the installation that wrote it)"
                        if "keyed seal" in str(problem)
                        else ""
                    )
                    raise CommandError(f"restored audit chain does not verify: {problem}{hint}")
                if (head.seq if head else 0) != expected.get("seq"):
                    raise CommandError("restored audit chain does not end where the backup did")
                disagree = record_problems()
                if disagree:
                    more = f" (and {len(disagree) - 1} more)" if len(disagree) > 1 else ""
                    raise CommandError(
                        f"the archive's records disagree with its audit trail: {disagree[0]}{more}"
                    )
                seq, head_hash = (head.seq, head.hash) if head else (0, "")
                transaction.on_commit(lambda: anchors.anchor_restore(seq, head_hash))
            media = tmp / "media"
            if media.exists():
                shutil.copytree(media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
        finally:
            # The flush re-creates content types under new ids before the archive's come back;
            # whatever this process cached in between (or before a rollback) is wrong now.
            ContentType.objects.clear_cache()
            shutil.rmtree(tmp, ignore_errors=True)
        self.stdout.write(
            self.style.SUCCESS(f"restored {archive}; audit chain and records verified")
        )


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract the archive and read its manifest; any fault is one line, not a traceback."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "../" entries, links out and devices.
            tar.extractall(into, filter="data")
        manifest = json.loads((into / "manifest.json").read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        raise CommandError(f"cannot restore {archive}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != 1:
        raise CommandError("unknown backup format")
    if not isinstance(manifest.get("audit_head"), dict):
        raise CommandError("the archive's manifest does not record the audit chain head")
    return manifest
