"""The trace page as it is served: 8 HTTP clients against ``cqo serve`` (gunicorn, several worker
processes), and one page's CPU in process.

The genealogy is the one ``genealogy_inprocess.py build`` made; this script never builds, drops
or migrates: name the benchmark database by ``DATABASE_URL`` (PostgreSQL) or ``CQO_VAR_DIR``
(SQLite), with ``DJANGO_SETTINGS_MODULE=cqo.settings``.

    bench_genealogy.py page [--seconds 20] [--concurrency 8] [--workers N] [--threads N]
        serve the database, sign 8 clients in and GET the forward trace page of random supplier
        batches from each for SECONDS; prints p50/p95, pages/s and the server's CPU per page
    bench_genealogy.py page-cpu [--pages 50] [--profile]
        one client in process: CPU and queries of one page (and the hot spots with --profile)
    bench_genealogy.py measure SECONDS
        the traces' numbers (``genealogy_inprocess.py measure``)

Prints one JSON line last. The clients are threads of this process that only wait on their
sockets; the pages are rendered by the server's worker processes, each on its own core, as
the product is served (threads of ONE process serialise on the GIL: 8 of them measure 8 times
one page's CPU, not the server).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import django

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8766"))
ROOT = Path(__file__).resolve().parent.parent
PATH = "/masterdata/genealogy/"
USER = "genealogy-bench-admin"


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def _setup() -> None:
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "testserver"]


def _batches(n: int) -> list[str]:
    from cqo.masterdata.models import Lot

    # The same batches in every run (a seeded sample), so two runs compare the same pages.
    every = list(
        Lot.objects.filter(item__family="genealogy_bought")
        .order_by("pk")
        .values_list("supplier_batch", flat=True)
    )
    return random.Random(20261206).sample(every, min(n, len(every)))


def _user() -> Any:
    from cqo.accounts.models import User

    user, _ = User.objects.get_or_create(username=USER)
    if not (user.is_superuser and user.is_staff):
        user.is_superuser = user.is_staff = True
        user.save()
    return user


def _query(batch: str) -> str:
    return PATH + "?" + urllib.parse.urlencode({"direction": "forward", "batch": batch})


def page_cpu(pages: int, profile: bool) -> dict[str, Any]:
    """One client in process, one page after the other: each page's CPU and queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    batches = _batches(max(pages, 20))
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(_user())
    for b in batches[:10]:
        assert client.get(_query(b)).status_code == 200  # templates, catalogues, caches warm
    cpu: list[float] = []
    wall: list[float] = []
    queries: list[int] = []
    sizes: list[int] = []
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    for b in batches[:pages]:
        with CaptureQueriesContext(connection) as captured:
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            resp = client.get(_query(b))
            if profiler:
                profiler.disable()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        assert resp.status_code == 200, resp.status_code
        queries.append(len(captured))
        sizes.append(len(resp.content))
    if profiler:
        import pstats

        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(150)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    return {
        "vendor": connection.vendor,
        "pages": len(cpu),
        "cpu_ms_p50": _p(cpu, 0.5),
        "cpu_ms_p95": _p(cpu, 0.95),
        "cpu_ms_mean": round(sum(cpu) / len(cpu) * 1000, 1),
        "wall_ms_p50": _p(wall, 0.5),
        "wall_ms_p95": _p(wall, 0.95),
        "queries_max": max(queries),
        "bytes_median": sorted(sizes)[len(sizes) // 2],
        "profiled": profile,
    }


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes (their own, not their children's)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def _descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (``cqo serve`` starts gunicorn, which forks the workers)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            out += [child, *_descendants(child)]
    return out


def _backends() -> list[int]:
    """The PostgreSQL backends serving the server's workers (their connections persist,
    ``CQO_CONN_MAX_AGE``): their CPU is the database's share of a page."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def page_served(seconds: float, concurrency: int, workers: int, threads: int) -> dict[str, Any]:
    from django.contrib.sessions.backends.db import SessionStore  # noqa: F401 (the engine used)
    from django.db import connection, connections
    from django.test import Client

    batches = _batches(300)
    user = _user()
    cookies = []
    for _n in range(concurrency):
        c = Client()
        c.force_login(user)  # a session row per client, as eight people signed in
        cookies.append(f"sessionid={c.cookies['sessionid'].value}")
    vendor = connection.vendor
    connections.close_all()

    env = {**os.environ, "CQO_LOGIN_MAX_FAILURES": "1000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "cqo", "serve", "--bind", f"{HOST}:{PORT}", "--no-jobs",
         "--workers", str(workers), "--threads", str(threads)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.time() + 90
        while True:
            try:
                conn = http.client.HTTPConnection(HOST, PORT, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("the server did not come up") from None
                time.sleep(0.5)

        latencies: list[float] = []
        bad = 0
        lock = threading.Lock()

        def get(conn: http.client.HTTPConnection, cookie: str, batch: str) -> int:
            conn.request(
                "GET", _query(batch), headers={"Cookie": cookie, "Accept-Language": "zh-hans"}
            )
            resp = conn.getresponse()
            body = resp.read()
            if resp.status == 200 and b'data-testid="trace-count"' not in body:
                return 599
            return resp.status

        def client(n: int, stop_at: float, counted: bool) -> None:
            nonlocal bad
            r = random.Random(n)
            conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
            mine: list[float] = []
            errors = 0
            while time.perf_counter() < stop_at:
                t0 = time.perf_counter()
                status = get(conn, cookies[n], r.choice(batches))
                mine.append(time.perf_counter() - t0)
                errors += status != 200
            with lock:
                if counted:
                    latencies.extend(mine)
                bad += errors

        def run(length: float, counted: bool) -> float:
            stop_at = time.perf_counter() + length
            pool = [
                threading.Thread(target=client, args=(n, stop_at, counted))
                for n in range(concurrency)
            ]
            t0 = time.perf_counter()
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            return time.perf_counter() - t0

        run(3, counted=False)  # every worker's imports, templates and catalogues warm
        pids = _descendants(server.pid)
        backends = _backends() if vendor == "postgresql" else []
        cpu0 = _cpu_seconds([server.pid, *pids])
        db0 = _cpu_seconds(backends)
        load0 = os.getloadavg()[0]
        elapsed = run(seconds, counted=True)
        server_cpu = _cpu_seconds([server.pid, *pids]) - cpu0
        db_cpu = _cpu_seconds(backends) - db0
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "vendor": vendor,
        "server": f"cqo serve, {workers} worker processes x {threads} threads",
        "clients": concurrency,
        "p50_ms": _p(latencies, 0.5),
        "p95_ms": _p(latencies, 0.95),
        "pages": len(latencies),
        "pages_per_s": round(len(latencies) / elapsed, 1),
        "server_cpu_ms_per_page": round(server_cpu / max(len(latencies), 1) * 1000, 1),
        "postgres_cpu_ms_per_page": round(db_cpu / max(len(latencies), 1) * 1000, 1),
        "not_200": bad,
        "load_start": round(load0, 1),
        "load_end": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["page", "page-cpu", "measure"])
    parser.add_argument("seconds", nargs="?", type=float, default=20)
    parser.add_argument("--seconds", dest="seconds_opt", type=float)
    parser.add_argument("--concurrency", type=int, default=8)
    # As ``cqo serve`` is started by default (2 x cores + 1 processes of one thread).
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    seconds = args.seconds_opt or args.seconds
    if args.step == "measure":
        here = Path(__file__).resolve().parent
        raise SystemExit(
            subprocess.call(
                [sys.executable, str(here / "genealogy_inprocess.py"), "measure", str(seconds)]
            )
        )
    _setup()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if args.step == "page-cpu":
        out = page_cpu(args.pages, args.profile)
    else:
        from cqo.core.management.commands.serve import default_workers

        workers = args.workers or default_workers()
        out = page_served(seconds, args.concurrency, workers, args.threads)
    out["started"] = started
    print(json.dumps(out))


if __name__ == "__main__":
    main()
