"""The review board's part of the demo year (§6 c), §7.1.5): opinions and dispositions on the
demo NCRs, their costs, and the two requests the CQO finds waiting in her inbox — a concession on
a rejected lot's NCR and a disposition of a critical defect.

Everything goes through the services, so the audit chain, the approval requests and the cost
lines are real. Exposed in ``ctx.objects``: ``anomalies.mrb.concession`` and
``anomalies.mrb.cr_disposition`` (the two waiting dispositions), ``anomalies.mrb.counts``.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.authorities.services import approval_decide
from cqo.core.demo import DemoContext
from cqo.masterdata.models import DefectClass, Lot, StockStatus

from . import services_costs as C
from . import services_mrb as S
from . import services_ncr as N
from .models import (
    Anomaly,
    AnomalySource,
    AnomalyStatus,
    Disposition,
    DispositionStatus,
    FoundAt,
)

# How many of the year's open NCRs the board has worked through, per scale.
WORKED = {"small": 60, "large": 120}

OPINIONS = [
    ("head_production", "生产部", "rework", "conditions", "可安排夜班返工，返工后 100% 全检。"),
    ("head_tech", "技术中心", "use_as_is", "agree", "偏差在设计裕度内，不影响装配和功能。"),
    ("head_purchasing", "采购部", "return_to_supplier", "agree", "供方已同意退换并承担运费。"),
    ("qe1", "质量管理部", "scrap", "disagree", "缺陷影响密封，不建议让步。"),
]


def _on(anomaly: Anomaly, days: int) -> datetime.date:
    return min(anomaly.found_on + datetime.timedelta(days=days), timezone.localdate())


def _single_lot(anomaly: Anomaly) -> bool:
    return len(S.anomaly_lots(anomaly)) == 1


def _raise_missing(users: dict[str, Any], concession: bool, cr: bool) -> dict[str, Anomaly]:
    """When the year left no suitable NCR open, raise the ones the scenarios need, as the
    inspector would: on a rejected lot (the concession) and on a cracked part (the critical
    defect)."""
    raised: dict[str, Anomaly] = {}
    lots = list(
        Lot.objects.filter(voided_at__isnull=True)
        .select_related("item", "supplier")
        .order_by("-stock_status", "-pk")[:50]
    )
    rejected = [lot for lot in lots if lot.stock_status == StockStatus.REJECTED] or lots
    if concession and rejected:
        lot = rejected[0]
        raised["concession"] = N.anomaly_raise(
            actor=users["inspector1"], title=f"批次 {lot.number} 尺寸超差", item=lot.item,
            supplier=lot.supplier, found_at=FoundAt.IQC, quantity=lot.quantity,
            defect_class=DefectClass.MA, owner=users["qe1"],
            lots=[N.LotLine(lot=lot, quantity=lot.quantity)],
        )  # fmt: skip
    others = [lot for lot in lots if lot not in rejected[:1]]
    if cr and others:
        lot = others[0]
        found = min(Decimal(lot.quantity), Decimal(40))
        raised["cr"] = N.anomaly_raise(
            actor=users["inspector1"], title=f"批次 {lot.number} 发现裂纹", item=lot.item,
            supplier=lot.supplier, found_at=FoundAt.IQC, quantity=found,
            defect_class=DefectClass.CR, owner=users["qe2"],
            lots=[N.LotLine(lot=lot, quantity=found)],
        )  # fmt: skip
    return raised


def build(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed + 31)
    users = ctx.get("organisation.users")
    qe1, qe2, head, cqo = users["qe1"], users["qe2"], users["head_production"], users["cqo"]
    S.review_policy_update(
        actor=users["cqo"], cost_threshold="5000", quantity_threshold="2000",
        reason="年度质量评审会议确定的不合格品处置审批阈值",
    )  # fmt: skip
    open_ncrs = list(
        Anomaly.objects.filter(
            voided_at__isnull=True,
            status__in=(AnomalyStatus.OPEN, AnomalyStatus.CONTAINED),
            quantity__gt=0,
        )
        .select_related("item")
        .order_by("raised_at", "pk")
    )
    # The two requests waiting for the CQO: the newest NCR of a rejected lot (not critical)
    # gets a concession, the newest critical one a return to its supplier.
    concession_ncr = next(
        (a for a in reversed(open_ncrs)
         if a.source == AnomalySource.LOT_REJECTED and a.defect_class != DefectClass.CR
         and _single_lot(a)),
        None,
    )  # fmt: skip
    cr_ncr = next(
        (a for a in reversed(open_ncrs)
         if a.defect_class == DefectClass.CR and a is not concession_ncr),
        None,
    )  # fmt: skip
    if concession_ncr is None or cr_ncr is None:
        raised = _raise_missing(users, concession_ncr is None, cr_ncr is None)
        concession_ncr = concession_ncr or raised.get("concession")
        cr_ncr = cr_ncr or raised.get("cr")
    waiting: dict[str, Any] = {"concession": None, "cr": None}
    if concession_ncr is not None:
        waiting["concession"] = S.disposition_propose(
            actor=qe1, anomaly=concession_ncr, kind="concession",
            quantity=concession_ncr.quantity,
            reason="尺寸超差 0.02 mm，经装配验证不影响功能；生产急需，申请让步接收。",
            conditions="仅用于本月 150 型总成装配，装配后全检；供方提交 8D 报告。",
            due=timezone.localdate() + datetime.timedelta(days=5),
        )  # fmt: skip
    if cr_ncr is not None:
        waiting["cr"] = S.disposition_propose(
            actor=qe2, anomaly=cr_ncr, kind="return_to_supplier", quantity=cr_ncr.quantity,
            reason="致命缺陷（裂纹），整批退回供方，不得挑选使用。",
            due=timezone.localdate() + datetime.timedelta(days=3),
        )  # fmt: skip
    skip = {a.pk for a in (concession_ncr, cr_ncr) if a is not None}
    worked = [a for a in open_ncrs if a.pk not in skip and a.defect_class != DefectClass.CR][
        : WORKED[ctx.scale]
    ]
    counts = {"opinions": 0, "dispositions": 0, "approved": 0, "done": 0, "costs": 0}
    for i, ncr in enumerate(worked):
        who, role, rec, stance, text = OPINIONS[i % len(OPINIONS)]
        S.opinion_record(
            actor=users[who], anomaly=ncr, text=text, stance=stance, recommendation=rec, role=role
        )
        counts["opinions"] += 1
        total = Decimal(ncr.quantity)
        kind = rng.choice(["scrap", "rework", "rework", "return_to_supplier", "use_as_is"])
        first = (total * Decimal(rng.choice(["0.3", "0.5", "1"]))).quantize(Decimal("1"))
        first = min(max(first, Decimal(1)), total)
        unit_cost = Decimal(rng.choice(["6.80", "12.50", "23.00", "48.00"]))
        hours = (first / Decimal(20)).quantize(Decimal("0.5")) or Decimal("0.5")
        parts = [(kind, first)]
        if first < total:
            parts.append(("scrap", total - first))
        for kind_, qty in parts:
            cost_args: dict[str, Any] = {}
            if kind_ == "scrap":
                cost_args = {"unit_cost": unit_cost}
            elif kind_ == "rework":
                cost_args = {"hours": hours, "hourly_rate": Decimal("45")}
            d = S.disposition_propose(
                actor=qe1 if i % 2 else qe2, anomaly=ncr, kind=kind_, quantity=qty,
                reason=f"评审组决定：{text}", **cost_args,
            )  # fmt: skip
            counts["dispositions"] += 1
            if d.status == DispositionStatus.SUBMITTED and d.approval is not None:
                # Above the policy's threshold: the CQO has approved it since, with her signature.
                approval_decide(
                    actor=cqo, request=d.approval, decision="approve",
                    reason="同意评审组意见", password=ctx.password,
                )  # fmt: skip
                d.refresh_from_db()
                counts["approved"] += 1
            if d.status == DispositionStatus.DECIDED and i % 3 != 0:
                S.disposition_complete(
                    actor=head, disposition=d, note="已按评审决定执行", on=_on(ncr, 4)
                )
                counts["done"] += 1
        if i % 4 == 0:
            C.cost_entry_add(
                actor=qe1, record=ncr, item_code="i_nonconformity",
                quantity=Decimal(rng.choice([4, 6, 8, 12])), rate="35",
                incurred_on=_on(ncr, 2), note="挑选及评审工时",
            )  # fmt: skip
            counts["costs"] += 1
    counts["costs"] += Disposition.objects.filter(status="done", cost__gt=0).count()
    ctx.add("anomalies.mrb.concession", waiting["concession"])
    ctx.add("anomalies.mrb.cr_disposition", waiting["cr"])
    ctx.add("anomalies.mrb.counts", counts)


def present() -> bool:
    return Disposition.objects.exists()
