"""The demo's quality budget and special quality fund for this year: a budget prepared by the
CQO and approved by the principal with an e-signature (§6 f)); a fund of 600,000 yuan in six
purposes, with spendings in three of them (training, rewards, metrology) decided by the CQO, one
large one also by the principal, payments with their vouchers, and one application refused for
lack of balance (§8.1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cqo.audit.services import audit_detached_flush
from cqo.authorities.models import ApprovalRequest
from cqo.authorities.services import approval_decide
from cqo.core.demo import DemoContext

from . import services_fund as S
from .models_fund import Fund, FundSpending, PurposeKind

VOUCHER = b"%PDF-1.4\n% demo voucher\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

BUDGET_LINES = [
    ("QM", "p_training", "80000"), ("QM", "p_improvement", "120000"),
    ("QM-IN", "a_incoming", "150000"), ("QM-MT", "a_equipment", "90000"),
    ("PD-MC", "i_scrap", "200000"), ("PD-AS", "i_rework", "60000"),
    ("SA", "e_claims", "150000"),
]  # fmt: skip

PURPOSES = [
    (PurposeKind.TALENT, "150000", "p_training"), (PurposeKind.REWARDS, "100000", "p_rewards"),
    (PurposeKind.TECHNOLOGY, "150000", "p_improvement"), (PurposeKind.STANDARDS, "50000", ""),
    (PurposeKind.METROLOGY, "100000", "a_equipment"), (PurposeKind.BRAND, "50000", ""),
]  # fmt: skip


def _decide(user: Any, spending: Any, password: str, reason: str) -> None:
    spending.refresh_from_db()
    request = ApprovalRequest.objects.get(pk=int(spending.approval_id or 0))
    approval_decide(actor=user, request=request, decision="approve", reason=reason,
                    password=password)  # fmt: skip


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    cqo, principal = users["cqo"], users["principal"]
    year = timezone.localdate().year

    budget = S.budget_create(actor=cqo, year=year, note="按质量目标和上年质量成本编制")
    for unit, item, amount in BUDGET_LINES:
        if unit in units:
            S.budget_line_set(actor=cqo, budget=budget, unit=units[unit], item_code=item,
                              amount=amount)  # fmt: skip
    budget = S.budget_submit(actor=cqo, budget=budget)
    approval_decide(actor=principal, request=ApprovalRequest.objects.get(pk=int(budget.approval_id or 0)),
                    decision="approve", reason="同意本年度质量预算", password=ctx.password)  # fmt: skip

    fund = S.fund_create(actor=cqo, year=year, amount="600000", plan_ref=f"{year} 年度资金使用计划 第 12 项",
                         principal_threshold="50000")  # fmt: skip
    purposes = {
        kind: S.fund_purpose_add(actor=cqo, fund=fund, kind=kind, allocation=amount, item_code=item)
        for kind, amount, item in PURPOSES
    }
    head_qm = users.get("deputy", cqo)
    head_pd = users.get("head_production", head_qm)
    metrology = users.get("metrology", head_qm)
    training = S.fund_spending_apply(
        actor=head_qm, fund=fund, purpose=purposes[PurposeKind.TALENT], unit=units["QM"],
        title="六西格玛绿带培训（12 人）", justification="提升质量工程师统计分析能力", amount="48000",
    )  # fmt: skip
    _decide(cqo, training, ctx.password, "符合质量人才培养计划")
    rewards = S.fund_spending_apply(
        actor=head_pd, fund=fund, purpose=purposes[PurposeKind.REWARDS], unit=units["PD"],
        title="QC 小组成果奖励（第二季度）", justification="缸体气孔率下降 40%，三个小组获奖",
        amount="30000",
    )  # fmt: skip
    _decide(cqo, rewards, ctx.password, "按质量激励办法发放")
    gauges = S.fund_spending_apply(
        actor=metrology, fund=fund, purpose=purposes[PurposeKind.METROLOGY], unit=units["QM-MT"],
        title="三坐标测量机升级", justification="满足缸体孔位 0.01 mm 测量要求", amount="85000",
        touches_safety=True,
    )  # fmt: skip
    _decide(cqo, gauges, ctx.password, "关键特性测量能力不足，同意升级")
    _decide(principal, gauges, ctx.password, "同意")
    for spending, amount, no in ((training, "48000", "记-2026-0315"),
                                 (rewards, "30000", "记-2026-0422"),
                                 (gauges, "60000", "记-2026-0510")):  # fmt: skip
        spending.refresh_from_db()
        S.fund_payment_record(
            actor=cqo, spending=spending, amount=amount, paid_on=timezone.localdate(),
            voucher_no=no, voucher=SimpleUploadedFile(f"{no}.pdf", VOUCHER, "application/pdf"),
        )  # fmt: skip
    try:  # over the balance of metrology (100,000 less 85,000 approved): refused, kept in the trail
        S.fund_spending_apply(
            actor=metrology, fund=fund, purpose=purposes[PurposeKind.METROLOGY],
            unit=units["QM-MT"], title="粗糙度仪购置", justification="替换老化设备",
            amount="28000",
        )  # fmt: skip
    except ValidationError:
        audit_detached_flush(actor=metrology, context="demo")
    budget.refresh_from_db()  # approved by the principal's decision above
    ctx.add("costs.fund", fund)
    ctx.add("costs.budget", budget)


def present() -> bool:
    return Fund.objects.exists() or FundSpending.objects.exists()
