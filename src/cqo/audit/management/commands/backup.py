"""``cqo backup``: one portable archive of the database and uploaded files.

The archive holds ``data.json`` (every row of ours, database-neutral, so a SQLite installation
can move to PostgreSQL), ``media/`` and a manifest with the audit chain head, which ``cqo
restore`` checks after loading.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

import cqo
from cqo.audit.models import ChainHead

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database and uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", help="archive path (default: var/backups/cqo-<time>.tar.gz)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        default_dir = Path(settings.VAR_DIR) / "backups"
        out = Path(options["output"] or default_dir / f"cqo-{stamp}.tar.gz")
        # An archive holds every record and password hash: owner-only, like the var dir.
        out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if out.parent == default_dir:
            default_dir.chmod(0o700)
        data = io.StringIO()
        # One snapshot for every table and the chain head: requests go on writing while a backup
        # runs, and an archive whose head and events were read at different moments would not
        # restore. PostgreSQL: a repeatable-read transaction. SQLite: the IMMEDIATE transaction the
        # settings ask for holds writers back for the few seconds the dump takes.
        # (Inside an outer transaction, a test's, the snapshot is already that transaction's.)
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            head = ChainHead.objects.filter(id=1).first()
            call_command(
                "dumpdata", natural_foreign=True, exclude=EXCLUDE, stdout=data, indent=None
            )
        manifest = {
            "format": 1,
            "version": cqo.__version__,
            "created_at": timezone.now().isoformat(),
            "audit_head": {"seq": head.seq if head else 0, "hash": head.hash if head else ""},
        }
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for name, text in (
                ("manifest.json", json.dumps(manifest, indent=1)),
                ("data.json", data.getvalue()),
            ):
                blob = text.encode("utf-8")
                info = tarfile.TarInfo(name)
                info.size = len(blob)
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(blob))
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
        self.stdout.write(self.style.SUCCESS(f"backup written: {out}"))
        self.stdout.write(
            "The audit key is not in the archive (decision 0007): keep a copy of CQO_AUDIT_KEY "
            "or var/audit_key apart from it; the archive restores only where that key is."
        )
