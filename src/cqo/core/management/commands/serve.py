"""``cqo serve``: the production-style server (gunicorn) plus, in embedded mode, the job consumer.

One command for one machine: gunicorn serves the app and its static files (WhiteNoise), and a
Huey consumer runs queued jobs from the SQLite queue under ``var/``. With ``REDIS_URL`` set,
run the consumer (``cqo run_huey``) on its own host(s) and pass ``--no-jobs`` here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

# A Unix socket path longer than this cannot be bound (sun_path is 108 bytes on Linux).
SOCKET_PATH_MAX = 100


def control_socket_args(var_dir: Path) -> list[str]:
    """Where gunicorn keeps its control socket: in this instance's var dir.

    gunicorn's default is ``~/.gunicorn/gunicorn.ctl``, one path for every instance a user runs
    on the host: each start took it over and a stopping instance removed it under the others.
    Where the var dir's path is too long for a socket, the control socket is off; nothing of
    ours uses it.
    """
    path = var_dir / "run" / "gunicorn.ctl"
    if len(str(path).encode()) > SOCKET_PATH_MAX:
        return ["--no-control-socket"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    return ["--control-socket", str(path)]  # gunicorn makes it 0600


def default_workers() -> int:
    """gunicorn's rule of thumb, two worker processes per core and one more (5 on 2 cores).

    Processes rather than threads: a page is Python work under one GIL per process, and every
    query's wait gives the GIL away; a thread coming back from the database then waits for the
    threads computing beside it (up to the 5 ms switch interval each time, ten queries a page).
    Measured on the trace page at 8 clients on 2 cores (docs/performance.md): 2 processes x 4
    threads p95 116-124 ms, 5 processes x 1 thread 101-107 ms, at the same CPU per page."""
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_args(options: dict[str, Any], var_dir: Path) -> list[str]:
    # One thread: gunicorn's sync worker, which takes a connection only when it is free, so a
    # request waits for the first free process. More threads: the gthread worker, which keeps a
    # keep-alive connection on the process that accepted it, busy or not (5 x 1 that way: p95
    # 158 ms, docs/performance.md). Like every sync server it belongs behind a buffering proxy
    # when exposed beyond the machine (slow clients). The sync worker is stopped by the arbiter
    # when one request outlasts --timeout (30 s by default); long work runs as a queued job, and
    # a request that still takes long (a large export) gets two minutes.
    return [
        sys.executable, "-m", "gunicorn", "cqo.wsgi:application",
        "--bind", options["bind"],
        "--workers", str(options["workers"]), "--threads", str(options["threads"]),
        "--timeout", "120", "--access-logfile", "-", "--graceful-timeout", "10",
        *control_socket_args(var_dir),
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve the CQO platform with gunicorn (and the job consumer in embedded mode)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("CQO_WORKERS", default_workers()))
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("CQO_THREADS", "1")))
        parser.add_argument("--no-jobs", action="store_true", help="do not start a job consumer")

    def handle(self, *args: Any, **options: Any) -> None:
        children: list[subprocess.Popen[bytes]] = []
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cqo.settings"}
        if not options["no_jobs"] and not settings.HUEY.get("immediate"):
            children.append(
                subprocess.Popen([sys.executable, "-m", "cqo", "run_huey", "-q"], env=env)
            )
        gunicorn = gunicorn_args(options, Path(settings.VAR_DIR))
        self.stdout.write(f"CQO platform on http://{options['bind']}/  (Ctrl+C to stop)")
        server = subprocess.Popen(gunicorn, env=env)
        children.append(server)

        def stop(signum: int, frame: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            server.wait()
        finally:
            stop(0, None)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
