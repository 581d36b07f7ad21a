"""The fund part's reads at size, in-process on a fresh test database: the balances per purpose
of a fund with N spendings (half of them paid), the budget against commitments and actuals with
L lines, and the year-end report as PDF and Excel. Rows are bulk-written (this measures reads);
prints one Markdown row per figure.

    CQO_VAR_DIR=... nice -n 10 .venv/bin/python benchmarks/bench_fund.py [--spendings 5000] [--lines 500]
    (with DATABASE_URL=postgres://... for PostgreSQL; it creates and drops test_<name>)
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def _time(fn: Callable[[], Any], runs: int = 5) -> float:
    fn()
    wall = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
    return statistics.median(wall) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spendings", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqo.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from decimal import Decimal

        from cqo.costs import reports_fund
        from cqo.costs import selectors_fund as sel
        from cqo.costs import services_fund as S
        from cqo.costs.models import (
            BudgetLine,
            BudgetStatus,
            FundPayment,
            FundSpending,
            SpendingStatus,
        )
        from cqo.organisation.models import Unit
        from cqo.testing.factories import UnitFactory
        from cqo.testing.fund import fund_with_purposes
        from cqo.testing.world import Org

        org = Org()
        fund, purposes = fund_with_purposes(org, amount="1000000000")
        now = timezone.now()
        plist = list(purposes.values())
        rows = [
            FundSpending(fund=fund, purpose=plist[i % 3], number=f"B{i:06d}", unit=org.production,
                         title="bench", justification="bench", amount=Decimal("1.00"),
                         status=SpendingStatus.PAID if i % 2 else SpendingStatus.APPROVED,
                         raised_by=org.head, raised_at=now)
            for i in range(args.spendings)
        ]  # fmt: skip
        FundSpending.objects.bulk_create(rows, batch_size=1000)
        paid = [
            FundPayment(spending=s, amount=Decimal("1.00"), paid_on=now.date(), voucher_no="V",
                        voucher="costs/vouchers/v.pdf", voucher_sha256="0" * 64,
                        recorded_by=org.cqo, recorded_at=now)
            for s in FundSpending.objects.filter(status=SpendingStatus.PAID)
        ]  # fmt: skip
        FundPayment.objects.bulk_create(paid, batch_size=1000)
        budget = S.budget_create(actor=org.cqo, year=now.year)
        units = [UnitFactory(parent=org.root, code=f"B{i}", name=f"单位{i}") for i in range(50)]
        codes = ["p_training", "p_improvement", "a_incoming", "a_process", "a_final", "i_scrap",
                 "i_rework", "e_claims", "e_returns", "q_assurance"]  # fmt: skip
        BudgetLine.objects.bulk_create(
            [BudgetLine(budget=budget, unit=units[i // 10 % 50], item_code=codes[i % 10],
                        amount=Decimal("1000")) for i in range(min(args.lines, 500))]
        )  # fmt: skip
        QualityBudget = type(budget)
        QualityBudget.objects.filter(pk=budget.pk).update(status=BudgetStatus.APPROVED)
        budget.refresh_from_db()
        del Unit
        vendor = connection.vendor
        n = args.spendings
        print(
            f"| fund balances, {n} spendings ({vendor}) | {_time(lambda: sel.fund_balances(fund)):.1f} ms |"
        )
        print(f"| budget figures, {BudgetLine.objects.count()} lines ({vendor}) | "
              f"{_time(lambda: sel.budget_figures(budget)):.1f} ms |")  # fmt: skip
        print(f"| year-end report Excel, {n} spendings ({vendor}) | "
              f"{_time(lambda: reports_fund.fund_report_xlsx(fund), 3):.0f} ms |")  # fmt: skip
        print(f"| year-end report PDF, {n} spendings ({vendor}) | "
              f"{_time(lambda: reports_fund.fund_report_pdf(fund), 1):.0f} ms |")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
