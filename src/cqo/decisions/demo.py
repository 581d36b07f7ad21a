"""Demo data of proposals (§6 b)) and business decisions: a product launch held by the CQO's veto
(§6 i)), a supplier approval with an overdue concession request, a deviation request, and two
proposals to the principal, one answered and one still waiting."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cqo.authorities import services as A
from cqo.authorities.demo import _backdate
from cqo.core.demo import DemoContext

from . import services as S
from .models import DecisionKind


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    cqo, principal = users["cqo"], users["principal"]
    today = timezone.localdate()
    now = timezone.now()
    password = ctx.password

    # §6 c): approvals raised by the inspectors and engineers; one is overdue.
    inspector, qe = users["inspector1"], users["qe1"]
    launch = S.decision_create(
        actor=users["head_tech"],
        kind=DecisionKind.PRODUCT_LAUNCH,
        title="新款制动卡钳 BC-300 投产上市",
        description="BC-300 双活塞制动卡钳计划下月投产，首批 2,000 套供重庆某整车厂。",
        unit=units["TC"],
    )
    launch = S.decision_submit(actor=users["head_tech"], decision=launch)
    supplier = S.decision_create(
        actor=users["head_purchasing"],
        kind=DecisionKind.SUPPLIER_APPROVAL,
        title="新增铝锭供应商：重庆某铝业有限公司",
        unit=units["PU"],
    )
    supplier = S.decision_approve(
        actor=principal,
        decision=S.decision_submit(actor=users["head_purchasing"], decision=supplier),
    )
    concession = A.approval_request_raise(
        actor=inspector,
        subject=supplier,
        kind="concession",
        unit=units["QM-IN"],
        amount="18600.00",
        due=today,
        summary="来料铝锭化学成分 Fe 含量 0.62%（标准≤0.60%），申请让步接收 12 吨，加严过程检验。",
    )
    _backdate(
        concession,
        days=9,
        fields={
            "raised_at": now - datetime.timedelta(days=9),
            "due_date": today - datetime.timedelta(days=4),
        },
        actor=inspector,
    )
    A.approval_request_raise(
        actor=qe,
        subject=launch,
        kind="deviation",
        unit=units["QM-MT"],
        due=today + datetime.timedelta(days=5),
        summary="BC-300 卡钳缸径检具校准到期前临时使用替代检具，申请偏离许可 2 周。",
    )
    ctx.add("decisions.approvals", [concession])
    # §6 b): two proposals to the principal, one answered and one still waiting.
    answered = S.proposal_submit(
        actor=cqo,
        title="设立年度质量奖励专项，纳入绩效考核",
        body=(
            "建议从质量专项资金中列支年度质量奖励，奖励 QC 小组成果和合理化建议，"
            "并纳入部门绩效考核。"
        ),
        addressee=principal,
    )
    S.proposal_answer(
        actor=principal, proposal=answered, answer="accept", reason="同意，下季度实施。"
    )
    waiting = S.proposal_submit(
        actor=cqo,
        title="增设出货检验工位，实行 100% 外观检验",
        body="近三个月客户外观投诉 7 起，建议在装配车间增设出货检验工位并配备 2 名检验员。",
        addressee=principal,
        unit=units["PD-AS"],
    )
    _backdate(
        waiting,
        days=12,
        fields={"submitted_at": now - datetime.timedelta(days=12)},
        actor=cqo,
    )
    ctx.add("decisions.proposals", [answered, waiting])

    # §6 i): the CQO vetoes the launch until the brake performance validation is done.
    veto = A.veto_impose(
        actor=cqo,
        subject=launch,
        reason="BC-300 台架制动性能与耐久验证未完成，PPAP 未批准，存在制动失效的质量安全风险。",
        password=password,
    )
    ctx.add("decisions.veto", veto)
    ctx.add("decisions.decision", launch)
