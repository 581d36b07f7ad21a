"""The demo's rewards and penalties (§7.2.4.2): two rules set by the CQO (a reward for a QC
circle's result, a penalty for a falsified inspection record); one reward decided by the CQO and
paid from the fund's improvement-rewards purpose (approved by the principal, since the CQO raised
the spending); one penalty decided, which goes on the person's quality record."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cqo.authorities.models import ApprovalRequest
from cqo.authorities.services import approval_decide
from cqo.core.demo import DemoContext

from . import services_fund
from . import services_rewards as S
from .models_rewards import RewardDecision, RewardKind, RewardRule

EVIDENCE = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    cqo, principal = users["cqo"], users["principal"]
    raiser = users.get("deputy", cqo)
    concerned = users.get("metrology", raiser)
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    reward_rule = S.reward_rule_create(
        actor=cqo, code="JL-01", kind=RewardKind.REWARD, title="QC 小组成果奖",
        basis="企业质量激励办法第 5 条：QC 小组成果经评审达到目标的，按成果等级奖励",
        amount_min="1000", amount_max="10000", active_from=start,
    )  # fmt: skip
    penalty_rule = S.reward_rule_create(
        actor=cqo, code="CF-01", kind=RewardKind.PENALTY, title="检验记录不实",
        basis="企业质量激励办法第 9 条：检验记录与实物不符的，扣减考核分并罚款",
        amount_min="200", amount_max="2000", points=5, active_from=start,
    )  # fmt: skip
    reward = S.reward_decision_raise(
        actor=raiser, rule=reward_rule, unit=units["PD"], amount="5000",
        reason="缸体气孔率 QC 小组成果评为一等",
        evidence=SimpleUploadedFile("qc-result.pdf", EVIDENCE, "application/pdf"),
    )  # fmt: skip
    reward = S.reward_decision_decide(actor=cqo, decision=reward, approve=True,
                                      note="按激励办法奖励")  # fmt: skip
    if reward.spending_id:
        spending = reward.spending
        assert spending is not None
        approval_decide(actor=principal,
                        request=ApprovalRequest.objects.get(pk=int(spending.approval_id or 0)),
                        decision="approve", reason="同意", password=ctx.password)  # fmt: skip
        spending.refresh_from_db()
        services_fund.fund_payment_record(
            actor=cqo, spending=spending, amount=spending.amount, paid_on=today,
            voucher_no="记-奖-0001",
            voucher=SimpleUploadedFile("reward.pdf", EVIDENCE, "application/pdf"),
        )  # fmt: skip
    penalty = S.reward_decision_raise(
        actor=raiser, rule=penalty_rule, person=concerned.person, amount="500",
        reason="抽查发现 3 份进货检验记录与实物不符", source_ref="进货检验记录 IQC 抽查报告",
    )  # fmt: skip
    S.reward_decision_decide(actor=cqo, decision=penalty, approve=True, note="按第 9 条处理")
    ctx.add("costs.reward", reward)


def present() -> bool:
    return RewardRule.objects.exists() or RewardDecision.objects.exists()
