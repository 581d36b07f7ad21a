"""The ``cqo`` command.

``cqo stats`` runs the pure methods library and never starts Django, so it is quick on big files.
The other product verbs (``serve``, ``migrate``, ``demo``, ``createadmin``, ``audit verify``,
``backup``, ``restore``, ``check`` …, listed by ``cqo --help`` from ``cqo.core.commandline``) are
Django management commands. Django's own commands are reached only as ``cqo django <command>``:
several of them (``flush``, ``sqlflush``) empty a database without an audit event, and a user
looking for the product's verbs should not have to read past them.
"""

from __future__ import annotations

import os
import sys

HELP_FLAGS = ("-h", "--help", "help")


def _start_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    import django

    django.setup()


def _refuse(message: str) -> None:
    sys.stderr.write(message + "\n")
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "stats":
        from cqo.methods.cli import main as stats_main

        return stats_main(args[1:])

    from cqo.core import commandline

    language = commandline.language_from_environment()
    if not args or (args[0] in HELP_FLAGS and len(args) == 1):
        _start_django()
        from django.utils import translation

        with translation.override(language):
            sys.stdout.write(commandline.help_text())
        return 0

    from django.core.management import execute_from_command_line

    if args[0] == "django":
        execute_from_command_line(["cqo django", *args[1:]])
        return 0
    if args[0] == "help":  # ``cqo help migrate``: that command's own help
        args = [args[1], "--help", *args[2:]]

    _start_django()
    from django.core.management import get_commands
    from django.utils import translation
    from django.utils.translation import gettext as _

    name = args[0]
    if not commandline.runs_directly(name):
        with translation.override(language):
            if name in get_commands():
                _refuse(
                    _("'%(name)s' is one of Django's own commands; run it as: cqo django %(name)s")
                    % {"name": name}
                )
            _refuse(_("Unknown command '%(name)s'. See: cqo --help") % {"name": name})
    execute_from_command_line(["cqo", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
