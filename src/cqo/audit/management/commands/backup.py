"""``cqo backup``: one portable archive of the database and uploaded files.

The archive holds ``data.json`` (every row of ours, database-neutral, so a SQLite installation
can move to PostgreSQL), ``media/`` and a manifest with the audit chain head, which ``cqo
restore`` checks after loading.
"""

from __future__ import annotations

import io
import json
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
        out = Path(options["output"] or Path(settings.VAR_DIR) / "backups" / f"cqo-{stamp}.tar.gz")
        out.parent.mkdir(parents=True, exist_ok=True)
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
        with tarfile.open(out, "w:gz") as tar:
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
