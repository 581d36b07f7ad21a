"""The demo's quality-cost ledger (§7.1.5, §7.2.3.7): a year of lines — prevention and appraisal
costs entered by the quality department, the failure costs copied from the NCRs, complaints and
incidents the other builders made — finance's monthly sales, output value and profit (entered
by the head of finance, named keeper by the CQO; the current month has none yet and its ratios
show as missing), the months before last closed, one line corrected by a reversal, and an item
the enterprise added to the chart.

``--scale large`` adds 1,000,000 lines over three years, written in bulk (batches of 100,000, one
audit event per batch on its job): the report by month × category × unit is measured on them
(benchmarks/bench_costs.py)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.audit.services import audited_bulk_create
from cqo.core.clauses import clause
from cqo.core.demo import DemoContext

from . import selectors_ledger as sel
from . import services_ledger as S
from .models_ledger import JobKind, JobStatus, LedgerJob, LedgerLine, LineOrigin

CLAUSE = clause("§7.1.5")
LARGE_LINES = 1_000_000
BATCH = 100_000

# (item code, unit code, monthly amount in yuan around which the demo varies)
MONTHLY: list[tuple[str, str, int]] = [
    ("p_training", "HR", 6_000),
    ("p_activities", "QM", 4_500),
    ("p_improvement", "QM-QE", 9_000),
    ("p_wages", "QM", 38_000),
    ("p_information", "QM", 1_800),
    ("a_incoming", "QM-IN", 12_000),
    ("a_process", "QM-IN", 15_000),
    ("a_final", "QM-IN", 11_000),
    ("a_wages", "QM-IN", 42_000),
    ("a_equipment", "QM-MT", 6_500),
    ("a_testing", "TC", 8_000),
    ("i_rework", "PD-MC", 7_000),
    ("i_downtime", "PD-DC", 5_500),
    ("e_warranty", "SA", 9_500),
    ("q_certification", "QM", 2_000),
]


def _months_back(today: datetime.date, n: int) -> datetime.date:
    month = today.replace(day=1)
    for _i in range(n):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def _unit_ids(ctx: DemoContext) -> dict[str, int]:
    units = ctx.get("organisation.units")
    return {code: unit.pk for code, unit in units.items()}


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    cqo = users["cqo"]
    finance = users.get("head_finance") or users["principal"]
    deputy = users.get("deputy") or cqo
    today = timezone.localdate()
    start = _months_back(today, 12)
    units = _unit_ids(ctx)
    rng = random.Random(ctx.seed + 13)

    S.finance_keeper_name(actor=cqo, user=finance)
    S.chart_item_add(actor=cqo, code="p_supplier_development", category="prevention",
                     name="供应商质量开发", name_en="Supplier quality development")  # fmt: skip

    # Prevention and appraisal (and a few failure) costs entered each month, in one batch.
    job = LedgerJob.objects.create(kind=JobKind.BULK, created_by=deputy, first=start, last=today,
                                   status=JobStatus.RUNNING)  # fmt: skip
    rows: list[LedgerLine] = []
    month = start
    categories = {e.code: e.category for e in sel.chart()}
    while month <= today:
        last = min(sel.month_last(month), today - datetime.timedelta(days=1))
        if last < month:
            break
        for code, unit, base in MONTHLY:
            amount = Decimal(base * rng.uniform(0.8, 1.2)).quantize(Decimal("0.01"))
            day = month + datetime.timedelta(days=rng.randint(0, (last - month).days))
            rows.append(LedgerLine(
                month=month, date=day, item_code=code, category=categories[code], amount=amount,
                unit_id=units.get(unit), origin=LineOrigin.MANUAL, note="月度归集", job=job,
                created_by=deputy,
            ))  # fmt: skip
        month = sel.month_last(month) + datetime.timedelta(days=1)
    audited_bulk_create(actor=deputy, obj=job, action="costs.ledger.bulk", model=LedgerLine,
                        rows=rows, clause=CLAUSE)  # fmt: skip
    LedgerJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, total=len(rows), done=len(rows), written=len(rows),
        finished_at=timezone.now(),
    )  # fmt: skip

    # The failure costs of the NCRs, complaints and incidents: copied from their sources.
    S.ledger_sync(actor=cqo, first=start, last=today)

    # Finance's figures for every month that has ended (the current one has none yet).
    month = start
    while sel.month_last(month) < today:
        sales = Decimal(rng.randint(5_800_000, 7_200_000))
        S.base_figure_set(actor=finance, month=month, kind="sales", amount=sales)
        S.base_figure_set(actor=finance, month=month, kind="output",
                          amount=(sales * Decimal("1.06")).quantize(Decimal("1")))  # fmt: skip
        S.base_figure_set(actor=finance, month=month, kind="profit",
                          amount=(sales * Decimal(rng.uniform(0.05, 0.09))).quantize(
                              Decimal("0.01")))  # fmt: skip
        month = sel.month_last(month) + datetime.timedelta(days=1)

    if ctx.large:
        large_lines(actor=deputy, units=list(units.values()), total=LARGE_LINES, seed=ctx.seed)

    # A wrong line corrected: reversed and entered again, then the months before last closed.
    wrong = S.ledger_line_add(
        actor=deputy, date=_months_back(today, 2) + datetime.timedelta(days=9),
        item_code="a_testing", amount="18600.00", unit=units.get("TC"),
        note="型式试验费（误记为 18600，应为 16800）",
    )  # fmt: skip
    S.ledger_line_add(
        actor=deputy, date=_months_back(today, 2) + datetime.timedelta(days=10),
        item_code="a_testing", amount="16800.00", unit=units.get("TC"), note="型式试验费（更正）",
    )  # fmt: skip
    S.ledger_line_reverse(actor=deputy, line=wrong, reason="金额录入错误，按 16800 元重新入账",
                          date=_months_back(today, 2) + datetime.timedelta(days=10))  # fmt: skip
    # The large ledger's three years are closed too, as an enterprise closes every month: the
    # report then reads them from their totals.
    month = min(start, today.replace(year=today.year - 3, day=1)) if ctx.large else start
    while month < _months_back(today, 1):
        S.month_close(actor=cqo, month=month)
        month = sel.month_last(month) + datetime.timedelta(days=1)


def large_lines(*, actor: Any, units: list[int], total: int, seed: int = 1, years: int = 3) -> int:
    """``total`` lines over ``years`` years before today, across the chart and the units, in
    batches of ``BATCH`` (one job and one audit event each). Returns the number written."""
    rng = random.Random(seed)
    today = timezone.localdate()
    first = today.replace(year=today.year - years, day=1)
    span = (today - first).days
    chart = [(e.code, e.category) for e in sel.chart()]
    written = 0
    while written < total:
        n = min(BATCH, total - written)
        job = LedgerJob.objects.create(kind=JobKind.BULK, created_by=actor, first=first,
                                       last=today, status=JobStatus.RUNNING)  # fmt: skip
        rows = []
        for _i in range(n):
            day = first + datetime.timedelta(days=rng.randrange(span))
            code, category = chart[rng.randrange(len(chart))]
            rows.append(LedgerLine(
                month=day.replace(day=1), date=day, item_code=code, category=category,
                amount=Decimal(rng.randrange(1000, 5_000_000)) / 100,
                unit_id=units[rng.randrange(len(units))], origin=LineOrigin.IMPORT,
                note="", job=job, created_by_id=actor.pk,
            ))  # fmt: skip
        audited_bulk_create(actor=actor, obj=job, action="costs.ledger.bulk", model=LedgerLine,
                            rows=rows, clause=CLAUSE, batch_size=5000)  # fmt: skip
        LedgerJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, total=n, done=n, written=n, finished_at=timezone.now()
        )
        written += n
    return written
