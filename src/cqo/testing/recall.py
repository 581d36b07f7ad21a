"""Set-up for the recall-case tests (``cqo.recall``, §7.2.1.4): a brake caliper made in-house,
one finished lot already shipped to two customers and part of it on a draft shipment to a
third, written straight to the database as set-up; ``case_at`` drives a case through the
services to the step a test needs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.masterdata.models import ItemKind, LotOrigin, ShipmentStatus, StockStatus

from .masterdata import (
    CustomerFactory,
    ItemFactory,
    LotFactory,
    ShipmentFactory,
    ShipmentLineFactory,
)

STEPS = ("signal", "investigating", "confirmed", "decision", "decided", "stopped", "planned",
         "notified")  # fmt: skip


@dataclass
class RecallWorld:
    item: Any
    lot: Any
    other_lot: Any
    customers: list[Any]
    shipped: list[Any]
    draft: Any
    extra: dict[str, Any] = field(default_factory=dict)


def recall_world(*, created_by: Any) -> RecallWorld:
    """Lot CAL-2026-0815 of brake calipers (1,000 pieces, released): 300 shipped to one
    customer, 200 to another, 100 on a draft shipment to a third; and an unrelated lot."""
    item = ItemFactory(kind=ItemKind.PRODUCT, name="前制动钳总成", name_en="Front brake caliper")
    lot = LotFactory(
        number="CAL-2026-0815", item=item, origin=LotOrigin.PRODUCTION, supplier=None,
        supplier_batch="", quantity=Decimal("1000"), stock_status=StockStatus.RELEASED,
        created_by=created_by, arrived_on=timezone.localdate() - datetime.timedelta(days=20),
    )  # fmt: skip
    other = LotFactory(
        number="CAL-2026-0901", item=item, origin=LotOrigin.PRODUCTION, supplier=None,
        supplier_batch="", quantity=Decimal("500"), stock_status=StockStatus.RELEASED,
        created_by=created_by,
    )  # fmt: skip
    customers = [CustomerFactory() for _ in range(3)]
    shipped = []
    for customer, quantity in zip(customers[:2], ("300", "200"), strict=True):
        shipment = ShipmentFactory(customer=customer, status=ShipmentStatus.SHIPPED,
                                   created_by=created_by)  # fmt: skip
        ShipmentLineFactory(shipment=shipment, lot=lot, quantity=Decimal(quantity))
        shipped.append(shipment)
    draft = ShipmentFactory(customer=customers[2], created_by=created_by)
    ShipmentLineFactory(shipment=draft, lot=lot, quantity=Decimal("100"))
    return RecallWorld(item=item, lot=lot, other_lot=other, customers=customers,
                       shipped=shipped, draft=draft)  # fmt: skip


def case_at(org: Any, world: RecallWorld, step: str = "signal", **open_kw: Any) -> Any:
    """A case on ``world.lot`` opened by the CQO and driven through the services to ``step``
    (one of ``STEPS``); the principal agrees to the decision."""
    from cqo.recall import services_case as S

    cqo = org.cqo
    case = S.case_open(
        actor=cqo, title=open_kw.pop("title", "前制动钳活塞密封圈失效"),
        signal_kind=open_kw.pop("signal_kind", "complaint"),
        signal_ref=open_kw.pop("signal_ref", "CC-2026-0042"),
        lots=[world.lot], **open_kw,
    )  # fmt: skip
    order = STEPS.index(step)
    if order >= 1:
        case = S.case_investigate(actor=cqo, case=case, note="拆解 12 件退回品，密封圈硬度偏低。")
    if order >= 2:
        case = S.case_defect_decide(
            actor=cqo, case=case, confirmed=True, defect="活塞密封圈材料硬度不足，高温下漏液。",
            consequences="制动力下降，可能导致事故。",
        )  # fmt: skip
    if order >= 3:
        case = S.case_decision_propose(actor=cqo, case=case, kind="voluntary",
                                       reasons="缺陷存在于同批次产品，主动召回。")  # fmt: skip
    if order >= 4:
        case = S.case_decision_agree(actor=org.principal, case=case, agree=True)
    if order >= 5:
        case = S.case_stop(actor=cqo, case=case)
    today = timezone.localdate()
    if order >= 6:
        case = S.case_plan_file(
            actor=cqo, case=case, remedy="replace", measures="更换活塞密封圈；经销商协助召回。",
            start=today, end=today + datetime.timedelta(days=60), contact="质量部 023-6000 0000",
        )  # fmt: skip
    if order >= 7:
        case = S.case_notice_publish(actor=cqo, case=case, text="关于召回部分前制动钳总成的公告",
                                     channels="公司网站；国家召回信息系统")  # fmt: skip
    return case
