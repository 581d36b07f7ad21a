"""The quality-cost ledger at scale (issue 12): 1,000,000 cost lines over three years; the cost
report by month x category x unit for a year and for the three years, and the report page's data
(totals, structure, ratios, Pareto) for a year.

Builds, in a scratch SQLite database (or in the PostgreSQL database named by BENCH_DATABASE_URL,
DROPPED and created afresh: name a scratch database), the organisation of the demo and the large
ledger (``costs.demo_ledger.large_lines``: the lines the ``--scale large`` demo adds, in batches
of 100,000 with one audit event each), runs ANALYZE, then times the selectors in-process. The
rest of the demo (inspection, NCRs…) is left out: the report reads only the ledger's table.

    nice -n 10 .venv/bin/python benchmarks/bench_costs.py [--lines 1000000] [--repeat 20]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqo_bench_costs nice -n 10 \\
        .venv/bin/python benchmarks/bench_costs.py

Targets (issue 12): the cost report by month x category x unit <= 300 ms on PostgreSQL and
<= 1 s on SQLite. The machine is shared: wall and CPU time are both printed (median and p95),
with the load average at the start and the end. Numbers go to stdout as Markdown;
docs/performance.md keeps them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CQO = [sys.executable, "-m", "cqo"]


def _inprocess(lines: int, repeat: int) -> dict[str, Any]:
    import datetime

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from cqo.accounts.models import User
    from cqo.core.demo import demo_build
    from cqo.costs import selectors_ledger as sel
    from cqo.costs.demo_ledger import large_lines
    from cqo.costs.models_ledger import LedgerLine
    from cqo.organisation.models import Unit

    built = 0.0
    if LedgerLine.objects.count() < lines:
        started = time.monotonic()
        if not User.objects.filter(username="deputy").exists():
            demo_build(builders=["organisation"])
        actor = User.objects.get(username="deputy")
        units = list(Unit.objects.values_list("pk", flat=True))
        large_lines(actor=actor, units=units, total=lines - LedgerLine.objects.count())
        built = time.monotonic() - started
    # Every ended month closed but the last, as the large demo leaves them: the report reads
    # closed months from their totals (costs.MonthTotal).
    from cqo.costs.models_ledger import MonthClose
    from cqo.costs.services_ledger import month_close

    closer = User.objects.get(username="cqo")
    first_month = LedgerLine.objects.order_by("month").values_list("month", flat=True).first()
    last_open = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    done = set(MonthClose.objects.values_list("month", flat=True))
    closing = time.monotonic()
    if first_month is not None and first_month < last_open:
        for month in sel.months_between(first_month, last_open - datetime.timedelta(days=1)):
            if month not in done:
                month_close(actor=closer, month=month)
    closed_seconds = time.monotonic() - closing
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    count = LedgerLine.objects.count()
    today = timezone.localdate()
    year_first = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    all_first = today.replace(year=today.year - 3, day=1)

    def timed(call: Any) -> dict[str, Any]:
        walls, cpus = [], []
        result = None
        for _i in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            result = call()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        walls.sort()
        cpus.sort()
        p95 = max(0, int(len(walls) * 0.95) - 1)
        return {
            "wall_median_ms": round(statistics.median(walls) * 1000, 1),
            "wall_p95_ms": round(walls[p95] * 1000, 1),
            "cpu_median_ms": round(statistics.median(cpus) * 1000, 1),
            "rows": len(result) if isinstance(result, list) else None,
        }

    return {
        "database": connection.vendor,
        "lines": count,
        "build_seconds": round(built, 1),
        "close_seconds": round(closed_seconds, 1),
        "closed_months": MonthClose.objects.count(),
        "matrix_year": timed(lambda: sel.report_matrix(first=year_first, last=today)),
        "matrix_3_years": timed(lambda: sel.report_matrix(first=all_first, last=today)),
        "report_year": timed(lambda: sel.report(first=year_first, last=today)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", help="skip the build: the CQO_VAR_DIR of an earlier run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--inprocess", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inprocess:
        print(json.dumps(_inprocess(args.lines, args.repeat)))
        return

    var = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="cqo-bench-costs-"))
    env = {**os.environ, "CQO_VAR_DIR": str(var)}
    env.pop("CQO_SQLITE_TEST_NAME", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_web import recreate_postgres  # type: ignore[import-not-found]

        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        if not args.reuse:
            recreate_postgres(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    load_start = os.getloadavg()
    subprocess.run([*CQO, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [sys.executable, __file__, "--inprocess", "--lines", str(args.lines),
         "--repeat", str(args.repeat)],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    result = json.loads(out.strip().splitlines()[-1])
    load_end = os.getloadavg()
    print(f"### {result['database']}: {result['lines']:,} cost lines")
    print()
    print(f"Load average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end; "
          f"build {result['build_seconds']} s; {result['closed_months']} months closed "
          f"({result['close_seconds']} s); {args.repeat} runs each.")  # fmt: skip
    print()
    print("| query | rows | wall median | wall p95 | CPU median |")
    print("|---|---|---|---|---|")
    for key, label in (
        ("matrix_year", "month x category x unit, 12 months"),
        ("matrix_3_years", "month x category x unit, 3 years"),
        ("report_year", "the report page's data, 12 months"),
    ):
        r = result[key]
        print(f"| {label} | {r['rows'] if r['rows'] is not None else '—'} | "
              f"{r['wall_median_ms']} ms | {r['wall_p95_ms']} ms | {r['cpu_median_ms']} ms |")  # fmt: skip
    if not args.keep and not args.reuse and "DATABASE_URL" not in env:
        import shutil

        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
