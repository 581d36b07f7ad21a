"""The quality budget and the special quality fund in a test world (§6 f), §8.1): a budget with
lines, a fund with purposes, an application and its decisions, a voucher to attach."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cqo.authorities.models import ApprovalRequest
from cqo.authorities.services import approval_decide
from cqo.costs import services_fund as S
from cqo.costs.models import Fund, FundPurpose, FundSpending, PurposeKind, QualityBudget
from cqo.testing.world import PASSWORD, today

PDF = b"%PDF-1.4\n% voucher\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def voucher(name: str = "voucher.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def budget_with_lines(org: Any, *, year: int | None = None, **fields: Any) -> QualityBudget:
    """A draft budget of this year with two lines (QM training 10,000; production scrap
    20,000)."""
    budget = S.budget_create(actor=org.cqo, year=year or today().year, **fields)
    S.budget_line_set(actor=org.cqo, budget=budget, unit=org.qm, item_code="p_training",
                      amount="10000")  # fmt: skip
    S.budget_line_set(actor=org.cqo, budget=budget, unit=org.production, item_code="i_scrap",
                      amount="20000")  # fmt: skip
    return budget


def decide(user: Any, record: Any, decision: str = "approve", reason: str = "同意") -> Any:
    """``user`` decides the approval request ``record`` (a budget or a spending) now awaits."""
    record.refresh_from_db()
    request = ApprovalRequest.objects.get(pk=record.approval_id)
    approval_decide(actor=user, request=request, decision=decision, reason=reason,
                    password=PASSWORD)  # fmt: skip
    record.refresh_from_db()
    return record


def fund_with_purposes(
    org: Any, *, amount: str = "100000", threshold: str = "20000", year: int | None = None
) -> tuple[Fund, dict[PurposeKind, FundPurpose]]:
    """This year's fund with training (40,000 → p_training), rewards (30,000) and metrology
    (10,000); 20,000 not allocated."""
    fund = S.fund_create(actor=org.cqo, year=year or today().year, amount=amount,
                         plan_ref="2026 年度资金使用计划", principal_threshold=threshold)  # fmt: skip
    purposes = {
        PurposeKind.TALENT: S.fund_purpose_add(actor=org.cqo, fund=fund, kind=PurposeKind.TALENT,
                                               allocation="40000", item_code="p_training"),
        PurposeKind.REWARDS: S.fund_purpose_add(actor=org.cqo, fund=fund,
                                                kind=PurposeKind.REWARDS, allocation="30000"),
        PurposeKind.METROLOGY: S.fund_purpose_add(actor=org.cqo, fund=fund,
                                                  kind=PurposeKind.METROLOGY, allocation="10000"),
    }  # fmt: skip
    return fund, purposes


def spending_applied(
    org: Any, fund: Fund, purpose: FundPurpose, amount: str = "8000", *, by: Any = None,
    unit: Any = None, **fields: Any,
) -> FundSpending:  # fmt: skip
    fields.setdefault("title", "质量培训")
    fields.setdefault("justification", "班组长质量意识培训")
    return S.fund_spending_apply(
        actor=by or org.head,
        fund=fund,
        purpose=purpose,
        unit=unit or org.production,
        amount=amount,
        **fields,
    )


def spending_approved(org: Any, amount: str = "8000") -> FundSpending:
    fund, purposes = fund_with_purposes(org)
    spending = spending_applied(org, fund, purposes[PurposeKind.TALENT], amount)
    return decide(org.cqo, spending)


__all__ = [
    "Decimal", "budget_with_lines", "decide", "fund_with_purposes", "spending_applied",
    "spending_approved", "voucher",
]  # fmt: skip
