"""Many writes in one transaction: what each row costs the platform's commit bookkeeping.

Run from the repository root, on a fresh temporary SQLite database (migrated first):

    .venv/bin/python benchmarks/bench_bulk_writes.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqo_bench .venv/bin/python benchmarks/bench_bulk_writes.py

With DATABASE_URL the named PostgreSQL database is used (and migrated): give it a throwaway one.
``CQO_SRC=/other/checkout/src`` measures another checkout's code (the "before" numbers) with this
same script; cases that code cannot run (the bulk path) are skipped.

Cases, each inside one ``transaction.atomic()`` and timed to the end of the commit (the
on-commit callbacks, such as the audit anchors, run there):

- ``saves``: N ``Model.save()`` of a plain row (a notification: no history, no audit), each
  sending its post_save signal through the request cache and the data version;
- ``audited``: N saves each with its own ``audit_record`` (the chain, the history stamp, the
  anchor), as the demo builder or a naive bulk post would write them;
- ``bulk``: ``audited_bulk_create`` of N rows under ONE audit event (issue 9: 10,000 posted
  inspection results ≤ 5 s; a lot of 315 samples × 10 characteristics ≤ 1 s).

Each timing is the median of ``--repeat`` runs (time.perf_counter).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup() -> None:
    sys.path.insert(0, os.environ.get("CQO_SRC") or str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    if "CQO_VAR_DIR" not in os.environ or not os.environ.get("DATABASE_URL"):
        os.environ["CQO_VAR_DIR"] = tempfile.mkdtemp(prefix="cqo-bench-writes-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _time(run: Callable[[], None], cleanup: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
        cleanup()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000", help="N for saves and audited saves")
    parser.add_argument("--bulk", default="3150,10000", help="N for the bulk path")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from cqo.audit import services
    from cqo.notifications.models import Notification

    user, _created = get_user_model().objects.get_or_create(username="bench-writer")

    def rows(n: int) -> list[Notification]:
        return [Notification(recipient=user, message=f"result {i}") for i in range(n)]

    def cleanup() -> None:
        Notification.objects.filter(recipient=user).delete()

    def saves(n: int) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic():
                for row in rows(n):
                    row.save()

        return run

    def audited(n: int) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic():
                for row in rows(n):
                    row.save()
                    services.audit_record(
                        actor=user, action="bench.result", obj=row, after={"message": row.message}
                    )

        return run

    def bulk(n: int) -> Callable[[], None]:
        def run() -> None:
            services.audited_bulk_create(
                actor=user, obj=user, action="bench.results", model=Notification, rows=rows(n)
            )

        return run

    vendor = connection.vendor
    source = os.environ.get("CQO_SRC") or "this checkout"
    print(f"# {vendor}, code from {source}, median of {args.repeat}")
    print("| case | N | seconds | per row |")
    print("|---|---:|---:|---:|")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    cases: list[tuple[str, Callable[[int], Callable[[], None]], list[int]]] = [
        ("saves", saves, sizes),
        ("audited", audited, sizes),
    ]
    if hasattr(services, "audited_bulk_create"):
        cases.append(("bulk + one event", bulk, [int(s) for s in args.bulk.split(",") if s]))
    for name, make, ns in cases:
        for n in ns:
            seconds = _time(make(n), cleanup, args.repeat)
            print(f"| {name} | {n:,} | {seconds:.2f} | {seconds / n * 1e6:.0f} µs |", flush=True)


if __name__ == "__main__":
    main()
