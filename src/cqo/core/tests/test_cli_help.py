"""``cqo --help`` through the console entry point (``cqo.cli.main``, what the ``cqo`` script
runs): the product's verbs, grouped, in the user's language; Django's own commands only behind
``cqo django``."""

from __future__ import annotations

import pytest

from cqo.cli import main

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _run(monkeypatch, capsys, *args: str, lang: str | None = None) -> tuple[int, str, str]:
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    if lang is not None:
        monkeypatch.setenv("LANG", lang)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_in_english_lists_the_product_verbs_grouped_and_not_djangos(monkeypatch, capsys):
    code, out, _err = _run(monkeypatch, capsys, "--help", lang="en_GB.UTF-8")
    assert code == 0
    for verb in ("serve", "demo", "createadmin", "migrate", "backup", "restore", "audit verify",
                 "check", "i18ncheck", "stats", "django"):  # fmt: skip
        assert f"  {verb}" in out, verb
    for raw in ("flush", "dbshell", "sqlflush", "sqlmigrate", "[django]", "[auth]"):
        assert raw not in out, raw
    assert "Quality methods" in out and "Run the platform" in out
    assert "cqo django" in out


def test_help_speaks_chinese_when_the_language_is_chinese_or_unset(monkeypatch, capsys):
    for lang in ("zh_CN.UTF-8", None, "C.UTF-8"):
        code, out, _err = _run(monkeypatch, capsys, "--help", lang=lang)
        assert code == 0
        assert "质量统计方法" in out, lang
        assert "  stats" in out and "Run the platform" not in out


def test_no_arguments_prints_the_same_help(monkeypatch, capsys):
    _code, out, _err = _run(monkeypatch, capsys, lang="en_US.UTF-8")
    assert "  stats" in out and "flush" not in out


def test_a_django_command_by_its_bare_name_is_refused_with_the_django_form(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exc:
        _run(monkeypatch, capsys, "flush", "--no-input", lang="en_US.UTF-8")
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "cqo django flush" in err


def test_an_unknown_verb_is_refused_pointing_at_the_help(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exc:
        _run(monkeypatch, capsys, "frobnicate", lang="zh_CN.UTF-8")
    assert exc.value.code == 2
    assert "cqo --help" in capsys.readouterr().err


def test_djangos_commands_stay_reachable_behind_cqo_django(monkeypatch, capsys):
    code, out, _err = _run(monkeypatch, capsys, "django", "help", lang="en_US.UTF-8")
    assert code == 0
    assert "sqlflush" in out and "cqo django" in out


def test_the_job_consumer_that_serve_starts_is_a_verb_the_command_accepts(monkeypatch):
    """``cqo serve`` starts ``cqo run_huey`` beside gunicorn, and production runs it on its own
    host: refusing it behind ``cqo django`` left embedded mode with no job consumer at all."""
    import subprocess

    from cqo.core import commandline
    from cqo.core.management.commands import serve

    started: list[list[str]] = []

    class Stop(Exception):
        pass

    def popen(args, **kwargs):
        started.append(list(args))
        raise Stop

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(serve.settings, "HUEY", {"immediate": False})
    with pytest.raises(Stop):
        serve.Command().handle(bind="127.0.0.1:0", workers=1, threads=1, no_jobs=False)
    verb = started[0][started[0].index("cqo") + 1]
    assert verb == "run_huey"
    assert commandline.runs_directly(verb)
