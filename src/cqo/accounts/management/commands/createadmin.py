"""``cqo createadmin --username U --email E``: the first system administrator (a superuser).

The password comes from ``CQO_ADMIN_PASSWORD`` or, in a terminal, from a prompt (asked twice);
it is never taken from the command line, where it would stay in the shell history and in ``ps``.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cqo.accounts.services import user_create_admin

PASSWORD_ENV = "CQO_ADMIN_PASSWORD"  # noqa: S105 (the name of a variable, not a password)


class Command(BaseCommand):
    help = (
        "Create a system administrator (superuser in the admin group). The password is read "
        f"from {PASSWORD_ENV} or asked for in a terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--display-name", default="", help="the name shown in the platform")
        parser.add_argument(
            "--no-input", action="store_true", help="never prompt (fail without the variable)"
        )

    def _interactive(self, options: dict[str, Any]) -> bool:
        return not options["no_input"] and sys.stdin.isatty()

    def _password(self, options: dict[str, Any]) -> str:
        password = os.environ.get(PASSWORD_ENV, "")
        if password:
            return password
        if not self._interactive(options):
            raise CommandError(
                _(
                    "No password given: set the %(env)s environment variable, or run the command "
                    "in a terminal to be asked for one. Nothing was created."
                )
                % {"env": PASSWORD_ENV}
            )
        first = getpass.getpass(_("Password: "))
        second = getpass.getpass(_("Password (again): "))
        if first != second:
            raise CommandError(_("The two passwords differ. Nothing was created."))
        return first

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password(options)
        try:
            user = user_create_admin(
                username=options["username"],
                email=options["email"],
                password=password,
                display_name=options["display_name"],
            )
        except ValidationError as exc:
            lines = [
                f"{field}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
            raise CommandError(
                "\n".join([_("The administrator was not created:"), *lines])
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Created the system administrator “%(username)s”.") % {"username": user.username}
            )
        )
