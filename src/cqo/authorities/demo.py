"""Demo data for the authorities (§6): a delegation to the deputy, a strategy with a plan in the
inbox, open approvals (one overdue), proposals (one answered, one waiting) and an active veto on
the launch of a new brake caliper before its validation.

Runs after the post builder, which appoints the CQO: every authority here comes from that
appointment. Everything goes through the services; the only direct writes move a few timestamps
into the past so the inbox and the proposals show ageing, and each is recorded in the audit trail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.audit.services import audit_record
from cqo.core.demo import DemoContext

from . import engine
from . import services as S
from .models import DecisionKind


def _backdate(obj: Any, *, days: int, fields: dict[str, Any], actor: Any) -> None:
    """Move a demo record's dates into the past, so ageing shows; recorded, not hidden."""
    before = {k: str(getattr(obj, k)) for k in fields}
    # A save, not an update: the move gets its own history snapshot, which the audit event below
    # stamps with the person and the reason, so the story never shows it inside a later change.
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(fields))
    audit_record(
        actor=actor,
        action=f"{obj._meta.label_lower}.demo_backdate",
        obj=obj,
        before=before,
        after={k: str(v) for k, v in fields.items()},
        reason=f"demo: dated {days} days back to show ageing",
    )


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    people = ctx.get("organisation.people")
    cqo, principal = users["cqo"], users["principal"]
    if not engine.is_current_cqo(cqo):
        raise RuntimeError(
            "the authorities demo needs the CQO appointed (run the post builder first)"
        )
    today = timezone.localdate()
    now = timezone.now()
    password = ctx.password

    # §6: the deputy decides approvals for the inspection and metrology units for three months.
    delegation = S.delegation_create(
        actor=cqo,
        authority="c",
        delegate=people["deputy"],
        units=[units["QM-IN"], units["QM-MT"]],
        start_date=today,
        end_date=today + datetime.timedelta(days=91),
        scope_note="检验科、计量室的让步接收、偏离许可和质量异常处置审批；金额 5 万元以下。",
    )
    ctx.add("authorities.delegation", delegation)

    # §6 a): a three-year strategy and this year's plan, sent for approval through the inbox.
    strategy = S.strategy_create(
        actor=cqo,
        title="质量强企三年行动（2025—2027）",
        title_en="Three-year quality programme 2025–2027",
        start_year=min(2025, today.year),
        end_year=max(2027, today.year),
        summary=(
            "以零缺陷交付为目标：关键过程能力 Cpk≥1.33，客户 PPM 降低 50%，通过 IATF 16949 再认证。"
        ),
    )
    strategy = S.strategy_set_status(actor=cqo, strategy=strategy, status="active")
    plan = S.plan_create(
        actor=cqo,
        title=f"{today.year} 年度质量工作计划",
        title_en=f"Quality plan {today.year}",
        year=today.year,
        strategy=strategy,
    )
    for title, owner, months in (
        ("压铸件气孔专项攻关，压铸一线不良率降至 0.8% 以下", "head_diecast", 4),
        ("IATF 16949 监督审核零严重不符合项", "deputy", 8),
        ("全员质量意识培训覆盖率 100%", "head_hr", 10),
    ):
        S.plan_item_add(
            actor=cqo,
            plan=plan,
            title=title,
            owner=people[owner],
            due_date=today + datetime.timedelta(days=30 * months),
        )
    plan_request = S.plan_submit(actor=cqo, plan=plan, due=today + datetime.timedelta(days=7))
    ctx.add("authorities.plan", plan)

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
    concession = S.approval_request_raise(
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
    S.approval_request_raise(
        actor=qe,
        subject=launch,
        kind="deviation",
        unit=units["QM-MT"],
        due=today + datetime.timedelta(days=5),
        summary="BC-300 卡钳缸径检具校准到期前临时使用替代检具，申请偏离许可 2 周。",
    )
    spending = S.approval_request_raise(
        actor=qe,
        subject=plan,
        kind="spending",
        amount="46000.00",
        due=today + datetime.timedelta(days=10),
        summary="购置压铸件 X 射线探伤仪租赁服务 3 个月（气孔攻关项目）。",
    )
    ctx.add("authorities.approvals", [plan_request, concession, spending])

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
    ctx.add("authorities.proposals", [answered, waiting])

    # §6 i): the CQO vetoes the launch until the brake performance validation is done.
    veto = S.veto_impose(
        actor=cqo,
        subject=launch,
        reason="BC-300 台架制动性能与耐久验证未完成，PPAP 未批准，存在制动失效的质量安全风险。",
        password=password,
    )
    ctx.add("authorities.veto", veto)
    ctx.add("authorities.decision", launch)
