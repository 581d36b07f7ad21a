"""What ``cqo --help`` shows: the product's own verbs, grouped, in the user's language.

Django's own commands (``flush``, ``dbshell``, ``sqlflush`` …) are for developers and some of
them wipe data, so they are reached only as ``cqo django <command>`` and left out of the help.
An app adds a verb with ``verb_register`` in its ``AppConfig.ready``; a management command of a
``cqo`` app that registers nothing is still listed, under "Other", with its own help line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (key, heading) in the order the help prints them.
GROUPS: list[tuple[str, Promise]] = [
    ("run", gettext_lazy("Run the platform")),
    ("data", gettext_lazy("Database, backups and releases")),
    ("check", gettext_lazy("Checks")),
    ("methods", gettext_lazy("Quality methods")),
    ("other", gettext_lazy("Other")),
    ("dev", gettext_lazy("For developers")),
]


@dataclass(frozen=True)
class Verb:
    name: str
    group: str
    summary: Promise | str
    # The Django command that runs it, when it is not ``name`` (``audit verify`` runs ``audit``).
    command: str = ""


VERBS: dict[str, Verb] = {}


def verb_register(name: str, group: str, summary: Promise | str, command: str = "") -> None:
    if group not in dict(GROUPS):
        raise ValueError(f"unknown command group {group!r}")
    VERBS[name] = Verb(name, group, summary, command or name.split()[0])


for _name, _group, _summary in [
    ("serve", "run", gettext_lazy("serve the platform (gunicorn, and the job consumer)")),
    ("demo", "run", gettext_lazy("load the demo enterprise and print its accounts")),
    ("createadmin", "run", gettext_lazy("create the administrator account")),
    ("run_huey", "run", gettext_lazy("run the job consumer (serve starts one in embedded mode)")),
    ("migrate", "data", gettext_lazy("create or update the database tables")),
    ("collectstatic", "data", gettext_lazy("gather the static files for a release")),
    ("backup", "data", gettext_lazy("write a backup archive of the database and files")),
    ("restore", "data", gettext_lazy("restore a backup archive into this database")),
    ("audit verify", "check", gettext_lazy("check the SHA-256 chain of the audit trail")),
    ("check", "check", gettext_lazy("check the configuration (--deploy for production)")),
    ("i18ncheck", "check", gettext_lazy("check that every string has a Chinese translation")),
    ("stats", "methods", gettext_lazy("quality statistics: control charts, capability, sampling")),
    ("makemigrations", "dev", gettext_lazy("write migrations for changed models")),
    ("shell", "dev", gettext_lazy("a Python shell with the platform loaded")),
    ("django", "dev", gettext_lazy("any of Django's own commands: cqo django <command>")),
]:
    verb_register(_name, _group, _summary)


def language_from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """gettext's order (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): Chinese for ``zh…``, English for
    any other language, and the product's default (Chinese) when none is set or it is C/POSIX."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(name) or "").split(":")[0].strip()
        if not value:
            continue
        if value.split(".")[0] in ("C", "POSIX"):
            break
        return "zh-hans" if value.lower().startswith("zh") else "en"
    return "zh-hans"


def product_commands() -> dict[str, str]:
    """Management commands of the ``cqo`` apps, by name, with the app that holds each."""
    from django.core.management import get_commands

    return {name: app for name, app in get_commands().items() if app.startswith("cqo.")}


def runs_directly(name: str) -> bool:
    """A verb that ``cqo <name>`` runs as it is (Django's others go behind ``cqo django``)."""
    return name in {v.command for v in VERBS.values()} or name in product_commands()


def _summary_of(name: str, app: str) -> str:
    from django.core.management import load_command_class

    try:
        text = str(load_command_class(app, name).help or "")
    except Exception:  # a broken command must not take the help page down with it
        text = ""
    return text.strip().splitlines()[0] if text.strip() else ""


def help_text() -> str:
    """The help page, in the active language."""
    listed = dict(VERBS)
    covered = {v.command for v in VERBS.values()}
    for name, app in sorted(product_commands().items()):
        if name not in covered:
            listed[name] = Verb(name, "other", _summary_of(name, app))
    width = max(len(n) for n in listed) + 2
    lines = [
        _("The Chief Quality Officer platform (DB50/T 1696-2024)."),
        "",
        _("Usage: cqo <command> [options]"),
        _("Help on one command: cqo <command> --help"),
    ]
    for key, heading in GROUPS:
        verbs = [v for v in listed.values() if v.group == key]
        if not verbs:
            continue
        lines += ["", _("%(heading)s:") % {"heading": heading}]
        lines += [f"  {v.name.ljust(width)}{v.summary}" for v in verbs]
    lines += [
        "",
        _("Language: set LANG or LANGUAGE (zh… for Chinese, en… for English)."),
    ]
    return "\n".join(lines) + "\n"
