"""Serial numbers on a forward trace (issue 11 §5): the count and the first page of the units'
serials of a hub (one received lot in 2,000 finished lots of 100 numbered units each, 200,000
serials) and of one lot, and a serial's lookup (the start of a backward trace).

    DATABASE_URL=sqlite:///$PWD/var/serials-bench.sqlite3 python benchmarks/bench_serials.py

on a migrated, empty scratch database (a copy of the SQLite test template will do). It writes
its rows straight, as set-up, and prints p50/p95 over 30 runs in process.
"""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal

import django

LOTS, PER_LOT, RUNS = 2000, 100, 30


def _p(times: list[float]) -> str:
    times.sort()
    return f"p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms"


def main() -> None:
    django.setup()
    from django.db import connection, transaction

    from cqo.accounts.models import User
    from cqo.masterdata import genealogy as G
    from cqo.masterdata.models import GenealogyFeed, Item, Lot, LotLink, LotOrigin, SerialNumber

    with transaction.atomic():
        user = User.objects.create(username="bench-serials")
        raw = Item.objects.create(part_number="B-RAW", name="raw", kind="material")
        made = Item.objects.create(part_number="B-PROD", name="product", kind="product")
        day = datetime.date(2026, 12, 1)
        source = Lot.objects.create(
            number="B-SRC", item=raw, origin=LotOrigin.RECEIPT, quantity=Decimal(10**9),
            arrived_on=day, created_by=user, supplier_batch="B-BATCH",
        )  # fmt: skip
        lots = Lot.objects.bulk_create(
            Lot(number=f"B-P-{n:05d}", item=made, origin=LotOrigin.PRODUCTION,
                quantity=Decimal(PER_LOT), arrived_on=day, created_by=user)
            for n in range(LOTS)
        )  # fmt: skip
        feed = GenealogyFeed.objects.create(source="api", created_by=user)
        LotLink.objects.bulk_create(
            LotLink(consumed=source, produced=lot, quantity=1, feed=feed) for lot in lots
        )
        SerialNumber.objects.bulk_create(
            (SerialNumber(serial=f"S{n:05d}-{k:03d}", item=made, lot=lot, created_by=user)
             for n, lot in enumerate(lots) for k in range(PER_LOT)),
            batch_size=5000,
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for label, ids in (
        (f"hub, {LOTS + 1} lots", G.trace_forward([source.pk])),
        ("one lot", [lots[7].pk]),
    ):
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            units = G.serials_of(ids)
            count = units.count()
            list(units[:50])
            times.append((time.perf_counter() - started) * 1000)
        print(f"serials of a forward trace, {label}: {count} serials, {_p(times)}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        G.lots_of_serial("S01234-042")
        times.append((time.perf_counter() - started) * 1000)
    print(f"lots_of_serial: {_p(times)}")


if __name__ == "__main__":
    main()
