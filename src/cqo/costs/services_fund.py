"""The fund part's writes: the quality budget (§6 f)) and the special quality fund (§8.1).

The budget is prepared by the CQO in office and sent to the principal as an approval request of
kind ``quality_budget``; since the CQO raised it, the authorities route it to the principal, who
decides with an e-signature in the approval inbox. Only that decision makes a budget approved.

A spending application is an approval request of kind ``fund_spending`` under §6 f) to whoever
holds it for the unit (the CQO or a delegate); a delegate's approval goes on to the CQO, and the
CQO's approval of an amount above the fund's threshold goes on to the principal. An application
over the purpose's available balance, or for a purpose the fund does not have, is refused (and
the refused attempt kept in the audit trail); the balance moves when the spending is approved.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audit_record_detached, audited_change, snapshot
from cqo.authorities import engine
from cqo.authorities.models import ApprovalRequest, ApprovalStatus
from cqo.authorities.services import approval_raised_by_cqo, approval_request_raise
from cqo.authorities.vetoable import veto_refuse_if_active
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.uploads import file_sha256, upload_check
from cqo.notifications.services import notify, reminder_claim

from .models_fund import (
    COMMITTED,
    PENDING,
    BudgetLine,
    BudgetStatus,
    Fund,
    FundPayment,
    FundPurpose,
    FundSpending,
    PurposeKind,
    QualityBudget,
    SpendingStatus,
)
from .selectors_ledger import cost_item_choices

CLAUSE_BUDGET = clause("§6 f)")
CLAUSE_FUND = clause("§8.1")
CLAUSE_VETO = clause("§6 i)")
KIND_SPENDING = "fund_spending"
KIND_BUDGET = "quality_budget"
CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 12


# --- parsing -------------------------------------------------------------------------------


def money(value: Any, field: str, where: str, *, positive: bool = True) -> Decimal:
    """Yuan with two places from what a form, the API or an import gave; never a float."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(
            {field: _("Give the amount in yuan (%(clause)s).") % {"clause": where}}
        )
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError(
            {field: _("The amount is not a number of yuan (%(clause)s).") % {"clause": where}}
        )
    if abs(number) >= LIMIT:
        raise ValidationError(
            {field: _("The amount is too large (%(clause)s).") % {"clause": where}}
        )
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(
            {field: _("Give the amount in yuan with at most two decimal places (%(clause)s).")
             % {"clause": where}}
        )  # fmt: skip
    if number < 0 or (positive and number == 0):
        raise ValidationError(
            {field: _("The amount must be greater than zero (%(clause)s).") % {"clause": where}}
        )
    return number.quantize(CENT)


def _year(value: Any) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError(
            {"year": _("Give the year as four digits, 2000 to 2100 (%(clause)s).")
             % {"clause": CLAUSE_BUDGET}}
        )  # fmt: skip
    return year


def _text(value: Any, field: str, message: str, limit: int = 5000) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": limit}})
    return text


def _item_check(code: str, field: str = "item_code") -> str:
    code = str(code or "").strip()
    if code not in dict(cost_item_choices()):
        raise ValidationError(
            {
                field: _("Choose a cost item of the chart (%(clause)s).")
                % {"clause": clause("§7.1.5")}
            }
        )
    return code


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


# --- the quality budget (§6 f)) --------------------------------------------------------------


@transaction.atomic
def budget_create(
    *, actor: User, year: Any, alert_percent: Any = Decimal("90"), note: str = ""
) -> QualityBudget:
    """The CQO starts the year's budget; its lines follow, then the principal's approval."""
    require(actor, "costs.add_qualitybudget", clause=CLAUSE_BUDGET)
    year = _year(year)
    try:
        percent = Decimal(str(alert_percent).strip())
    except (InvalidOperation, ValueError):
        percent = Decimal("NaN")
    if not percent.is_finite() or not 1 <= percent <= 200:
        raise ValidationError(
            {"alert_percent": _("Give the alert level as a percentage from 1 to 200 (%(clause)s).")
             % {"clause": CLAUSE_BUDGET}}
        )  # fmt: skip
    if QualityBudget.objects.active().filter(year=year).exists():
        raise ValidationError(
            {"year": _("The year %(year)d already has a quality budget (%(clause)s).")
             % {"year": year, "clause": CLAUSE_BUDGET}}
        )  # fmt: skip
    budget = QualityBudget(
        year=year, alert_percent=percent.quantize(CENT), note=str(note or "").strip()[:5000],
        prepared_by=actor, prepared_at=timezone.now(),
    )  # fmt: skip
    budget.full_clean(exclude=["approval"])
    budget.save()
    audit_record(
        actor=actor, action="costs.budget.create", obj=budget, after=snapshot(budget),
        clause=CLAUSE_BUDGET,
    )  # fmt: skip
    return budget


def _budget_editable(budget: QualityBudget) -> None:
    if budget.voided_at is not None or budget.status not in (
        BudgetStatus.DRAFT, BudgetStatus.RETURNED
    ):  # fmt: skip
        raise ValidationError(
            {"budget": _("Only a budget being prepared or returned by the principal can be "
                         "changed; this one is %(status)s (%(clause)s).")
             % {"status": budget.get_status_display(), "clause": CLAUSE_BUDGET}}
        )  # fmt: skip


@transaction.atomic
def budget_line_set(
    *, actor: User, budget: QualityBudget, unit: Any, item_code: str, amount: Any
) -> BudgetLine:
    """Set the budget of one unit × cost item (a new line, or a new amount on the line)."""
    require(actor, "costs.change_qualitybudget", budget, clause=CLAUSE_BUDGET)
    locked = QualityBudget.objects.select_for_update().get(pk=budget.pk)
    _budget_editable(locked)
    if unit is None or getattr(unit, "pk", None) is None:
        raise ValidationError(
            {"unit": _("Choose a unit (%(clause)s).") % {"clause": CLAUSE_BUDGET}}
        )
    code = _item_check(item_code)
    value = money(amount, "amount", CLAUSE_BUDGET, positive=False)
    line = BudgetLine.objects.active().filter(budget=locked, unit=unit, item_code=code).first()
    if line is None:
        line = BudgetLine(budget=locked, unit=unit, item_code=code, amount=value)
        line.full_clean()
        line.save()
        audit_record(
            actor=actor, action="costs.budgetline.create", obj=line, after=snapshot(line),
            clause=CLAUSE_BUDGET,
        )  # fmt: skip
        return line
    with audited_change(
        actor=actor, obj=line, action="costs.budgetline.update", clause=CLAUSE_BUDGET,
        update_fields=["amount"],
    ) as changed:  # fmt: skip
        changed.amount = value
    return changed


def budget_total(budget: QualityBudget) -> Decimal:
    total = BudgetLine.objects.active().filter(budget=budget).aggregate(s=Sum("amount"))["s"]
    return (total or Decimal("0")).quantize(CENT)


@transaction.atomic
def budget_submit(*, actor: User, budget: QualityBudget) -> QualityBudget:
    """The CQO sends the budget to the principal: an approval request (``quality_budget``) which,
    raised by the CQO, only the principal may decide."""
    require(actor, "costs.submit_qualitybudget", budget, clause=CLAUSE_BUDGET)
    if not engine.is_current_cqo(actor):
        raise ValidationError(
            {"budget": _("Only the CQO in office sends the budget to the principal (%(clause)s).")
             % {"clause": CLAUSE_BUDGET}}
        )  # fmt: skip
    locked = QualityBudget.objects.select_for_update().get(pk=budget.pk)
    _budget_editable(locked)
    total = budget_total(locked)
    if not BudgetLine.objects.active().filter(budget=locked).exists():
        raise ValidationError(
            {"budget": _("Add the budget's lines before sending it (%(clause)s).")
             % {"clause": CLAUSE_BUDGET}}
        )  # fmt: skip
    before = snapshot(locked)
    request = approval_request_raise(
        actor=actor, subject=locked, kind=KIND_BUDGET, authority="f", amount=total,
        summary=_("Quality budget %(year)d, %(total)s yuan, for the principal's approval")
        % {"year": locked.year, "total": f"{total:,.2f}"},
    )  # fmt: skip
    locked.status = BudgetStatus.SUBMITTED
    locked.approval = request
    locked.save(update_fields=["status", "approval"])
    audit_record(
        actor=actor, action="costs.budget.submit", obj=locked, before=before,
        after=snapshot(locked), clause=CLAUSE_BUDGET,
    )  # fmt: skip
    return locked


def budget_content(budget: QualityBudget) -> dict[str, Any]:
    """What the principal signs: the year and every line's amount."""
    lines = BudgetLine.objects.active().filter(budget=budget).order_by("unit_id", "item_code")
    return {
        "budget": budget.pk,
        "year": budget.year,
        "alert_percent": str(budget.alert_percent),
        "lines": [[line.unit_id, line.item_code, str(line.amount)] for line in lines],
    }


def budget_approval_decided(*, actor: User, request: ApprovalRequest, subject: Any) -> None:
    """The ``quality_budget`` kind's handler: the principal's approval approves the budget; a
    rejection returns it to the CQO. A decision by anyone but the principal never approves it."""
    budget = QualityBudget.objects.select_for_update().get(pk=subject.pk)
    if budget.status != BudgetStatus.SUBMITTED or budget.approval_id != request.pk:
        return
    approved = request.status == ApprovalStatus.APPROVED
    if approved and not approval_raised_by_cqo(request):
        raise ValidationError(
            {"budget": _("A quality budget is approved by the principal only (%(clause)s).")
             % {"clause": CLAUSE_BUDGET}}
        )  # fmt: skip
    with audited_change(
        actor=actor, obj=budget, action="costs.budget.approve" if approved else "costs.budget.return",
        clause=CLAUSE_BUDGET, reason=request.decision_reason,
        update_fields=["status", "approved_at"],
    ) as locked:  # fmt: skip
        locked.status = BudgetStatus.APPROVED if approved else BudgetStatus.RETURNED
        locked.approved_at = timezone.now() if approved else None


def budget_approval_withdrawn(*, actor: User, request: ApprovalRequest, subject: Any) -> None:
    budget = QualityBudget.objects.select_for_update().get(pk=subject.pk)
    if budget.status == BudgetStatus.SUBMITTED and budget.approval_id == request.pk:
        with audited_change(
            actor=actor, obj=budget, action="costs.budget.withdraw", clause=CLAUSE_BUDGET,
            reason=request.decision_reason, update_fields=["status"],
        ) as locked:  # fmt: skip
            locked.status = BudgetStatus.DRAFT


@transaction.atomic
def budget_void(*, actor: User, budget: QualityBudget, reason: str) -> QualityBudget:
    """A budget made in error is voided with a reason (never one awaiting the principal)."""
    require(actor, "costs.void_qualitybudget", budget, clause=CLAUSE_BUDGET)
    reason = _text(reason, "reason", _("Give the reason for voiding (%(clause)s).")
                   % {"clause": CLAUSE_BUDGET})  # fmt: skip
    with audited_change(
        actor=actor, obj=budget, action="costs.budget.void", clause=CLAUSE_BUDGET, reason=reason,
        update_fields=["voided_at", "voided_by", "void_reason"],
    ) as locked:  # fmt: skip
        if locked.voided_at is not None or locked.status == BudgetStatus.SUBMITTED:
            raise ValidationError(
                {"budget": _("A budget awaiting the principal, or already voided, cannot be "
                             "voided (%(clause)s).") % {"clause": CLAUSE_BUDGET}}
            )  # fmt: skip
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason
    return locked


# --- the special quality fund (§8.1) ---------------------------------------------------------


@transaction.atomic
def fund_create(
    *, actor: User, year: Any, amount: Any, plan_ref: str, principal_threshold: Any
) -> Fund:
    """The CQO sets up the year's fund with its amount in the annual capital plan."""
    require(actor, "costs.add_fund", clause=CLAUSE_FUND)
    year = _year(year)
    total = money(amount, "amount", CLAUSE_FUND)
    threshold = money(principal_threshold, "principal_threshold", CLAUSE_FUND, positive=False)
    ref = _text(plan_ref, "plan_ref", _("Name the annual capital plan that holds the fund "
                                        "(%(clause)s).") % {"clause": CLAUSE_FUND}, 100)  # fmt: skip
    if Fund.objects.active().filter(year=year).exists():
        raise ValidationError(
            {"year": _("The year %(year)d already has a special quality fund (%(clause)s).")
             % {"year": year, "clause": CLAUSE_FUND}}
        )  # fmt: skip
    fund = Fund(
        year=year, amount=total, plan_ref=ref, principal_threshold=threshold, created_by=actor,
        created_at=timezone.now(),
    )  # fmt: skip
    fund.full_clean()
    fund.save()
    audit_record(actor=actor, action="costs.fund.create", obj=fund, after=snapshot(fund),
                 clause=CLAUSE_FUND)  # fmt: skip
    return fund


@transaction.atomic
def fund_purpose_add(
    *, actor: User, fund: Fund, kind: str, allocation: Any, name: str = "", item_code: str = ""
) -> FundPurpose:
    """A purpose of the fund with its allocation; the allocations never exceed the fund."""
    require(actor, "costs.change_fund", fund, clause=CLAUSE_FUND)
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    if locked.voided_at is not None:
        raise ValidationError({"fund": _("This fund was voided.")})
    if kind not in PurposeKind.values:
        raise ValidationError(
            {"kind": _("Choose a purpose from the list (%(clause)s).") % {"clause": CLAUSE_FUND}}
        )
    label = str(name or "").strip()[:100]
    if kind == PurposeKind.OTHER and not str(name or "").strip():
        raise ValidationError(
            {"name": _("Name the other purpose (%(clause)s).") % {"clause": CLAUSE_FUND}}
        )
    value = money(allocation, "allocation", CLAUSE_FUND, positive=False)
    code = _item_check(item_code) if str(item_code or "").strip() else ""
    if FundPurpose.objects.active().filter(fund=locked, kind=kind, name=label).exists():
        raise ValidationError(
            {"name": _("The fund already has this purpose (%(clause)s).") % {"clause": CLAUSE_FUND}}
        )
    allocated = FundPurpose.objects.active().filter(fund=locked).aggregate(s=Sum("allocation"))
    if (allocated["s"] or 0) + value > locked.amount:
        raise ValidationError(
            {"allocation": _("The allocations would exceed the fund's %(amount)s yuan "
                             "(%(clause)s).") % {"amount": f"{locked.amount:,.2f}",
                                                  "clause": CLAUSE_FUND}}
        )  # fmt: skip
    purpose = FundPurpose(fund=locked, kind=kind, name=label, allocation=value, item_code=code)
    purpose.full_clean()
    purpose.save()
    audit_record(actor=actor, action="costs.fundpurpose.create", obj=purpose,
                 after=snapshot(purpose), clause=CLAUSE_FUND)  # fmt: skip
    return purpose


def _sum(qs: Any, field: str = "amount") -> Decimal:
    return (qs.aggregate(s=Sum(field))["s"] or Decimal("0")).quantize(CENT)


def purpose_available(purpose: FundPurpose, *, excluding: int | None = None) -> Decimal:
    """What may still be applied for: the allocation less what is approved or paid and what
    awaits a decision."""
    spendings = FundSpending.objects.active().filter(
        purpose=purpose, status__in=(*COMMITTED, *PENDING)
    )
    if excluding is not None:
        spendings = spendings.exclude(pk=excluding)
    return purpose.allocation - _sum(spendings)


def _refuse(actor: User, fund: Fund, field: str, message: str) -> None:
    """Refuse an application, keeping the refused attempt in the audit trail."""
    audit_record_detached(
        actor=actor, action="costs.fundspending.refuse", obj=fund, reason=message,
        clause=CLAUSE_FUND,
    )  # fmt: skip
    raise ValidationError({field: message})


@transaction.atomic
def fund_spending_apply(
    *,
    actor: User,
    fund: Fund,
    purpose: Any,
    unit: Any,
    title: str,
    justification: str,
    amount: Any,
    touches_safety: bool = False,
) -> FundSpending:
    """A unit applies to spend from the fund: an approval request to whoever holds §6 f) for it.
    Refused outside the fund's purposes or over the purpose's available balance (§8.1)."""
    require(actor, "costs.add_fundspending", clause=CLAUSE_FUND)
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    if locked.voided_at is not None:
        raise ValidationError({"fund": _("This fund was voided.")})
    title = _text(title, "title", _("Say what the money is for (%(clause)s).")
                  % {"clause": CLAUSE_FUND}, 200)  # fmt: skip
    justification = _text(justification, "justification",
                          _("Give the justification (%(clause)s).") % {"clause": CLAUSE_FUND})  # fmt: skip
    if unit is None or getattr(unit, "pk", None) is None:
        raise ValidationError({"unit": _("Choose the applying unit (%(clause)s).")
                               % {"clause": CLAUSE_FUND}})  # fmt: skip
    value = money(amount, "amount", CLAUSE_FUND)
    chosen = purpose if isinstance(purpose, FundPurpose) else None
    if chosen is None and purpose not in (None, ""):
        try:
            chosen = FundPurpose.objects.filter(pk=int(str(purpose))).first()
        except (TypeError, ValueError):
            chosen = None
    if chosen is None or chosen.fund_id != locked.pk or chosen.voided_at is not None:
        _refuse(actor, locked, "purpose",
                _("Purpose: the fund %(year)d has no such purpose; a spending outside the fund's "
                  "purposes is refused (%(clause)s).") % {"year": locked.year,
                                                          "clause": CLAUSE_FUND})  # fmt: skip
    assert chosen is not None
    available = purpose_available(chosen)
    if value > available:
        _refuse(actor, locked, "amount",
                _("Amount: %(amount)s yuan is over the balance of “%(purpose)s”, %(available)s "
                  "yuan available; a spending over the balance is refused (%(clause)s).")
                % {"amount": f"{value:,.2f}", "purpose": chosen.title,
                   "available": f"{max(available, Decimal('0')):,.2f}", "clause": CLAUSE_FUND})  # fmt: skip
    spending = FundSpending(
        fund=locked, purpose=chosen, unit=unit, title=title, justification=justification,
        amount=value, touches_safety=bool(touches_safety), raised_by=actor,
        raised_at=timezone.now(), number=number_next(FundSpending, f"QF{locked.year}-", 4),
    )  # fmt: skip
    spending.full_clean(exclude=["approval"])
    spending.save()
    spending.approval = _raise(actor, spending)
    spending.save(update_fields=["approval"])
    audit_record(actor=actor, action="costs.fundspending.create", obj=spending,
                 after=snapshot(spending), clause=CLAUSE_FUND)  # fmt: skip
    return spending


def _raise(actor: User, spending: FundSpending) -> ApprovalRequest:
    return approval_request_raise(
        actor=actor, subject=spending, kind=KIND_SPENDING, authority="f", unit=spending.unit,
        amount=spending.amount,
        summary=_("%(number)s %(title)s: %(amount)s yuan from “%(purpose)s” of the special "
                  "quality fund %(year)d") % {
            "number": spending.number, "title": spending.title,
            "amount": f"{spending.amount:,.2f}", "purpose": spending.purpose.title,
            "year": spending.fund.year},
    )  # fmt: skip


def spending_content(spending: FundSpending) -> dict[str, Any]:
    """What the approver signs about a spending."""
    return {
        "spending": spending.pk,
        "number": spending.number,
        "fund_year": spending.fund.year,
        "purpose": spending.purpose.title,
        "unit": spending.unit_id,
        "title": spending.title,
        "justification": spending.justification,
        "amount": str(spending.amount),
        "touches_safety": spending.touches_safety,
    }


def _status_set(
    actor: User, spending: FundSpending, status: str, reason: str = "", approval: Any = None
) -> Any:
    with audited_change(
        actor=actor, obj=spending, action=f"costs.fundspending.{status}", clause=CLAUSE_FUND,
        reason=reason, update_fields=["status", "decided_at", "approval"],
    ) as locked:  # fmt: skip
        locked.status = status
        if approval is not None:
            locked.approval = approval
        if status in (SpendingStatus.APPROVED, SpendingStatus.REJECTED):
            locked.decided_at = timezone.now()
    return locked


def spending_approval_decided(*, actor: User, request: ApprovalRequest, subject: Any) -> None:
    """The ``fund_spending`` kind's handler, in the decider's transaction. A rejection ends the
    application. An approval by a delegate goes on to the CQO; the CQO's approval of an amount
    above the fund's threshold goes on to the principal; otherwise the spending is approved and
    its amount leaves the purpose's balance."""
    spending = FundSpending.objects.select_for_update().get(pk=subject.pk)
    if spending.voided_at is not None or spending.status not in PENDING:
        return
    if spending.approval_id != request.pk:
        return
    if request.status != ApprovalStatus.APPROVED:
        _status_set(actor, spending, SpendingStatus.REJECTED, request.decision_reason)
        return
    veto_refuse_if_active(spending)
    purpose = FundPurpose.objects.get(pk=spending.purpose_id)
    committed = purpose.allocation - purpose_available(purpose, excluding=spending.pk)
    if spending.amount + committed > purpose.allocation:
        raise ValidationError(
            {"amount": _("Amount: the spending is over the balance of “%(purpose)s” "
                         "(%(clause)s).") % {"purpose": purpose.title, "clause": CLAUSE_FUND}}
        )  # fmt: skip
    by_principal = approval_raised_by_cqo(request)
    if not by_principal and not engine.is_current_cqo(actor):
        # A delegate of §6 f) approved: the CQO decides next.
        nxt = approval_request_raise(
            actor=actor, subject=spending, kind=KIND_SPENDING, authority="f",
            unit=spending.unit, amount=spending.amount, summary=request.summary,
        )  # fmt: skip
        _status_set(actor, spending, SpendingStatus.SUBMITTED, request.decision_reason, nxt)
        return
    if not by_principal and spending.amount > spending.fund.principal_threshold:
        nxt = approval_request_raise(
            actor=actor, subject=spending, kind=KIND_SPENDING, authority="f",
            unit=spending.unit, amount=spending.amount, summary=request.summary,
        )  # fmt: skip
        _status_set(actor, spending, SpendingStatus.PRINCIPAL, request.decision_reason, nxt)
        return
    _status_set(actor, spending, SpendingStatus.APPROVED, request.decision_reason)


def spending_approval_withdrawn(*, actor: User, request: ApprovalRequest, subject: Any) -> None:
    spending = FundSpending.objects.select_for_update().get(pk=subject.pk)
    if spending.status in PENDING and spending.approval_id == request.pk:
        _status_set(actor, spending, SpendingStatus.WITHDRAWN, request.decision_reason)


def spending_paid(spending: FundSpending) -> Decimal:
    return _sum(FundPayment.objects.active().filter(spending=spending))


def _paid_on(value: Any) -> datetime.date:
    day = value
    if isinstance(day, datetime.datetime):
        day = day.date()
    if isinstance(day, str):
        day = parse_date(day.strip()) if day.strip() else None
    if not isinstance(day, datetime.date):
        raise ValidationError({"paid_on": _("Give the date paid as YYYY-MM-DD (%(clause)s).")
                               % {"clause": CLAUSE_FUND}})  # fmt: skip
    if day > timezone.localdate():
        raise ValidationError({"paid_on": _("The date paid cannot be in the future.")})
    return day


@transaction.atomic
def fund_payment_record(
    *, actor: User, spending: FundSpending, amount: Any, paid_on: Any, voucher_no: str,
    voucher: Any,
) -> FundPayment:  # fmt: skip
    """A payment on an approved spending, with its voucher (PDF or image). The payments never
    exceed the approved amount; the spending is paid when they reach it. Refused while a veto
    holds the spending (§6 i))."""
    require(actor, "costs.pay_fundspending", spending, clause=CLAUSE_FUND)
    veto_refuse_if_active(spending)
    locked = FundSpending.objects.select_for_update().get(pk=spending.pk)
    if locked.voided_at is not None or locked.status != SpendingStatus.APPROVED:
        raise ValidationError(
            {"spending": _("Only an approved spending not yet fully paid can be paid; this one "
                           "is %(status)s (%(clause)s).")
             % {"status": locked.get_status_display(), "clause": CLAUSE_FUND}}
        )  # fmt: skip
    value = money(amount, "amount", CLAUSE_FUND)
    day = _paid_on(paid_on)
    number = _text(voucher_no, "voucher_no", _("Give the voucher number (%(clause)s).")
                   % {"clause": CLAUSE_FUND}, 60)  # fmt: skip
    if voucher in (None, ""):
        raise ValidationError({"voucher": _("Attach the payment voucher (%(clause)s).")
                               % {"clause": CLAUSE_FUND}})  # fmt: skip
    upload_check(voucher, field="voucher")
    paid = spending_paid(locked)
    if paid + value > locked.amount:
        raise ValidationError(
            {"amount": _("Amount: the payments would exceed the approved %(approved)s yuan; "
                         "%(left)s yuan is left to pay (%(clause)s).")
             % {"approved": f"{locked.amount:,.2f}", "left": f"{locked.amount - paid:,.2f}",
                "clause": CLAUSE_FUND}}
        )  # fmt: skip
    payment = FundPayment(
        spending=locked, amount=value, paid_on=day, voucher_no=number,
        voucher_sha256=file_sha256(voucher), recorded_by=actor, recorded_at=timezone.now(),
    )  # fmt: skip
    payment.voucher.save(getattr(voucher, "name", "voucher.pdf"), voucher, save=False)
    payment.save()
    audit_record(actor=actor, action="costs.fundpayment.create", obj=payment,
                 after=snapshot(payment), clause=CLAUSE_FUND)  # fmt: skip
    if paid + value == locked.amount:
        with audited_change(
            actor=actor, obj=locked, action="costs.fundspending.paid", clause=CLAUSE_FUND,
            update_fields=["status"],
        ) as changed:  # fmt: skip
            changed.status = SpendingStatus.PAID
    return payment


# --- variance alerts (§6 f)) ------------------------------------------------------------------


def budget_alerts_notify(*, on: datetime.date | None = None) -> int:
    """The daily reminder: tell the CQO of each line of this year's approved budget whose actual
    cost and commitments have reached the budget's alert level (once a week per line)."""
    from .selectors_fund import budget_figures

    day = on or timezone.localdate()
    budget = (
        QualityBudget.objects.active().filter(year=day.year, status=BudgetStatus.APPROVED).first()
    )
    cqo = engine.current_cqo_user()
    if budget is None or cqo is None:
        return 0
    sent = 0
    for row in budget_figures(budget).rows:
        if not row.alert:
            continue
        with transaction.atomic():
            if not reminder_claim(f"costs.budget.{row.line.pk}", on=day, every_days=7):
                continue
            notify(
                [cqo],
                lambda row=row: _(  # type: ignore[misc]
                    "Quality budget %(year)d: %(unit)s, %(item)s has used %(percent)s%% of its "
                    "budget (%(clause)s)."
                ) % {"year": budget.year, "unit": row.line.unit.name, "item": row.item_label,
                     "percent": row.percent, "clause": CLAUSE_BUDGET},
                url=_url("costs:budget_detail", budget.pk), clause=CLAUSE_BUDGET,
            )  # fmt: skip
            sent += 1
    return sent
