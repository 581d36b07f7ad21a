"""``cqo serve`` starts gunicorn with this instance's own control socket (issue 8 §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from cqo.core.management.commands import serve


class _Child:
    started: list[list[str]] = []

    def __init__(self, args: list[str], **kwargs: Any) -> None:
        _Child.started.append(list(args))

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def poll(self) -> int:
        return 0

    def terminate(self) -> None:
        pass

    def kill(self) -> None:
        pass


def _gunicorn_args(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    _Child.started = []
    monkeypatch.setattr(serve.subprocess, "Popen", _Child)
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    call_command("serve", "--no-jobs")
    (args,) = [a for a in _Child.started if "gunicorn" in a]
    return args


def test_gunicorn_keeps_its_control_socket_in_the_instances_var_dir(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    args = _gunicorn_args(monkeypatch)
    assert "--control-socket" in args, "gunicorn would use ~/.gunicorn/gunicorn.ctl"
    socket = Path(args[args.index("--control-socket") + 1])
    assert socket.parent.parent == tmp_path
    assert oct(socket.parent.stat().st_mode & 0o777) == "0o700"


def test_the_control_socket_is_off_where_the_var_dir_path_is_too_long_for_a_socket(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path / ("x" * 120)
    args = _gunicorn_args(monkeypatch)
    assert "--no-control-socket" in args and "--control-socket" not in args


def test_it_serves_with_single_threaded_processes_two_per_core_and_one_more(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("CQO_WORKERS", raising=False)
    monkeypatch.delenv("CQO_THREADS", raising=False)
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 2)
    args = _gunicorn_args(monkeypatch)
    assert args[args.index("--workers") + 1] == "5"
    assert args[args.index("--threads") + 1] == "1"
    # gunicorn's sync worker (one thread) is stopped past --timeout: a long export must not be.
    assert int(args[args.index("--timeout") + 1]) >= 120


def test_the_workers_and_threads_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("CQO_WORKERS", "3")
    monkeypatch.setenv("CQO_THREADS", "4")
    args = _gunicorn_args(monkeypatch)
    assert args[args.index("--workers") + 1] == "3"
    assert args[args.index("--threads") + 1] == "4"
