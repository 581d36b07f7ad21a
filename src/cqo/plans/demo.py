"""Demo data of the strategy and plans (§6 a)): a three-year strategy in force and this year's
plan with three items, sent for approval through the inbox, and a spending request on it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cqo.authorities import services as A
from cqo.core.demo import DemoContext

from . import services as S


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    people = ctx.get("organisation.people")
    cqo = users["cqo"]
    today = timezone.localdate()

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
    ctx.add("plans.plan", plan)

    qe = users["qe1"]
    spending = A.approval_request_raise(
        actor=qe,
        subject=plan,
        kind="spending",
        amount="46000.00",
        due=today + datetime.timedelta(days=10),
        summary="购置压铸件 X 射线探伤仪租赁服务 3 个月（气孔攻关项目）。",
    )
    ctx.add("plans.approvals", [plan_request, spending])
