"""The ``cqo`` command.

``cqo stats`` runs the pure methods library and never starts Django, so it is quick on big files.
Everything else is a Django management command: ``serve``, ``migrate``, ``demo``, ``createadmin``,
``audit verify``, ``backup``, ``restore``, ``check`` and any other Django command by name.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "stats":
        from cqo.methods.cli import main as stats_main

        return stats_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    from django.core.management import execute_from_command_line

    if not args:
        args = ["help"]
    execute_from_command_line(["cqo", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
