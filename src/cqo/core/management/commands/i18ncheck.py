"""``cqo i18ncheck``: fail when a user-facing string has no Simplified Chinese translation.

Every app under ``cqo`` keeps its own catalogue in ``<app>/locale/zh_Hans/LC_MESSAGES``. The
check extracts the strings afresh into a scratch copy of each app (so it never edits the tree)
and lists any message that is untranslated or fuzzy. ``--update`` extracts in place instead, for
a developer about to fill in new strings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

LOCALE = "zh_Hans"


def _cqo_app_dirs() -> list[Path]:
    return sorted(Path(cfg.path) for cfg in apps.get_app_configs() if cfg.name.startswith("cqo."))


def _makemessages(app_dir: Path) -> None:
    (app_dir / "locale").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "cqo.settings"),
    }
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", LOCALE, "--no-obsolete",
         "--add-location=file", "-i", "tests/*", "-i", "migrations/*"],
        cwd=app_dir, env=env, check=True, capture_output=True,
    )  # fmt: skip


def _untranslated(po: Path) -> list[str]:
    missing: list[str] = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po)], check=True, capture_output=True, text=True
        ).stdout
        for block in out.split("\n\n"):
            lines = block.splitlines()
            msgid = next((ln[6:] for ln in lines if ln.startswith('msgid "')), None)
            where = next((ln[3:] for ln in lines if ln.startswith("#: ")), "")
            if msgid and msgid != '""':
                missing.append(f"{msgid} ({where})" if where else msgid)
    return missing


class Command(BaseCommand):
    help = "Check that every user-facing string has a Simplified Chinese translation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", action="store_true", help="extract strings in place")

    def handle(self, *args: Any, **options: Any) -> None:
        if shutil.which("msgattrib") is None:
            raise CommandError("gettext is not installed (apt-get install gettext)")
        problems: list[str] = []
        for app_dir in _cqo_app_dirs():
            if options["update"]:
                _makemessages(app_dir)
                po = app_dir / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
            else:
                tmp = Path(tempfile.mkdtemp(prefix="cqo-i18n-"))
                try:
                    copy = tmp / app_dir.name
                    shutil.copytree(
                        app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
                    )
                    _makemessages(copy)
                    po = copy / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
                    missing = _untranslated(po) if po.exists() else []
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                problems += [f"{app_dir.name}: {m}" for m in missing]
                continue
            if po.exists():
                problems += [f"{app_dir.name}: {m}" for m in _untranslated(po)]
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"{len(problems)} strings have no Chinese translation")
        self.stdout.write(self.style.SUCCESS("every string has a Chinese translation"))
