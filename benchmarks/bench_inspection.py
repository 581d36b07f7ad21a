"""Inspection on the large demo (issue 9): the lot list under load, the SPC page of a
characteristic with 10,000 subgroups, saving a lot of 315 samples x 10 characteristics, and an
API bulk post of 10,000 results.

Builds the large demo (`cqo demo --scale large`: 100,000 inspection lots, about 1,000,000
measurements) in a scratch SQLite database, or in the PostgreSQL database named by
BENCH_DATABASE_URL (DROPPED and created afresh: name a scratch database), starts `cqo serve`
(gunicorn, 2 workers x 4 threads) and drives it over loopback, as bench_web.py does. With
``--reuse DIR`` (SQLite: the CQO_VAR_DIR of an earlier run, kept with ``--keep``; PostgreSQL:
the database as it is) the build is skipped.

    .venv/bin/python benchmarks/bench_inspection.py [--seconds 20] [--concurrency 8] [--keep]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqo_bench_insp .venv/bin/python benchmarks/bench_inspection.py

Targets (issue 9): lot list filtered by status and supplier p95 <= 150 ms at 8 clients; SPC
page with 10,000 subgroups <= 300 ms server time; saving a lot of 315 x 10 <= 1 s; API bulk
post of 10,000 results <= 5 s. A measurement whose page or service is not on the tree is
skipped with the reason. Numbers go to stdout as Markdown; docs/performance.md keeps them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_web import (  # type: ignore[import-not-found]
    CQO,
    HOST,
    PORT,
    ROOT,
    Session,
    load,
    percentile,
    recreate_postgres,
    wait_for_server,
)

INPROCESS = [sys.executable, str(ROOT / "benchmarks" / "inspection_inprocess.py")]


def inprocess(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [*INPROCESS, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def post_json(path: str, body: Any, token: str) -> tuple[int, float, str]:
    data = json.dumps(body).encode()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
    start = time.perf_counter()
    conn.request("POST", path, body=data, headers={
        "Content-Type": "application/json", "Authorization": f"Token {token}",
    })  # fmt: skip
    resp = conn.getresponse()
    text = resp.read().decode("utf-8", "replace")
    return resp.status, time.perf_counter() - start, text[:300]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--scale", default="large")
    parser.add_argument("--reuse", help="skip the build: the CQO_VAR_DIR of an earlier run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--results", type=int, default=10_000)
    args = parser.parse_args()

    var = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="cqo-bench-insp-"))
    env = {**os.environ, "CQO_VAR_DIR": str(var), "CQO_LOGIN_MAX_FAILURES": "1000"}
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        if not args.reuse:
            recreate_postgres(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    database = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    build_seconds = None
    if args.reuse:
        subprocess.run([*CQO, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    else:
        t0 = time.perf_counter()
        subprocess.run([*CQO, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*CQO, "demo", "--scale", args.scale], env=env, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        build_seconds = time.perf_counter() - t0
    info = inprocess(env, "info")
    ms = 1000.0
    lines = [
        f"data set: demo --scale {args.scale} on {database}"
        + (f", built in {build_seconds:.1f} s" if build_seconds is not None else " (reused)")
        + f": {info['lots']:,} inspection lots, {info['measurements']:,} measurements; "
        f"load average at start {os.getloadavg()[0]:.1f}",
        "",
        "| measure | result | target |",
        "|---|---|---|",
    ]
    server = subprocess.Popen([*CQO, "serve", "--bind", f"{HOST}:{PORT}", "--no-jobs"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for_server(time.time() + 60)
        if info["lot_list"] and info["supplier"]:
            path = f"{info['lot_list']}?status=decided&supplier={info['supplier']}"
            lat, errors, elapsed = load(path, args.seconds, args.concurrency, "inspector1")
            lines.append(
                f"| lot list `{path}` ({info['supplier_lots']:,} lots of the supplier), "
                f"{args.concurrency} clients | p50 {percentile(lat, 0.5) * ms:.1f} ms, "
                f"**p95 {percentile(lat, 0.95) * ms:.1f} ms**, n = {len(lat)}, "
                f"{len(lat) / elapsed:.1f} req/s, non-200: {errors} | p95 ≤ 150 ms |"
            )
        else:
            lines.append("| lot list | skipped: inspection:lot_list is not on this tree | |")
        if info["spc_chart"]:
            s = Session()
            s.login("qe1")
            times, statuses = [], set()
            for _ in range(10):
                start = time.perf_counter()
                status, _page = s.request("GET", info["spc_chart"])
                times.append(time.perf_counter() - start)
                statuses.add(status)
            lines.append(
                f"| SPC page over HTTP, one client ({info['spc_subgroups']:,} subgroups) | "
                f"p50 {percentile(times, 0.5) * ms:.1f} ms, max {max(times) * ms:.1f} ms, "
                f"status {sorted(statuses)} | ≤ 300 ms |"
            )
        else:
            lines.append("| SPC page | skipped: inspection:spc_chart is not on this tree | |")
        posted = inprocess(env, "api", str(args.results))
        if "skip" in posted:
            lines.append(
                f"| API bulk post of {args.results:,} results | skipped: {posted['skip']} | |"
            )
        else:
            status, seconds, text = post_json(
                posted["url"], {"rows": posted["rows"]}, posted["token"]
            )
            lines.append(
                f"| API bulk post of {len(posted['rows']):,} results (`{posted['url']}`) | "
                f"**{seconds:.2f} s**, status {status}"
                + ("" if status in (200, 201) else f": {text}")
                + " | ≤ 5 s |"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)
    spc = inprocess(env, "spc", "10")
    if "skip" in spc:
        lines.append(f"| SPC page in-process | skipped: {spc['skip']} | |")
    else:
        lines.append(
            f"| SPC page in-process (test client, {spc['subgroups']:,} subgroups) | "
            f"**median {spc['wall_ms_median']:.1f} ms** wall ({spc['cpu_ms_median']:.1f} ms CPU), "
            f"max {spc['wall_ms_max']:.1f} ms, {spc['queries']} queries, status {spc['status']} "
            "| ≤ 300 ms |"
        )
    saved = inprocess(env, "save")
    if "skip" in saved:
        lines.append(f"| saving a lot of 315 x 10 | skipped: {saved['skip']} | |")
    else:
        lines.append(
            f"| saving a lot of {saved['n']} samples x 10 characteristics (`results_record`, "
            f"{saved['rows']:,} rows, committed) | **{saved['wall_ms']:.0f} ms** wall "
            f"({saved['cpu_ms']:.0f} ms CPU), {saved['queries']} queries | ≤ 1 s |"
        )
    print("\n".join(lines))
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    if not args.reuse and not args.keep and database == "SQLite":
        shutil.rmtree(var, ignore_errors=True)
    elif args.keep:
        print(f"data kept in {var}")


if __name__ == "__main__":
    main()
