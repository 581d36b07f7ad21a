"""The demo's recall case (§7.2.1.4): a lot of front brake calipers whose piston seals leak,
reaching two customers, recalled voluntarily and now in execution. The signal came in before
the National Day holiday, so the regulator's clocks run across it.

The caliper lot and its two shipments are written straight to the database as set-up (the gate's
history of that lot is not the point); the case itself goes through the services: opened on the
complaint, investigated, defect confirmed, decision agreed by the principal, the stop holding
the lot, the plan filed, the report to the regulator, part of the units back. The case follows
the vehicles clock profile, and its plan is dated so that the owners' clock runs over a public
holiday (``demo_clocks.plan_day``): in December 2026 that is New Year's Day 2027, which the
bundled calendar (to 2026) does not carry, so the demo's administrator sets it as a statutory
holiday not yet verified against the State Council's 2027 notice, and the clock is provisional."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

AFTER = ("organisation", "authorities", "masterdata")
CALIPER = "YJP-BC-200"
LOT = "CAL-DEMO-0815"


def present() -> bool:
    from .models_case import RecallCase

    return RecallCase.objects.exists()


def _caliper_lot(ctx: Any, maker: Any) -> Any:
    from cqo.masterdata.models import (
        Item,
        ItemKind,
        Lot,
        LotOrigin,
        Shipment,
        ShipmentLine,
        ShipmentStatus,
        StockStatus,
    )

    item, _created = Item.objects.get_or_create(
        part_number=CALIPER,
        defaults={"name": "前制动钳总成", "name_en": "Front brake caliper assembly",
                  "kind": ItemKind.PRODUCT, "drawing_number": "YJ-BC-200", "revision": "B"},
    )  # fmt: skip
    made = timezone.localdate() - datetime.timedelta(days=80)
    lot = Lot.objects.create(
        number=LOT, item=item, origin=LotOrigin.PRODUCTION, quantity=Decimal("1200"),
        arrived_on=made, stock_status=StockStatus.RELEASED, created_by=maker,
        order_number="MO-2026-0815",
    )  # fmt: skip
    customers = sorted(ctx.get("masterdata.customers").values(), key=lambda c: c.code)[:2]
    for n, (customer, quantity) in enumerate(zip(customers, ("700", "400"), strict=True), 1):
        shipment = Shipment.objects.create(
            number=f"SH-DEMO-RC-{n}", customer=customer, planned_on=made + datetime.timedelta(days=n),
            status=ShipmentStatus.SHIPPED, created_by=maker, order_number=f"SO-RC-{n}",
        )  # fmt: skip
        ShipmentLine.objects.create(shipment=shipment, lot=lot, quantity=Decimal(quantity))
    return lot


def _vehicle_clocks(cqo: Any, case: Any) -> None:
    """The calipers go to vehicle makers: the case follows the vehicles profile from now on, and
    the consumer-goods report clock the signal started is marked not applicable."""
    from . import services_clocks as C
    from .models_clocks import ClockProfile, ClockStatus, RecallClock

    C.case_profile_set(actor=cqo, case=case, profile=ClockProfile.objects.get(code="vehicles"))
    for clock in RecallClock.objects.filter(case=case, status=ClockStatus.RUNNING):
        C.clock_waive(
            actor=cqo, clock=clock,
            reason="制动钳供整车厂装车，按《缺陷汽车产品召回管理条例》的时限执行；消费品报告时限不适用。",
        )  # fmt: skip


def build(ctx: Any) -> None:
    from . import demo_clocks
    from . import services_case as S
    from . import services_clocks as C

    users = ctx.get("organisation.users")
    cqo, principal = users["cqo"], users["principal"]
    lot = _caliper_lot(ctx, cqo)
    today = timezone.localdate()
    # The clocks' calendar first: a due date is fixed when its clock starts (decision 0012).
    C.profiles_ensure(actor=users["admin"])
    demo_clocks.statutory_days(users["admin"], today)
    signal_on = today - datetime.timedelta(days=70)
    case = S.case_open(
        actor=cqo, title="前制动钳总成活塞密封圈漏液", signal_kind="complaint",
        signal_ref="CC-2026-0042", signal_on=signal_on, lots=[lot], serious_harm=True,
        description="客户反馈高温路试后制动液渗漏，制动距离变长。",
    )  # fmt: skip
    _vehicle_clocks(cqo, case)
    case = S.case_investigate(actor=cqo, case=case,
                              note="拆解 12 件退回品：活塞密封圈邵氏硬度 62，低于图纸要求 70±5。")  # fmt: skip
    case = S.case_defect_decide(
        actor=cqo, case=case, confirmed=True,
        defect="活塞密封圈材料硬度不足，高温下密封失效导致制动液渗漏。",
        consequences="制动力下降，可能导致交通事故和人身伤害。",
    )  # fmt: skip
    case = S.case_decision_propose(actor=cqo, case=case, kind="voluntary",
                                   reasons="缺陷存在于同一生产批次，影响行车安全，主动召回。")  # fmt: skip
    case = S.case_decision_agree(actor=principal, case=case, agree=True, note="同意主动召回。")
    case = S.case_stop(actor=cqo, case=case)
    S.report_file(actor=cqo, case=case, kind="regulator", text="缺陷报告：前制动钳总成密封圈失效。",
                  reference="渝市监召〔2026〕18号", filed_on=today)  # fmt: skip
    # Filed on the latest day from which the owners' 30-working-day clock runs over a public
    # holiday (``demo_clocks.plan_day``).
    filed = demo_clocks.plan_day(today)
    case = S.case_plan_file(
        actor=cqo, case=case, remedy="replace",
        measures="由经销商联系用户，免费更换活塞密封圈；退回件隔离报废。",
        start=filed, end=today + datetime.timedelta(days=60),
        contact="质量管理部 召回专线 023-6000 0815", filed_on=filed,
    )  # fmt: skip
    from .models_case import RecallTarget

    first = RecallTarget.objects.filter(case=case).order_by("customer__code").first()
    if first is not None:
        S.progress_record(actor=cqo, target=first, quantity=Decimal("260"),
                          on=today, note="首批更换完成")  # fmt: skip
