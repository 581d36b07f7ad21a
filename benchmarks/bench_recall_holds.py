"""The recall's automatic hold of many lots (issue 11: 10,000 lots <= 5 s, audited).

Run from the repository root, on a fresh temporary SQLite database (migrated first):

    .venv/bin/python benchmarks/bench_recall_holds.py [--lots 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cqo_bench_recall .venv/bin/python benchmarks/bench_recall_holds.py

With DATABASE_URL the named PostgreSQL database is used (and migrated): give it a throwaway one.

Cases, each timed to the end of its commit:
- ``hold_many``: ``masterdata.holds_bulk.lots_hold_many`` of N released lots (N holds and N
  historical rows inserted, N lots' status and history rows, ONE audit event with the digest);
- ``lift_many``: ``lots_hold_lift_many`` of the same holds;
- ``stop``: a recall case's stop over N suspect lots (``recall.services_case.case_stop``: the
  forward trace, the holds, the recalled-lot rows, the targets, the case's own event);
- ``row_by_row``: ``stock.lot_hold_place`` one lot at a time (one event per lot) on a sample of
  ``--sample`` lots, extrapolated to N, for comparison.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    if "CQO_VAR_DIR" not in os.environ or not os.environ.get("DATABASE_URL"):
        os.environ["CQO_VAR_DIR"] = tempfile.mkdtemp(prefix="cqo-bench-recall-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    _setup()
    from django.db import connection, transaction

    from cqo.masterdata import stock
    from cqo.masterdata.holds_bulk import lots_hold_lift_many, lots_hold_many
    from cqo.masterdata.models import ItemKind, Lot, LotOrigin, StockStatus
    from cqo.organisation import roles as R
    from cqo.recall import services_case as S
    from cqo.testing.factories import member
    from cqo.testing.masterdata import ItemFactory

    stamp = time.strftime("%H%M%S")
    cqo = member([R.CQO], username=f"bench-cqo-{stamp}")
    principal = member([R.PRINCIPAL], username=f"bench-principal-{stamp}")
    item = ItemFactory(kind=ItemKind.PRODUCT, part_number=f"BC-{stamp}")

    def lots(prefix: str, n: int) -> list[int]:
        Lot.objects.bulk_create(
            [
                Lot(number=f"{prefix}-{stamp}-{i:06d}", item=item, origin=LotOrigin.PRODUCTION,
                    quantity=Decimal("100"), arrived_on=datetime.date(2026, 11, 1),
                    stock_status=StockStatus.RELEASED, created_by=cqo)
                for i in range(n)
            ],
            batch_size=2000,
        )  # fmt: skip
        return list(
            Lot.objects.filter(number__startswith=f"{prefix}-{stamp}-").values_list("pk", flat=True)
        )

    n = args.lots
    rows: list[tuple[str, float, str]] = []
    ids = lots("H", n)
    started = time.perf_counter()
    with transaction.atomic():
        lots_hold_many(actor=cqo, lot_ids=ids, reason="bench", clause="§7.2.1.4",
                       source=f"bench:{stamp}")  # fmt: skip
    rows.append(("hold_many", time.perf_counter() - started, f"{n} lots, one event"))
    started = time.perf_counter()
    with transaction.atomic():
        lots_hold_lift_many(actor=cqo, source=f"bench:{stamp}", reason="bench")
    rows.append(("lift_many", time.perf_counter() - started, f"{n} holds, one event"))

    stop_ids = lots("S", n)
    case = S.case_open(actor=cqo, title="bench", signal_kind="other")
    case.start_lots.set(stop_ids)
    case = S.case_investigate(actor=cqo, case=case, note="bench")
    case = S.case_defect_decide(actor=cqo, case=case, confirmed=True, defect="bench")
    case = S.case_decision_propose(actor=cqo, case=case, kind="voluntary", reasons="bench")
    case = S.case_decision_agree(actor=principal, case=case, agree=True)
    started = time.perf_counter()
    S.case_stop(actor=cqo, case=case)
    rows.append(("stop", time.perf_counter() - started, f"{n} suspect lots: trace, holds, rows"))

    sample = lots("R", args.sample)
    started = time.perf_counter()
    for lot in Lot.objects.filter(pk__in=sample):
        stock.lot_hold_place(actor=cqo, lot=lot, reason="bench", clause="§7.2.1.4",
                             source="bench-row")  # fmt: skip
    each = (time.perf_counter() - started) / len(sample)
    rows.append(("row_by_row", each * n, f"{len(sample)} lots measured, x{n / len(sample):.0f}"))

    print(f"\n{connection.vendor}, {n} lots, load {os.getloadavg()[0]:.1f}\n")
    print("| case | seconds | note |\n|---|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.2f} | {note} |")


if __name__ == "__main__":
    main()
