"""The demo's quality objectives for this year (§7.1.2) and one signed appraisal round (§6 g)):
four objectives of the enterprise computed from the data, cascaded to five units with owners;
the owners' round proposed by a quality engineer, reviewed by the deputy and signed by the CQO
with an e-signature through the approval inbox."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cqo.authorities.models import ApprovalRequest
from cqo.authorities.services import approval_decide
from cqo.core.demo import DemoContext

from . import services as S
from .models import Objective

ENTERPRISE = [
    ("IQC", "来料检验批合格率不低于 97%", "inspection.iqc_acceptance_rate", "97", "1"),
    ("NCR", "不合格品报告平均 15 天内关闭", "anomalies.ncr_closure_days", "15", "3"),
    ("CC", "全年客户投诉不超过 24 件", "anomalies.complaints", "24", "4"),
    ("QC", "百元销售收入质量成本不高于 3 元", "costs.quality_cost_ratio", "3", "0.5"),
]
# (parent, unit, owner, title, metric, target, tolerance)
CASCADE = [
    ("IQC", "PU", "head_purchasing", "采购物料来料检验批合格率不低于 97%",
     "inspection.iqc_acceptance_rate", "97", "1"),
    ("NCR", "PD-MC", "head_machining", "机加工车间不合格品报告 12 天内关闭",
     "anomalies.ncr_closure_days", "12", "3"),
    ("NCR", "PD-DC", "head_diecast", "压铸车间不合格品报告 15 天内关闭",
     "anomalies.ncr_closure_days", "15", "3"),
    ("NCR", "PD-AS", "head_assembly", "装配车间不合格重复发生率低于 10%",
     "anomalies.ncr_repeat_rate", "10", "5"),
    ("CC", "SA", "head_sales", "销售部全年客户投诉不超过 24 件", "anomalies.complaints", "24", "4"),
]  # fmt: skip


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    units = ctx.get("organisation.units")
    cqo, deputy, qe = users["cqo"], users["deputy"], users["qe1"]
    today = timezone.localdate()
    first, last = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    parents: dict[str, Objective] = {}
    for key, title, metric, target, tolerance in ENTERPRISE:
        parents[key] = S.objective_create(
            actor=cqo, title=title, metric=metric, target=target, tolerance=tolerance,
            first=first, last=last, owner=cqo,
        )  # fmt: skip
    children = []
    for parent, unit, owner, title, metric, target, tolerance in CASCADE:
        if unit not in units or owner not in users:
            continue
        children.append(S.objective_create(
            actor=cqo, title=title, parent=parents[parent], unit=units[unit], metric=metric,
            target=target, tolerance=tolerance, first=first, last=last, owner=users[owner],
        ))  # fmt: skip
    ctx.add("performance.objectives", {o.number: o for o in [*parents.values(), *children]})
    if not children:
        return
    round_last = max(first, today - datetime.timedelta(days=1))
    found = S.round_create(
        actor=qe, title=f"{today.year} 年度车间及部门负责人质量考核", subject_kind="person",
        first=first, last=round_last,
    )  # fmt: skip
    for child in children:
        S.round_weight_set(actor=qe, round=found, objective=child, weight="100")
    S.round_propose(actor=qe, round=found)
    found = S.round_review(actor=deputy, round=found, note="得分与数据核对一致")
    approval_decide(
        actor=cqo, request=ApprovalRequest.objects.get(pk=int(found.approval_id or 0)),
        decision="approve", reason="同意考核结果", password=ctx.password,
    )  # fmt: skip
    ctx.add("performance.round", found)


def present() -> bool:
    return Objective.objects.exists()
