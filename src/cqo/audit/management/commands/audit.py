"""``cqo audit verify``: walk the hash chain and name the first event that does not hold."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqo.audit.models import AuditEvent
from cqo.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' checks the SHA-256 chain over every event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain()
        count = AuditEvent.objects.count()
        if problem is not None:
            raise CommandError(f"audit chain broken at {problem}")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} events verified"))
