"""The demo year's customer complaints: 50 over the year (500 in the large demo), each with its
NCR, most answered in time and closed, a few rejected or withdrawn, and the latest ones still
open, some of them past their deadlines so the CQO's panel and the reminder have something to
show. Three response policies: the default and two customers' own.

Written through the services (the audit chain is a real one) and drawn from a seeded random
stream of its own, so two builds give the same complaints."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.core.demo import DemoContext
from cqo.masterdata.models import DefectClass, ItemKind, Lot, LotOrigin

from . import services_complaints as S
from .services_costs import cost_entry_add

SMALL, LARGE = 50, 500

# (what the customer reports, in Chinese; the class of the defect)
REPORTS: tuple[tuple[str, str], ...] = (
    ("客户来料检验发现尺寸超差，孔径偏大，影响装配。", DefectClass.MA),
    ("装机后漏油，拆检发现密封面有气孔。", DefectClass.CR),
    ("外观划伤、磕碰，包装防护不足。", DefectClass.MI),
    ("螺纹不通规不过，无法安装。", DefectClass.MA),
    ("批次混料：同一箱内混入其他型号零件。", DefectClass.MA),
    ("热处理硬度不足，台架试验早期磨损。", DefectClass.CR),
    ("标签与实物不符，追溯信息缺失。", DefectClass.MI),
    ("表面锈蚀，防锈油涂覆不均。", DefectClass.MI),
    ("压铸件内部缩松，加工后露出孔洞。", DefectClass.MA),
    ("数量短缺，与送货单不符。", DefectClass.MI),
)
CONTAIN = "已冻结库存及在途批次，安排全检挑选，向客户补发合格品。"
EIGHTD = "8D报告已通过邮件提交客户质量部，根本原因与永久措施见关联不合格品报告。"
CLOSE = "客户确认8D报告及措施有效，同意关闭。"
REJECT = "经联合分析，不良为客户装配过程损伤所致，非我方责任。"
WITHDRAW = "客户复检后确认为其检具误差，撤回投诉。"


def _amount(rng: random.Random) -> Decimal:
    if rng.random() < 0.45:
        return Decimal("0.00")
    return (Decimal(rng.randint(500, 60000)) + Decimal(rng.randint(0, 99)) / 100).quantize(
        Decimal("0.01")
    )


def build(ctx: DemoContext) -> None:
    rng = random.Random(ctx.seed + 610)
    users = ctx.get("organisation.users")
    customers = list(ctx.get("masterdata.customers").values())
    items = [i for i in ctx.get("masterdata.items").values() if i.kind == ItemKind.PRODUCT]
    items = items or list(ctx.get("masterdata.items").values())
    cqo, deputy = users["cqo"], users["deputy"]
    engineers = [users["qe1"], users["qe2"]]

    S.complaint_policy_set(
        actor=cqo, customer=None, containment_hours=24, eightd_days=14, eightd_always=True,
        note="企业默认：24小时遏制，14天提交8D",
    )  # fmt: skip
    S.complaint_policy_set(
        actor=cqo, customer=customers[0], containment_hours=12, eightd_days=10,
        eightd_always=True, note="主机厂质量协议",
    )  # fmt: skip
    S.complaint_policy_set(
        actor=deputy, customer=customers[1], containment_hours=48, eightd_days=30,
        eightd_always=False, note="仅严重缺陷要求8D",
    )  # fmt: skip

    count = LARGE if ctx.large else SMALL
    now = timezone.now()
    start = now - datetime.timedelta(days=360)
    step = (now - start) / count
    lots_by_item: dict[int, list[Lot]] = {}
    made: list[Any] = []
    for n in range(count):
        received = start + step * n + datetime.timedelta(minutes=rng.randint(0, 600))
        received = min(received, now - datetime.timedelta(hours=1))
        item = rng.choice(items)
        if item.pk not in lots_by_item:
            lots_by_item[item.pk] = list(
                Lot.objects.filter(
                    item=item, origin=LotOrigin.PRODUCTION, voided_at__isnull=True
                ).order_by("id")[:20]
            )
        lots = lots_by_item[item.pk]
        text, cls = rng.choice(REPORTS)
        owner = engineers[n % 2]
        lot = rng.choice(lots) if lots and rng.random() < 0.7 else None
        quantity = Decimal(rng.choice((1, 2, 5, 12, 30, 50, 120, 300)))
        if lot is not None:
            # A customer cannot find more faulty parts in a lot than the lot held.
            quantity = min(quantity, lot.quantity)
        complaint = S.complaint_record(
            actor=owner,
            customer=rng.choice(customers),
            item=item,
            lot=lot,
            serial="" if lots else f"SN{rng.randint(10**7, 10**8 - 1)}",
            customer_ref=f"QN-{received:%y%m}-{rng.randint(100, 999)}",
            description=text,
            defect_class=cls,
            quantity=quantity,
            claim_amount=_amount(rng),
            received_at=received,
        )
        made.append(complaint)
        # What the complaint cost: the claim the customer made, and for some the returned goods'
        # freight and handling (the review board part's cost lines, §7.1.5).
        if complaint.claim_amount > 0:
            cost_entry_add(
                actor=owner, record=complaint, item_code="e_claims",
                amount=complaint.claim_amount, incurred_on=timezone.localdate(received),
                note="客户索赔",
            )  # fmt: skip
        if n % 3 == 1:
            cost_entry_add(
                actor=owner, record=complaint, item_code="e_returns",
                amount=Decimal(rng.randint(200, 3000)), incurred_on=timezone.localdate(received),
                note="退货运费及处理费",
            )  # fmt: skip
        age = now - received
        # The older a complaint, the further along it is; the last weeks' are still open, and
        # a few of them late, as happens.
        late = n % 3 == 0
        if age < datetime.timedelta(hours=20) or (late and age < datetime.timedelta(days=40)):
            continue
        if rng.random() < 0.06:
            S.complaint_withdraw(actor=owner, complaint=complaint, reason=WITHDRAW)
            continue
        if rng.random() < 0.06:
            S.complaint_reject(actor=owner, complaint=complaint, reason=REJECT)
            continue
        hours = (complaint.containment_due - received).total_seconds() / 3600
        contained = received + datetime.timedelta(hours=hours * rng.uniform(0.2, 1.3))
        if contained > now:
            continue
        complaint = S.complaint_contain(
            actor=owner, complaint=complaint, note=CONTAIN, at=contained
        )
        if not complaint.eightd_required:
            if age > datetime.timedelta(days=20):
                S.complaint_close(actor=deputy, complaint=complaint, outcome=CLOSE)
            continue
        assert complaint.eightd_due is not None
        span = complaint.eightd_due - received
        submitted = received + span * rng.uniform(0.5, 1.25)
        if submitted > now or (late and age < datetime.timedelta(days=60)):
            continue
        complaint = S.complaint_eightd_submit(
            actor=owner, complaint=complaint, note=EIGHTD, at=max(submitted, contained)
        )
        if age > datetime.timedelta(days=45):
            S.complaint_close(actor=deputy, complaint=complaint, outcome=CLOSE)
    ctx.add("anomalies.complaints", made)


def present() -> bool:
    from .models_complaints import Complaint

    return Complaint.objects.exists()
