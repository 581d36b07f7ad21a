"""``cqo clauses [CLAUSE]``: each clause of DB50/T 1696 we cite, with the apps, pages (URL names),
API routes, services and registrations that serve it, read from the code (``core.clause_index``).

``cqo clauses "§6 c)"`` shows one clause; ``cqo clauses §7`` a clause and those under it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from cqo.core.clause_index import build_index, render
from cqo.core.clauses import REGISTRY


class Command(BaseCommand):
    help = "List each clause of DB50/T 1696 with the code that serves it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("clause", nargs="?", default="", help='e.g. "§6 c)" or §7')
        parser.add_argument("--lang", default="", help="label language: zh-hans or en")

    def handle(self, *args: Any, clause: str = "", lang: str = "", **options: Any) -> None:
        clause = clause.strip()
        if clause and not clause.startswith("§"):
            clause = f"§{clause}"
        if clause and clause not in REGISTRY:
            raise CommandError(f"Unknown clause of DB50/T 1696: {clause!r}")
        with translation.override(lang or None):
            self.stdout.write(render(build_index(), only=clause))
