"""Login and dashboard latency (p50/p95) and requests per second under concurrent load.

Builds the large demo data set (`cqo demo --scale large`) in a scratch SQLite database (or the
PostgreSQL database named by BENCH_DATABASE_URL, which is DROPPED and created afresh: name a
scratch database), starts the production-style server (`cqo serve` as it starts by default:
gunicorn, 2 x cores + 1 single-threaded workers), and drives it from this process over loopback
only. Afterwards it measures one dashboard request in-process (benchmarks/dashboard_inprocess.py: CPU time and SQL queries, no queueing).

    .venv/bin/python benchmarks/bench_web.py [--seconds 20] [--concurrency 8]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqo_bench .venv/bin/python benchmarks/bench_web.py

Numbers go to stdout as a Markdown table; docs/performance.md records the latest run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
PASSWORD = "Yujia-Demo-2026"
ROOT = Path(__file__).resolve().parent.parent
CQO = [sys.executable, "-m", "cqo"]


class Session:
    def __init__(self) -> None:
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Language": "zh-hans",
        }
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for header in resp.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return resp.status, text

    def login(self, username: str) -> float:
        start = time.perf_counter()
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, f"login page: {status}"
        status, _ = self.request(
            "POST", "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        )  # fmt: skip
        assert status == 302, f"login of {username} answered {status}"
        return time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load(path: str, seconds: float, concurrency: int, user: str) -> tuple[list[float], int, float]:
    """GET ``path`` as ``user`` from ``concurrency`` threads for ``seconds``: every latency, the
    number of answers other than 200, and the wall time the clients ran."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        s = Session()
        s.login(user)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            status, _ = s.request("GET", path)
            mine.append(time.perf_counter() - start)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def wait_for_server(deadline: float) -> None:
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection(HOST, PORT, timeout=2)
            c.request("GET", "/accounts/login/")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("server did not come up")


def recreate_postgres(url: str) -> None:
    """Drop and create the scratch database ``url`` names, through the server's own database."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--logins", type=int, default=40)
    parser.add_argument("--scale", default="large")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="cqo-bench-"))
    env = {**os.environ, "CQO_VAR_DIR": str(var), "CQO_LOGIN_MAX_FAILURES": "1000"}
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        recreate_postgres(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    database = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    t0 = time.perf_counter()
    subprocess.run([*CQO, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*CQO, "demo", "--scale", args.scale],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    build_seconds = time.perf_counter() - t0
    server = subprocess.Popen([*CQO, "serve", "--bind", f"{HOST}:{PORT}", "--no-jobs"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for_server(time.time() + 60)
        login_times = [Session().login("cqo") for _ in range(args.logins)]

        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.seconds

        def worker() -> None:
            nonlocal errors
            s = Session()
            s.login("cqo")
            mine: list[float] = []
            bad = 0
            while time.perf_counter() < stop_at:
                start = time.perf_counter()
                status, _ = s.request("GET", "/")
                mine.append(time.perf_counter() - start)
                bad += status != 200
            with lock:
                latencies.extend(mine)
                errors += bad

        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)

    inprocess = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "dashboard_inprocess.py")],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip

    ms = 1000.0
    print(
        f"data set: demo --scale {args.scale} on {database}, built in {build_seconds:.1f} s; server: cqo serve (gunicorn {2 * (os.cpu_count() or 1) + 1} x 1)"
    )
    print("| measure | p50 | p95 | n |")
    print("|---|---|---|---|")
    print(
        f"| login (GET form + POST), sequential | {percentile(login_times, 0.5) * ms:.1f} ms | {percentile(login_times, 0.95) * ms:.1f} ms | {len(login_times)} |"
    )
    print(
        f"| dashboard GET, {args.concurrency} concurrent clients | {percentile(latencies, 0.5) * ms:.1f} ms | {percentile(latencies, 0.95) * ms:.1f} ms | {len(latencies)} |"
    )
    print(
        f"\nthroughput: {len(latencies) / elapsed:.1f} dashboard requests/s over {elapsed:.1f} s; non-200 answers: {errors}"
    )
    print(f"mean dashboard latency {statistics.fmean(latencies) * ms:.1f} ms")
    print(f"\n| one request, no load | time | queries |\n|---|---|---|\n{inprocess}")


if __name__ == "__main__":
    main()
