"""``cqo audit verify``: the chain, its keyed seals and anchors, the signatures, and the records.

Exit status 0 only when every check holds; otherwise each problem is named on its own line
(the first broken event of the chain, then every record changed without an event).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqo.audit import anchors
from cqo.audit.models import AuditEvent
from cqo.audit.records import record_problems
from cqo.audit.services import chain_head, verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'verify' checks the SHA-256 chain over every event, its keyed seals "
        "and the anchor file, the e-signatures, and that every audited record still holds what "
        "its last audit event says."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument(
            "--records",
            action="store_true",
            default=True,
            help="also compare every audited record with its last event (the default)",
        )
        parser.add_argument(
            "--chain-only",
            dest="records",
            action="store_false",
            help="check the chain, seals, anchors and signatures but not the records",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = []
        chain_problem = verify_chain()
        if chain_problem is not None:
            problems.append(f"audit chain broken at {chain_problem}")
        if options["records"]:
            problems.extend(str(p) for p in record_problems())
        count = AuditEvent.objects.count()
        if problems:
            for line in problems[:-1]:
                self.stderr.write(line)
            raise CommandError(problems[-1])
        seq, head_hash = chain_head()
        checked = "chain and records" if options["records"] else "chain"
        self.stdout.write(
            self.style.SUCCESS(f"audit chain intact: {count} events verified ({checked})")
        )
        self.stdout.write(
            f"head #{seq} digest {anchors.head_digest(seq, head_hash)}: print or sign it; a "
            "later verify of the same head must show the same digest"
        )
