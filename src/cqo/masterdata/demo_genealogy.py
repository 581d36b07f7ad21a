"""The demo's lot genealogy (§7.2.3.2), after the inspection year has made its lots.

Small scale:

- the latest production lots of the year are linked to the received lots they were made from
  (3–6 bought lots received in the 60 days before, of different items), and products to the
  parts made in-house before them (work in progress), in ONE feed through the service
  (``genealogy_feed_post``: mass balance and cycles checked, one audit event with the digest);
- **the brake-caliper case** the recall demo starts from: a batch of caliper piston seals
  (supplier S005, batch ``CD-SEAL-2611-07``) and a batch of caliper bodies went into two
  finished front-brake-caliper lots: ``ZDQ-F-DEMO-01``, shipped to two customers (C001 and
  C002, two shipments), and ``ZDQ-F-DEMO-02``, still in stock; each caliper has its serial
  number (``ZDQF2611-00001`` to ``-00400`` shipped, ``-00401`` to ``-00700`` in stock). Exposed as
  ``masterdata.genealogy.caliper_lot`` (the shipped lot), ``…caliper_lot_in_stock``,
  ``…seal_batch`` (the batch number) and ``…caliper_shipments``.

Large scale (``--scale large``) adds the benchmark's genealogy (``demo_genealogy_large``).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.audit.services import audit_record

from . import services as S
from .genealogy_feeds import CLAUSE_TRACE, genealogy_feed_post
from .models import (
    GenealogyFeed,
    ItemKind,
    Lot,
    LotLink,
    LotOrigin,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    StockStatus,
)

SEAL_BATCH = "CD-SEAL-2611-07"
CALIPER_SHIPPED = "ZDQ-F-DEMO-01"
CALIPER_IN_STOCK = "ZDQ-F-DEMO-02"
CALIPER_SERIAL = "ZDQF2611-"
LINKED_PRODUCTION_LOTS = 400


def _year_links(ctx: Any, actor: Any) -> int:
    rng = random.Random(ctx.seed + 1696)
    received = list(
        Lot.objects.filter(origin=LotOrigin.RECEIPT, voided_at__isnull=True)
        .order_by("arrived_on", "id")
        .values_list("pk", "number", "item_id", "quantity", "arrived_on")
    )
    produced = list(
        Lot.objects.filter(origin=LotOrigin.PRODUCTION, voided_at__isnull=True)
        .order_by("-arrived_on", "-id")
        .values_list("pk", "number", "quantity", "arrived_on", "item__kind")[
            :LINKED_PRODUCTION_LOTS
        ]
    )
    produced.reverse()
    if not received or not produced:
        return 0
    left = {pk: qty for pk, _n, _i, qty, _d in received}
    parts_made: list[str] = []
    part_left: dict[str, Decimal] = {}
    rows: list[dict[str, Any]] = []
    for _pk, number, quantity, day, kind in produced:
        window = [
            r for r in received if day - datetime.timedelta(days=60) <= r[4] <= day
        ] or received[:50]
        items_seen: set[int] = set()
        for r_pk, r_number, r_item, _qty, _d in rng.sample(window, min(len(window), 12)):
            if r_item in items_seen or len(items_seen) >= rng.randint(3, 6):
                continue
            use = min(left[r_pk], Decimal(rng.randint(1, 20)))
            if use <= 0:
                continue
            left[r_pk] -= use
            items_seen.add(r_item)
            rows.append({"consumed": r_number, "produced": number, "quantity": use})
        if kind == ItemKind.PRODUCT and parts_made:
            recent = parts_made[-30:]
            for p_number in rng.sample(recent, min(2, len(recent))):
                if part_left[p_number] >= 1:
                    part_left[p_number] -= 1
                    rows.append({"consumed": p_number, "produced": number, "quantity": Decimal(1)})
        elif kind != ItemKind.PRODUCT:
            parts_made.append(number)
            part_left[number] = quantity
    # A part lot linked twice into the same product (two samples) is one link.
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        unique.setdefault((row["consumed"], row["produced"]), row)
    feed = genealogy_feed_post(
        actor=actor, rows=list(unique.values()), source="api", reference="MES demo year"
    )
    return feed.link_count


def _caliper_case(ctx: Any, actor: Any) -> None:
    suppliers = ctx.get("masterdata.suppliers")
    customers = ctx.get("masterdata.customers")
    users = ctx.get("organisation.users")
    today = timezone.localdate()
    seal = S.item_create(
        actor=actor, part_number="YJM-ZDQ-SEAL", name="制动钳活塞密封圈",
        name_en="Brake caliper piston seal", kind=ItemKind.PART, family="oil_seal", uom="pcs",
    )  # fmt: skip
    body = S.item_create(
        actor=actor, part_number="YJM-ZDQ-BODY", name="制动钳壳体（铝压铸）",
        name_en="Brake caliper body (aluminium die casting)", kind=ItemKind.PART,
        family="aluminium", uom="pcs",
    )  # fmt: skip
    caliper = S.item_create(
        actor=actor, part_number="YJP-ZDQ-F", name="前制动钳总成", name_en="Front brake caliper assembly",
        kind=ItemKind.PRODUCT, family="brake_disc", uom="pcs",
    )  # fmt: skip
    for item, code in ((seal, "S005"), (body, "S003")):
        S.approved_supplier_add(actor=actor, item=item, supplier=suppliers[code])
    seal_lot = S.lot_create(
        actor=actor, item=seal, quantity=Decimal(2000), origin=LotOrigin.RECEIPT,
        arrived_on=today - datetime.timedelta(days=24), supplier=suppliers["S005"],
        supplier_batch=SEAL_BATCH, number="RC-ZDQ-SEAL-DEMO",
    )  # fmt: skip
    body_lot = S.lot_create(
        actor=actor, item=body, quantity=Decimal(1000), origin=LotOrigin.RECEIPT,
        arrived_on=today - datetime.timedelta(days=26), supplier=suppliers["S003"],
        supplier_batch="YL-BODY-2611-03", number="RC-ZDQ-BODY-DEMO",
    )  # fmt: skip
    shipped = S.lot_create(
        actor=actor, item=caliper, quantity=Decimal(400), origin=LotOrigin.PRODUCTION,
        arrived_on=today - datetime.timedelta(days=20), number=CALIPER_SHIPPED,
    )  # fmt: skip
    in_stock = S.lot_create(
        actor=actor, item=caliper, quantity=Decimal(300), origin=LotOrigin.PRODUCTION,
        arrived_on=today - datetime.timedelta(days=18), number=CALIPER_IN_STOCK,
    )  # fmt: skip
    genealogy_feed_post(
        actor=actor,
        rows=[
            {"consumed": seal_lot.number, "produced": shipped.number, "quantity": 800},
            {"consumed": body_lot.number, "produced": shipped.number, "quantity": 400},
            {"consumed": seal_lot.number, "produced": in_stock.number, "quantity": 600},
            {"consumed": body_lot.number, "produced": in_stock.number, "quantity": 300},
        ],
        # Every caliper carries its serial number (the recall recovers units, not lots): the
        # assembly record brings them with the links, in the same feed.
        serials=[
            {"lot": lot.number, "serial": f"{CALIPER_SERIAL}{n:05d}"}
            for lot, first, last in ((shipped, 1, 400), (in_stock, 401, 700))
            for n in range(first, last + 1)
        ],
        source="entry",
        reference="前制动钳装配记录",
    )
    # The gate's decisions on these lots belong to the inspection demo; here they are simply
    # released (written straight, with one summary event) and the first one shipped.
    Lot.objects.filter(pk__in=[seal_lot.pk, body_lot.pk, shipped.pk, in_stock.pk]).update(
        stock_status=StockStatus.RELEASED
    )
    releaser = users["qe2"]
    codes = sorted(customers)[:2]
    shipments = []
    for n, (code, qty) in enumerate(zip(codes, (Decimal(250), Decimal(150)), strict=True), 1):
        day = today - datetime.timedelta(days=16 - n)
        shipment = Shipment.objects.create(
            number=f"SH-ZDQ-DEMO-{n:02d}", customer=customers[code], order_number=f"SO-ZDQ-{n:02d}",
            planned_on=day, status=ShipmentStatus.SHIPPED, released_by=releaser,
            released_at=timezone.now() - datetime.timedelta(days=16 - n), created_by=actor,
        )  # fmt: skip
        ShipmentLine.objects.create(shipment=shipment, lot=shipped, quantity=qty)
        shipments.append(shipment)
    audit_record(
        actor=releaser,
        action="masterdata.genealogy.demo_bulk",
        obj=shipped,
        after={"released": 4, "shipments": [s.number for s in shipments]},
        reason="demo: the brake-caliper lots released and shipped to two customers",
        clause=CLAUSE_TRACE,
    )
    ctx.add("masterdata.genealogy.caliper_lot", Lot.objects.get(pk=shipped.pk))
    ctx.add("masterdata.genealogy.caliper_lot_in_stock", Lot.objects.get(pk=in_stock.pk))
    ctx.add("masterdata.genealogy.seal_batch", SEAL_BATCH)
    ctx.add("masterdata.genealogy.caliper_shipments", shipments)


def build(ctx: Any) -> None:
    users = ctx.get("organisation.users")
    actor = users["qe1"]
    _caliper_case(ctx, actor)
    _year_links(ctx, actor)
    if ctx.large:
        from .demo_genealogy_large import genealogy_large_build

        genealogy_large_build(actor=actor)


def present() -> bool:
    return GenealogyFeed.objects.exists() or LotLink.objects.exists()


def register() -> None:
    from cqo.core.demo import demo_builder_register

    demo_builder_register(
        "genealogy", build, after=("organisation", "masterdata", "inspection"), present=present
    )
