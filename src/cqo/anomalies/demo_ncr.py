"""The NCR core's part of the demo year (§6 c)): the defect catalogue of every item family, an
NCR for every lot the inspection year rejected (as the system raises it when the usage decision
rejects a lot), and a few NCRs raised by hand with their containment: other lots of the item held
and sorted, and a customer told because product of a lot had already left.

Everything goes through the services (``defect_codes_import``, ``_raise_once`` as the event
receiver does, ``containment_hold``, ``sorting_record``, ``customer_notify``), so the audit chain
is a real one. Other parts extend it: the review board (``demo_mrb``) works through these NCRs,
the analysis helper adds the rest of the 2,000 NCRs of the year with ``ncr_for_lot`` and
``catalogue``.

What later builders read from ``ctx.objects``:

================================  ===============================================================
key                               value
================================  ===============================================================
``anomalies.defects``             item family → list of ``DefectCode`` (the catalogue)
``anomalies.ncrs.rejected``       the NCRs raised from the year's rejected lots (oldest first)
``anomalies.ncr.contained``       a hand-raised NCR whose other lots are held and sorted
``anomalies.ncr.shipped``         an NCR on a shipped lot, its customer told
================================  ===============================================================
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.core.demo import DemoContext
from cqo.masterdata import stock
from cqo.masterdata.demo import FAMILIES
from cqo.masterdata.models import Lot, ShipmentLine, StockStatus

from . import services_defects
from . import services_ncr as S
from .models_ncr import Anomaly, AnomalySource, DefectCode, FoundAt

# At most this many rejected lots get their NCR here, per scale (the analysis part builds the
# rest of a large year in bulk).
REJECTED = {"small": 400, "large": 400}


def catalogue(ctx: DemoContext, actor: Any) -> dict[str, list[DefectCode]]:
    """The defect catalogue: per item family, a defect for each characteristic (a measured one
    out of tolerance, a counted one as it is named), with its class, and "other"."""
    rows: list[tuple[int, dict[str, Any]]] = []
    n = 1
    for family, (_name, _name_en, specs) in FAMILIES.items():
        for spec in specs:
            n += 1
            if spec[0] == "v":
                _k, code, name, name_en, *_rest = spec
                cls = spec[8]
                rows.append((n, {"family": family, "code": code, "name": f"{name}超差",
                                 "name_en": f"{name_en} out of tolerance", "defect_class": cls}))  # fmt: skip
            else:
                _k, code, name, name_en, cls, _method = spec
                rows.append((n, {"family": family, "code": code, "name": f"{name}不良",
                                 "name_en": f"{name_en} not acceptable", "defect_class": cls}))  # fmt: skip
        n += 1
        rows.append((n, {"family": family, "code": "X99", "name": "其他缺陷",
                         "name_en": "Other defect", "defect_class": "MI"}))  # fmt: skip
    services_defects.defect_codes_import(actor=actor, rows=rows, file_name="demo")
    found: dict[str, list[DefectCode]] = {}
    for code in DefectCode.objects.filter(voided_at__isnull=True).order_by("family", "code"):
        found.setdefault(code.family, []).append(code)
    return found


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def ncr_for_lot(
    ctx: DemoContext, lot: Lot, *, reference: str, actor: Any, owner: Any,
    codes: list[DefectCode], day: datetime.date,
) -> Anomaly:  # fmt: skip
    """The NCR the system raises for a rejected lot (once per inspection record), with one or
    two of its family's defects drawn from ``ctx.rng``."""
    picked = ctx.rng.sample(codes, k=min(len(codes), ctx.rng.choice((1, 1, 2)))) if codes else []
    return S._raise_once(
        AnomalySource.LOT_REJECTED,
        reference,
        actor=actor,
        title=f"批次 {lot.number} 检验判退",
        description=f"检验批 {reference} 判退。",
        item=lot.item,
        supplier=lot.supplier,
        work_centre=lot.work_centre,
        found_at=FoundAt.IQC if lot.supplier_id else FoundAt.IPQC,
        found_on=day,
        found_by=actor,
        quantity=lot.quantity,
        owner=owner,
        lots=[S.LotLine(lot=lot, quantity=lot.quantity)],
        defects=[S.DefectLine(defect=d, quantity=Decimal(ctx.rng.randint(1, 8))) for d in picked],
        raised_at=_at(day, 9 + ctx.rng.randint(0, 7)),
    )


def _rejected_ncrs(
    ctx: DemoContext, users: dict[str, Any], codes: dict[str, list[DefectCode]]
) -> list[Anomaly]:
    engineers = [users["qe1"], users.get("qe2", users["qe1"])]
    inspector = users["inspector1"]
    lots = list(
        Lot.objects.filter(voided_at__isnull=True, stock_status=StockStatus.REJECTED)
        .select_related("item", "supplier", "work_centre")
        .order_by("arrived_on", "id")[: REJECTED[ctx.scale]]
    )
    made = []
    for i, lot in enumerate(lots):
        verdict = stock.lot_verdict(lot)
        if verdict.decision != "reject" or not verdict.reference:
            continue
        day = min(lot.arrived_on + datetime.timedelta(days=1), timezone.localdate())
        ncr = ncr_for_lot(
            ctx, lot, reference=verdict.reference, actor=inspector,
            owner=engineers[i % len(engineers)], codes=codes.get(lot.item.family, []), day=day,
        )  # fmt: skip
        made.append(ncr)
    return made


def _contained(
    ctx: DemoContext, users: dict[str, Any], codes: dict[str, list[DefectCode]]
) -> Anomaly | None:
    """A worker finds cracked parts at assembly; the engineer holds the item's lots still in
    stock and sorts them."""
    lots = list(
        Lot.objects.filter(voided_at__isnull=True, stock_status=StockStatus.RELEASED)
        .exclude(item__family="")
        # A lot on a shipment stays free: the inspection demo's shipments are released later.
        .exclude(shipment_lines__isnull=False)
        .select_related("item")
        .order_by("-arrived_on", "id")[:200]
    )
    by_item: dict[int, list[Lot]] = {}
    for lot in lots:
        by_item.setdefault(lot.item_id, []).append(lot)
    chosen = next((group for group in by_item.values() if len(group) >= 2), None)
    if chosen is None:
        return None
    item = chosen[0].item
    family_codes = codes.get(item.family, [])
    ncr = S.anomaly_raise(
        actor=users["inspector1"],
        title=f"装配时发现 {item.name} 不良",
        description="总装线发现两件不良，已隔离在线物料，请质量工程师处理。",
        item=item,
        found_at=FoundAt.IPQC,
        found_on=timezone.localdate() - datetime.timedelta(days=2),
        owner=users["qe1"],
        quantity=Decimal(2),
        lots=[S.LotLine(lot=lot, quantity=lot.quantity) for lot in chosen[:2]],
        defects=[S.DefectLine(defect=family_codes[0], quantity=Decimal(2))] if family_codes else [],
    )
    rows = S.containment_hold(actor=users["qe1"], anomaly=ncr, reason="")
    if rows:
        row = rows[0]
        sorted_quantity = row.lot.quantity
        S.sorting_record(
            actor=users["inspector1"], anomaly_lot=row, sorted_quantity=sorted_quantity,
            bad_quantity=min(sorted_quantity, Decimal(ctx.rng.randint(3, 12))),
            note="100% 目视及尺寸挑选",
        )  # fmt: skip
    return ncr


def _shipped(ctx: DemoContext, users: dict[str, Any]) -> Anomaly | None:
    """A defect found on a lot that already left for a customer: the customer is told."""
    line = (
        ShipmentLine.objects.filter(
            voided_at__isnull=True, shipment__status__in=("released", "shipped")
        )
        .select_related("lot__item", "shipment__customer")
        .order_by("-shipment__planned_on", "id")
        .first()
    )
    if line is None:
        return None
    ncr = S.anomaly_raise(
        actor=users["qe1"],
        title=f"{line.lot.item.name} 出厂后发现标识错误",
        description="留样复查发现追溯码与批次不符。",
        item=line.lot.item,
        found_at=FoundAt.OQC,
        owner=users["qe1"],
        quantity=line.quantity,
        lots=[S.LotLine(lot=line.lot, quantity=line.quantity)],
    )
    S.customer_notify(
        actor=users["qe1"], anomaly=ncr, customer=line.shipment.customer,
        shipment=line.shipment, note="已电话并书面通知客户质量部，请隔离该批次，我方安排换货。",
    )  # fmt: skip
    return ncr


def build(ctx: DemoContext) -> None:
    users = ctx.get("organisation.users")
    codes = catalogue(ctx, users["qe1"])
    ctx.add("anomalies.defects", codes)
    ctx.add("anomalies.ncrs.rejected", _rejected_ncrs(ctx, users, codes))
    ctx.add("anomalies.ncr.contained", _contained(ctx, users, codes))
    ctx.add("anomalies.ncr.shipped", _shipped(ctx, users))


def present() -> bool:
    return DefectCode.objects.exists()
