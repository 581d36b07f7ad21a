"""The CQO's annual report to the decision layer as a PDF (issue 12: about 20 pages <= 5 s).

Builds the small demo (``cqo demo``: a year of cost lines, inspection, NCRs, complaints,
incidents, a recall, the safety regime, proposals…) in a scratch SQLite database, or uses the
database of an existing demo (``--var DIR``, the ``CQO_VAR_DIR`` it was built in), then times in
process the whole generation of this year's annual report (every section's figures, the charts
drawn with matplotlib, the PDF laid out by WeasyPrint) in Chinese and in English, and each step
apart. Nothing is written: the report is rendered, not stored.

    nice -n 10 .venv/bin/python benchmarks/bench_reports.py [--repeat 5] [--var DIR]

The machine is shared: wall and CPU time are both printed (median and worst), with the load
average at the start and the end. Numbers go to stdout as Markdown; docs/performance.md keeps
them.
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


def _inprocess(repeat: int, languages: list[str]) -> dict[str, Any]:
    import datetime

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    import django

    django.setup()
    from django.utils import timezone

    from cqo.reports import documents

    year = timezone.localdate().year
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    out: dict[str, Any] = {}
    for language in languages:
        runs: list[dict[str, float]] = []
        pages = size = 0
        for _i in range(repeat + 1):  # the first run warms fonts and imports; not counted
            t0, c0 = time.perf_counter(), time.process_time()
            sections = documents.sections_built(kind="annual", first=first, last=last,
                                                language=language)  # fmt: skip
            t1, c1 = time.perf_counter(), time.process_time()
            context = documents.report_context(
                number="BENCH", kind_label="annual", first=first, last=last, language=language,
                sections=sections,
            )  # fmt: skip
            data, pages = documents.report_pdf(context, language=language)
            t2, c2 = time.perf_counter(), time.process_time()
            size = len(data)
            runs.append({"wall": t2 - t0, "cpu": c2 - c0, "sections_wall": t1 - t0,
                         "sections_cpu": c1 - c0, "pdf_wall": t2 - t1, "pdf_cpu": c2 - c1})  # fmt: skip
        counted = runs[1:]
        out[language] = {
            "pages": pages,
            "bytes": size,
            "charts": sum(len(s.charts) for s in sections),
            **{f"{k}_median": statistics.median(r[k] for r in counted) for k in counted[0]},
            **{f"{k}_max": max(r[k] for r in counted) for k in ("wall", "cpu")},
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--var", help="CQO_VAR_DIR of an existing demo (skips building one)")
    parser.add_argument("--languages", default="zh-hans,en",
                        help="the report languages, in the order measured (default: zh-hans,en)")  # fmt: skip
    parser.add_argument("--inprocess", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inprocess:
        print(json.dumps(_inprocess(args.repeat, args.languages.split(","))))
        return
    with tempfile.TemporaryDirectory(prefix="cqo-bench-reports-") as scratch:
        var = Path(args.var) if args.var else Path(scratch)
        env = {**os.environ, "CQO_VAR_DIR": str(var), "PYTHONPATH": str(ROOT / "src")}
        env.pop("DATABASE_URL", None)
        load_start = os.getloadavg()
        if not args.var:
            subprocess.run([*CQO, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
            subprocess.run([*CQO, "demo"], env=env, check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        out = subprocess.run(
            [sys.executable, __file__, "--inprocess", "--repeat", str(args.repeat),
             "--languages", args.languages],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        ).stdout  # fmt: skip
        result = json.loads(out.strip().splitlines()[-1])
        load_end = os.getloadavg()
    print("| annual report PDF | pages | charts | KB | wall median (max) | CPU median (max) "
          "| sections+charts CPU | PDF layout CPU |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for language, r in result.items():
        print(f"| {language} | {r['pages']} | {r['charts']} | {r['bytes'] // 1024} "
              f"| {r['wall_median']:.2f} s ({r['wall_max']:.2f}) "
              f"| {r['cpu_median']:.2f} s ({r['cpu_max']:.2f}) "
              f"| {r['sections_cpu_median']:.2f} s | {r['pdf_cpu_median']:.2f} s |")  # fmt: skip
    print(f"\nLoad average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end; "
          f"{os.cpu_count()} cores; {args.repeat} runs per language after one warm-up.")  # fmt: skip


if __name__ == "__main__":
    main()
