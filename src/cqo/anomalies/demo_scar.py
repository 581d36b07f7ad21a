"""The SCAR part of the demo year: three supplier corrective action requests from NCRs on
suppliers' lots — one answered through its link and awaiting the engineer's review, one whose
late answer was returned and which the supplier may answer again, one overdue and unanswered.

The NCRs are the newest ones on a supplier's lot that the demo already holds (the inspection
demo's rejected incoming lots open them); when there are fewer than three, the missing ones are
raised by hand on received lots. Deterministic: the same seed gives the same SCARs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.core.demo import DemoContext
from cqo.masterdata.models import Lot

from . import link_scar
from . import services_scar as S
from .models import Anomaly, AnomalyStatus
from .models_scar import Scar

PROBLEMS = [
    "来料检验抽样 80 件，外径 6 件超上限（实测 10.06–10.09 mm，要求 10.00 ± 0.05 mm），整批拒收。",
    "来料检验发现表面划伤 12 件、镀层起泡 4 件（AQL 1.0 抽样 125 件），整批拒收。",
    "硬度抽检 32 件中 3 件低于 HRC 28（要求 HRC 30–35），整批拒收，在制品已隔离。",
]
ANSWER = {
    "responder": "周敏，质量经理",
    "containment": "库存 3,200 件与在途 1,500 件全部隔离并 100% 全检，挑出不良 41 件；"
    "更换合格品已于次日送达。",
    "root_cause": "磨床砂轮修整周期为 8 小时，后段工件外径逐步偏大；SPC 图在第 6 小时起出现趋势，"
    "但巡检频次 4 小时一次未能及时发现。已通过对比试验复现并验证。",
    "corrective_actions": "砂轮修整周期改为 4 小时（责任人：设备科王工，已完成）；"
    "外径巡检改为每小时一次并启用判异规则（责任人：品管部李工，已完成）。",
    "verification": "整改后连续 5 批外径 Cpk 1.71–1.86，首件与巡检记录、SPC 图附后。",
    "prevention": "更新控制计划 CP-0312 与 PFMEA（探测度由 6 降至 3），同类 3 台磨床横向展开。",
}


def _ncrs(ctx: DemoContext, engineer: Any) -> list[Anomaly]:
    found = list(
        Anomaly.objects.filter(voided_at__isnull=True, supplier__isnull=False)
        .exclude(status=AnomalyStatus.CLOSED)
        .order_by("-raised_at", "-id")[:3]
    )
    if len(found) == 3:
        return found
    from .services_ncr import LotLine, anomaly_raise

    taken: set[int] = {a.supplier_id for a in found if a.supplier_id is not None}
    lots = list(
        Lot.objects.filter(voided_at__isnull=True, supplier__isnull=False)
        .exclude(supplier_id__in=taken)
        .select_related("item", "supplier")
        .order_by("-arrived_on", "number")[:200]
    )
    if len({lot.supplier_id for lot in lots}) < 3 - len(found):
        seen = {lot.supplier_id for lot in lots if lot.supplier_id is not None}
        lots += _receipts(ctx, skip=taken | seen)
    for lot in lots:
        if len(found) == 3:
            break
        if lot.supplier_id is None or lot.supplier_id in taken:
            continue
        taken.add(lot.supplier_id)
        found.append(
            anomaly_raise(
                actor=engineer,
                title=f"{lot.item.name} 来料不合格",
                item=lot.item,
                supplier=lot.supplier,
                found_at="iqc",
                quantity=Decimal("20"),
                owner=engineer,
                lots=[LotLine(lot=lot)],
            )
        )
    return found


def _receipts(ctx: DemoContext, *, skip: set[int]) -> list[Lot]:
    """Lots received from suppliers on the items' approved lists, when the demo holds none
    (the inspection year left out)."""
    from cqo.masterdata.models import LotOrigin, SupplierStatus
    from cqo.masterdata.services import lot_create

    users = ctx.get("organisation.users")
    receiver = users.get("inspector1") or users["qe1"]
    items = ctx.get("masterdata.items")
    made: list[Lot] = []
    for part_number, suppliers in sorted(ctx.get("masterdata.asl").items()):
        for supplier in suppliers:
            if supplier.pk in skip or supplier.status != SupplierStatus.QUALIFIED:
                continue
            skip.add(supplier.pk)
            made.append(
                lot_create(
                    actor=receiver,
                    item=items[part_number],
                    quantity=Decimal("2000"),
                    origin=LotOrigin.RECEIPT,
                    arrived_on=timezone.localdate() - datetime.timedelta(days=30),
                    supplier=supplier,
                    supplier_batch=f"SCAR-DEMO-{len(made) + 1}",
                )
            )
            if len(made) == 3:
                return made
    return made


def _backdate(scar: Scar, *, days_ago: int, due_in: int) -> Scar:
    """Move a SCAR issued today back in the year, as if issued ``days_ago`` days ago."""
    now = timezone.now()
    issued = now - datetime.timedelta(days=days_ago)
    Scar.objects.filter(pk=scar.pk).update(
        issued_at=issued,
        link_issued_at=issued,
        due_on=(issued + datetime.timedelta(days=due_in)).date(),
    )
    scar.refresh_from_db()
    return scar


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    engineer = users["qe1"]
    ncrs = _ncrs(ctx, engineer)
    scars = []
    for index, ncr in enumerate(ncrs):
        first = ncr.lots.filter(voided_at__isnull=True).select_related("lot").first()
        lot = first.lot if first is not None and first.lot.supplier_id else None
        issued = S.scar_issue(
            actor=engineer,
            anomaly=ncr,
            lot=lot,
            problem=PROBLEMS[index % len(PROBLEMS)],
            language="en" if index == 1 else "zh-hans",
            contact=ncr.supplier.contact if ncr.supplier else "",
            due_on=timezone.localdate() + datetime.timedelta(days=14),
            link_days=60,
        )
        scars.append(issued)
    if not scars:
        return
    # 1. Answered through its link before its due date; awaiting the engineer's review.
    answered = _backdate(scars[0].scar, days_ago=10, due_in=14)
    S.scar_answer_submit(
        actor=link_scar.SupplierActor(answered.pk, str(answered.supplier), answered.number),
        scar=answered,
        **ANSWER,
    )
    if len(scars) > 1:
        # 2. Answered after its due date and returned: the supplier may answer again.
        late = _backdate(scars[1].scar, days_ago=30, due_in=7)
        S.scar_answer_submit(
            actor=link_scar.SupplierActor(late.pk, str(late.supplier), late.number),
            scar=late,
            responder="Mark Chen, QA supervisor",
            containment="Stock at our warehouse sorted 100 %; 16 parts with scratches removed.",
            root_cause="Operator error during packing.",
            corrective_actions="Operator retrained.",
            verification="Next lot inspected, no scratches.",
            prevention="Reminder posted at the packing station.",
        )
        S.scar_answer_return(
            actor=engineer,
            scar=late,
            note="Root cause stops at the operator: ask why the packing allowed parts to touch "
            "(5-Why), and show the verification over more than one lot.",
        )
    if len(scars) > 2:
        # 3. Overdue and unanswered.
        _backdate(scars[2].scar, days_ago=21, due_in=14)
    ctx.add("anomalies.scars", [s.scar for s in scars])


def present() -> bool:
    return Scar.objects.exists()
