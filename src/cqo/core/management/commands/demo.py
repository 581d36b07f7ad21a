"""``cqo demo [--scale small|large] [--if-empty]``: load the demo enterprise.

It never migrates (run ``cqo migrate`` first) and never touches a database that already holds an
enterprise: without ``--if-empty`` that is an error, with it the command says so and does nothing
(``make demo`` runs it on every start).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cqo.core.demo import SCALES, DemoContext, demo_accounts_present, demo_build, demo_has_data


class Command(BaseCommand):
    help = "Load the demo enterprise (a Chongqing motorcycle-parts maker) and print its accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", choices=SCALES, default="small", help="large: a benchmark data set"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when an enterprise exists",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_has_data():
            if options["if_empty"]:
                self.stdout.write(
                    "The database already holds an enterprise; the demo was not loaded."
                )
                self._print_existing_accounts()
                return
            raise CommandError(
                "The database already holds an enterprise; the demo loads only into an empty one. "
                "Use a fresh database (or --if-empty to skip quietly)."
            )
        started = time.monotonic()
        ctx = demo_build(scale=options["scale"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo enterprise loaded ({ctx.scale}) in {time.monotonic() - started:.1f} s."
            )
        )
        self._print_accounts(ctx)

    def _print_accounts(self, ctx: DemoContext) -> None:
        rows = [
            (a.username, a.role, f"{a.name} ({a.name_en})" if a.name_en else a.name)
            for a in ctx.accounts
        ]
        header = ("username", "role", "name")
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(3)]
        for row in [header, tuple("-" * w for w in widths), *rows]:
            self.stdout.write(
                "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        extra = ctx.objects.get("organisation.large.accounts")
        if extra:
            self.stdout.write(
                f"... and {len(extra)} employee accounts named u<employee number> "
                f"({extra[0]}, ...)."
            )
        self.stdout.write(f"Every demo account's password: {ctx.password}")

    def _print_existing_accounts(self) -> None:
        """Remind whoever runs ``make demo`` again how to sign in, if the demo accounts remain."""
        ctx = DemoContext()
        demo_accounts_present(ctx)
        if ctx.accounts:
            self.stdout.write("Demo accounts (their password, unless someone changed it):")
            self._print_accounts(ctx)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
