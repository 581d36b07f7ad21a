"""Set-up for the SCAR part's tests: an NCR on a supplier's lot, written straight to the
database (the NCR's own behaviour is tested by its part), and SCARs issued through the service.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.anomalies.models import Anomaly, AnomalyLot
from cqo.anomalies.services_scar import IssuedLink, scar_issue

from .masterdata import ItemFactory, LotFactory, SupplierFactory

_numbers = itertools.count(1)


def supplier_ncr(org: Any, *, supplier: Any = None, lot: Any = None, **fields: Any) -> Anomaly:
    """An open NCR on a lot of 500 from ``supplier`` (a new one by default), owned by the org's
    quality engineer."""
    supplier = supplier or (lot.supplier if lot is not None else SupplierFactory())
    lot = lot or LotFactory(item=ItemFactory(), supplier=supplier)
    now = timezone.now()
    number = f"NCR-TS-{next(_numbers):06d}"
    # Worlds built again in one database (the API fuzz's, per caller) keep counting from the last.
    while Anomaly.objects.filter(number=number).exists():
        number = f"NCR-TS-{next(_numbers):06d}"
    anomaly = Anomaly.objects.create(
        number=number,
        title=fields.pop("title", "来料外径超差"),
        item=lot.item,
        supplier=supplier,
        found_on=timezone.localdate(),
        quantity=Decimal("20"),
        owner=org.engineer,
        raised_by=org.inspector,
        raised_at=now,
        **fields,
    )
    AnomalyLot.objects.create(anomaly=anomaly, lot=lot, quantity=lot.quantity)
    return anomaly


def scar_make(
    org: Any,
    *,
    anomaly: Any = None,
    actor: Any = None,
    due_in_days: int = 14,
    language: str = "zh-hans",
    **fields: Any,
) -> IssuedLink:
    """A SCAR issued through the service by the org's quality engineer; returns it with its
    link's token."""
    anomaly = anomaly or supplier_ncr(org)
    lot = fields.pop("lot", None)
    if lot is None:
        first = anomaly.lots.select_related("lot").first()
        lot = first.lot if first is not None else None
    return scar_issue(
        actor=actor or org.engineer,
        anomaly=anomaly,
        lot=lot,
        problem=fields.pop(
            "problem", "外径 10.08 mm，超出 10.00 ± 0.05 mm；抽样 80 件中 6 件不合格。"
        ),
        due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
        language=language,
        **fields,
    )


ANSWER = {
    "responder": "王工，质量经理",
    "containment": "在库 2,000 件全检，隔离 35 件；在途批次已追回。",
    "root_cause": "磨床砂轮修整周期过长，外径逐步偏大；已复现验证。",
    "corrective_actions": "修整周期由 8 小时改为 4 小时（责任人：张工，12 月 15 日）。",
    "verification": "连续 5 批 CPK ≥ 1.67，首件与巡检记录附后。",
    "prevention": "更新控制计划与 PFMEA，同类磨床横向展开。",
}
