"""The fund part's reads: budgets against actuals and commitments (§6 f)), the fund's balances
per purpose (§8.1), the spendings a user may see and the refused applications.

A budget that the principal has not approved is never counted as approved: ``budget_figures``
says so (``approved`` False) and the pages and the report show its figures as a draft. An actual
cost the ledger has not got is shown as missing (``None``), never as a zero."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from cqo.audit.models import AuditEvent

from .models_fund import (
    COMMITTED,
    PENDING,
    BudgetLine,
    BudgetStatus,
    Fund,
    FundPayment,
    FundPurpose,
    FundReportJob,
    FundSpending,
    QualityBudget,
    SpendingStatus,
)
from .selectors_ledger import cost_item_choices, ledger_totals

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def budgets_visible(user: Any) -> QuerySet[QualityBudget]:
    if not user.has_perm("costs.view_qualitybudget"):
        return QualityBudget.objects.none()
    return QualityBudget.objects.select_related("prepared_by", "approval")


def funds_visible(user: Any) -> QuerySet[Fund]:
    if not user.has_perm("costs.view_fund"):
        return Fund.objects.none()
    return Fund.objects.all()


def fund_report_jobs_visible(user: Any) -> QuerySet[FundReportJob]:
    """The report jobs of the funds the user may see (the file itself is left out: read it
    with ``fund_report_file``)."""
    return (
        FundReportJob.objects.filter(fund__in=funds_visible(user))
        .defer("content")
        .select_related("fund", "created_by")
    )


def fund_report_file(job: FundReportJob) -> bytes:
    """The stored bytes of a finished job, as they were kept."""
    data = FundReportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    return bytes(data)


def spendings_visible(user: Any, *, status: str = "", fund: Any = None) -> QuerySet[FundSpending]:
    if not user.has_perm("costs.view_fundspending"):
        return FundSpending.objects.none()
    qs = FundSpending.objects.select_related("fund", "purpose", "unit", "raised_by")
    if status in SpendingStatus.values:
        qs = qs.filter(status=status)
    if fund is not None:
        qs = qs.filter(fund=fund)
    return qs


def payments_of(spending: FundSpending) -> list[FundPayment]:
    return list(spending.payments.select_related("recorded_by").order_by("paid_on", "id"))


# --- the budget against actuals and commitments -----------------------------------------------


@dataclass
class BudgetRow:
    line: BudgetLine
    item_label: str
    amount: Decimal
    commitment: Decimal
    actual: Decimal | None  # None: the ledger has no figure for it
    used: Decimal
    percent: Decimal | None
    alert: bool


@dataclass
class BudgetFigures:
    budget: QualityBudget
    approved: bool
    rows: list[BudgetRow] = field(default_factory=list)
    total: Decimal = ZERO
    commitment: Decimal = ZERO
    actual: Decimal | None = None
    alerts: int = 0


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def commitments(year: int) -> dict[tuple[int, str], Decimal]:
    """Approved fund spendings of ``year`` not yet paid, by (unit, cost item of the purpose)."""
    out: dict[tuple[int, str], Decimal] = {}
    spendings = (
        FundSpending.objects.active()
        .filter(fund__year=year, fund__voided_at__isnull=True, status=SpendingStatus.APPROVED)
        .exclude(purpose__item_code="")
        .annotate(paid=Sum("payments__amount"))
        .values_list("unit_id", "purpose__item_code", "amount", "paid")
    )
    for unit_id, code, amount, paid in spendings:
        key = (unit_id, code)
        out[key] = out.get(key, ZERO) + (amount - (paid or ZERO))
    return out


def budget_figures(budget: QualityBudget) -> BudgetFigures:
    """Each line's budget, commitments (approved fund spendings not yet paid) and actual cost (the
    ledger's totals for the year), the share used and whether it passes the alert level."""
    labels = dict(cost_item_choices())
    first, last = datetime.date(budget.year, 1, 1), datetime.date(budget.year, 12, 31)
    actuals = ledger_totals(first=first, last=last, by=("unit_id", "item_code"))
    committed = commitments(budget.year)
    approved = budget.status == BudgetStatus.APPROVED and budget.voided_at is None
    figures = BudgetFigures(budget=budget, approved=approved)
    any_actual = False
    actual_total = ZERO
    lines = BudgetLine.objects.active().filter(budget=budget).select_related("unit")
    for line in lines:
        actual_raw = actuals.get((line.unit_id, line.item_code))
        actual = Decimal(actual_raw).quantize(CENT) if actual_raw is not None else None
        commitment = committed.get((line.unit_id, line.item_code), ZERO)
        used = commitment + (actual or ZERO)
        percent = _percent(used, line.amount)
        alert = approved and line.amount > 0 and used * 100 >= line.amount * budget.alert_percent
        figures.rows.append(
            BudgetRow(line, labels.get(line.item_code, line.item_code), line.amount, commitment,
                      actual, used, percent, alert)
        )  # fmt: skip
        figures.total += line.amount
        figures.commitment += commitment
        if actual is not None:
            any_actual = True
            actual_total += actual
        figures.alerts += int(alert)
    figures.actual = actual_total if any_actual else None
    return figures


def budget_alert_rows(user: Any, *, year: int) -> list[BudgetRow]:
    budget = (
        budgets_visible(user)
        .filter(year=year, status=BudgetStatus.APPROVED, voided_at__isnull=True)
        .first()
    )
    if budget is None:
        return []
    return [row for row in budget_figures(budget).rows if row.alert]


# --- the fund's balances ------------------------------------------------------------------------


@dataclass
class PurposeBalance:
    purpose: FundPurpose
    allocation: Decimal
    approved: Decimal  # approved, not yet paid
    paid: Decimal
    pending: Decimal  # awaiting a decision
    balance: Decimal  # allocation less approved and paid
    available: Decimal  # balance less pending: what may still be applied for


@dataclass
class FundBalances:
    fund: Fund
    rows: list[PurposeBalance]
    allocated: Decimal
    unallocated: Decimal
    approved: Decimal
    paid: Decimal
    pending: Decimal
    balance: Decimal


def fund_balances(fund: Fund) -> FundBalances:
    """Per purpose: allocation, approved, paid, awaiting a decision, balance, available."""
    purposes = list(FundPurpose.objects.active().filter(fund=fund).order_by("id"))
    sums: dict[tuple[int, str], Decimal] = {}
    for purpose_id, status, amount in (
        FundSpending.objects.active()
        .filter(fund=fund, status__in=(*COMMITTED, *PENDING))
        .values("purpose_id", "status")
        .annotate(s=Sum("amount"))
        .values_list("purpose_id", "status", "s")
    ):
        sums[(purpose_id, status)] = amount or ZERO
    paid_by: dict[int, Decimal] = {
        pid: s or ZERO
        for pid, s in FundPayment.objects.active()
        .filter(spending__fund=fund, spending__voided_at__isnull=True)
        .values("spending__purpose_id")
        .annotate(s=Sum("amount"))
        .values_list("spending__purpose_id", "s")
    }
    rows = []
    for p in purposes:
        committed = sum((sums.get((p.pk, s), ZERO) for s in COMMITTED), ZERO)
        pending = sum((sums.get((p.pk, s), ZERO) for s in PENDING), ZERO)
        paid = paid_by.get(p.pk, ZERO)
        balance = p.allocation - committed
        rows.append(
            PurposeBalance(p, p.allocation, committed - paid, paid, pending, balance,
                           balance - pending)
        )  # fmt: skip
    allocated = sum((r.allocation for r in rows), ZERO)
    return FundBalances(
        fund=fund, rows=rows, allocated=allocated, unallocated=fund.amount - allocated,
        approved=sum((r.approved for r in rows), ZERO), paid=sum((r.paid for r in rows), ZERO),
        pending=sum((r.pending for r in rows), ZERO),
        balance=sum((r.balance for r in rows), ZERO),
    )  # fmt: skip


def refused_applications(fund: Fund) -> list[AuditEvent]:
    """Applications refused over the balance or outside the purposes, as the trail kept them."""
    return list(
        AuditEvent.objects.filter(
            action="costs.fundspending.refuse", object_type="costs.fund", object_id=str(fund.pk)
        ).order_by("-seq")[:50]
    )


def fund_spendings(fund: Fund) -> list[FundSpending]:
    return list(
        FundSpending.objects.filter(fund=fund)
        .select_related("purpose", "unit", "raised_by")
        .prefetch_related(Prefetch("payments", queryset=FundPayment.objects.active()))
        .order_by("raised_at", "id")
    )
