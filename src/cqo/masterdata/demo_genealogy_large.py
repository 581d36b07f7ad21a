"""The large lot genealogy (``cqo demo --scale large``; the traceability benchmark).

About 10,000,000 links over about 2,000,000 lots on PostgreSQL (1,000,000 links on SQLite, the
embedded target), with the shape a maker of assembled products has:

- bought items (materials and parts) received in supplier batches, one lot per batch; a batch
  feeds tens to hundreds of production lots (log-uniform 10–200) until it is used up;
- a few **hub** materials (a common aluminium alloy, a resin, a steel bar, a lubricant) in 10–35 %
  of the recipes, received in big batches that feed thousands of lots each;
- work in progress: sub-assemblies made from 3–10 bought items, some from another
  sub-assembly; finished products made from 1–3 sub-assemblies and bought items, 3–10 inputs in
  all (recipes favour the small end, as real bills of materials do);
- every finished lot shipped in 1–5 shipments (mostly 1–2) to 500 customers.

Time runs over two years; each production lot consumes the batch of each input that is in use
on its day, so batches, lots and shipments are local in time as in a factory.

It is written around the services, for speed: rows go to tab-separated files first, then into
the tables with PostgreSQL's ``COPY`` (``executemany`` on SQLite). The links' two indexes are
dropped for the load and built again afterwards. Every row is drawn from one seeded generator,
consistent by construction (each link's quantity fits in what its lot holds); the audit trail
gets ONE summary event with the counts (``masterdata.genealogy.demo_bulk``). On PostgreSQL the
foreign-key triggers are paused for the load (``session_replication_role``) when the account
may do so; otherwise they run.
"""

from __future__ import annotations

import datetime
import math
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from cqo.audit.services import audit_record
from cqo.core.clauses import clause

from .models import (
    Customer,
    FeedSource,
    GenealogyFeed,
    Item,
    ItemKind,
    Lot,
    LotLink,
    LotOrigin,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    StockStatus,
    Supplier,
    SupplierStatus,
)

CLAUSE_TRACE = clause("§7.2.3.2")
PREFIX = "G"  # every lot, item, supplier and customer of the large genealogy starts with it

HUBS = (
    # part number, name, name (English), share of recipes, consumers per batch (low, high)
    ("GM-HUB-ALSI", "ADC12 铝合金锭", "ADC12 aluminium alloy ingot", 0.35, (3000, 6000)),
    ("GM-HUB-PA66", "PA66 尼龙树脂", "PA66 nylon resin", 0.25, (2000, 4000)),
    ("GM-HUB-45", "45# 圆钢", "Steel bar 45", 0.15, (1500, 3000)),
    ("GM-HUB-OIL", "防锈油", "Rust-preventive oil", 0.10, (1000, 2500)),
)


@dataclass
class Shape:
    links: int = 10_000_000
    bought_items: int = 1_500
    wip_items: int = 400
    finished_items: int = 250
    suppliers: int = 120
    customers: int = 500
    days: int = 730
    wip_share: float = 0.5  # of the production lots

    @classmethod
    def for_links(cls, links: int) -> Shape:
        # Fewer items at smaller sizes, so batches stay tens to hundreds of lots deep.
        factor = max(0.05, min(1.0, links / 10_000_000))
        return cls(
            links=links,
            bought_items=max(60, int(1_500 * factor)),
            wip_items=max(20, int(400 * factor)),
            finished_items=max(12, int(250 * factor)),
            suppliers=max(20, int(120 * math.sqrt(factor))),
        )


@dataclass
class _Input:
    item_id: int
    use: int  # units consumed per production lot


@dataclass
class _Stock:
    """The batch (or sub-assembly lot) of an item in use now, and what it can still feed."""

    lot_id: int = 0
    left: int = 0


@dataclass
class Built:
    lots: int = 0
    received: int = 0
    links: int = 0
    shipments: int = 0
    lines: int = 0
    seconds: float = 0.0
    hub_batches: list[str] = field(default_factory=list)
    typical_batches: list[str] = field(default_factory=list)


class _Tsv:
    """Rows of one table, written to a tab-separated file for COPY."""

    def __init__(self, directory: Path, model: Any, columns: list[str]) -> None:
        self.table = model._meta.db_table
        self.columns = columns
        self.path = directory / f"{self.table}.tsv"
        self.file = self.path.open("w", encoding="utf-8")
        self.count = 0

    def write(self, values: tuple[Any, ...]) -> None:
        self.file.write("\t".join("\\N" if v is None else str(v) for v in values))
        self.file.write("\n")
        self.count += 1

    def close(self) -> None:
        self.file.close()


def _next_id(model: Any) -> int:
    last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
    return int(last or 0) + 1


PLANT_LINKS = 1_000_000


def genealogy_large_build(
    *,
    actor: Any,
    links: int | None = None,
    seed: int = 20241108,
    progress: Callable[[str], None] | None = None,
) -> list[Built]:
    """Build the large genealogy into the current database (see the module docstring), as
    plants of at most a million links each (product lines that share only the customers): each
    plant is loaded on its own, so a long build shows its progress and a benchmark can stop at
    any plant."""
    if links is None:
        links = 10_000_000 if connection.vendor == "postgresql" else 1_000_000
    plants = max(1, round(links / PLANT_LINKS))
    return [
        genealogy_plant_build(
            actor=actor, plant=n, links=links // plants, seed=seed + n, progress=progress
        )
        for n in range(plants)
    ]


def genealogy_plant_build(
    *,
    actor: Any,
    plant: int = 0,
    links: int = PLANT_LINKS,
    seed: int = 20241108,
    progress: Callable[[str], None] | None = None,
) -> Built:
    """One plant of the large genealogy (see the module docstring)."""
    say = progress or (lambda _text: None)
    shape = Shape.for_links(links)
    rng = random.Random(seed)
    tag = f"{plant:02d}"
    started = time.monotonic()
    built = Built()
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=shape.days)
    # Stored as text by COPY / executemany: UTC, with its offset where the column keeps one.
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    if connection.vendor == "postgresql":
        now += "+00:00"

    # --- reference data, through the ORM (a few thousand rows) -------------------------------
    suppliers = Supplier.objects.bulk_create(
        [
            Supplier(
                code=f"{PREFIX}S{tag}{n:04d}", name=f"谱系演示供应商{tag}-{n}",
                name_en=f"Genealogy supplier {tag}-{n}",
                status=SupplierStatus.QUALIFIED,
            )
            for n in range(1, shape.suppliers + 1)
        ]
    )  # fmt: skip
    # The plants share their customers.
    customers = list(Customer.objects.filter(code__startswith=f"{PREFIX}K").order_by("code"))
    if not customers:
        customers = Customer.objects.bulk_create(
            [
                Customer(code=f"{PREFIX}K{n:04d}", name=f"谱系演示客户{n}", name_en=f"Genealogy customer {n}")
                for n in range(1, shape.customers + 1)
            ]
        )  # fmt: skip
    bought_rows = [
        Item(part_number=part.replace("GM-", f"GM{tag}-"), name=name, name_en=name_en, kind=ItemKind.MATERIAL, uom="kg",
             family="genealogy_hub")
        for part, name, name_en, _share, _k in HUBS
    ]  # fmt: skip
    bought_rows += [
        Item(part_number=f"GM{tag}-{n:05d}", name=f"外购件{n}", name_en=f"Bought part {n}",
             kind=ItemKind.PART if n % 3 else ItemKind.MATERIAL, family="genealogy_bought")
        for n in range(1, shape.bought_items + 1)
    ]  # fmt: skip
    wip_rows = [
        Item(part_number=f"GW{tag}-{n:04d}", name=f"分总成{n}", name_en=f"Sub-assembly {n}",
             kind=ItemKind.PART, family="genealogy_wip")
        for n in range(1, shape.wip_items + 1)
    ]  # fmt: skip
    fin_rows = [
        Item(part_number=f"GF{tag}-{n:04d}", name=f"总成{n}", name_en=f"Assembly {n}",
             kind=ItemKind.PRODUCT, family="genealogy_finished")
        for n in range(1, shape.finished_items + 1)
    ]  # fmt: skip
    bought = [i.pk for i in Item.objects.bulk_create(bought_rows)]
    wip = [i.pk for i in Item.objects.bulk_create(wip_rows)]
    finished = [i.pk for i in Item.objects.bulk_create(fin_rows)]
    if not bought[0]:  # pragma: no cover - every supported database returns the keys
        raise RuntimeError("bulk_create returned no primary keys")
    hub_ids = bought[: len(HUBS)]
    plain = bought[len(HUBS) :]
    hub_k = {hub_ids[i]: HUBS[i][4] for i in range(len(HUBS))}
    supplier_of = {item: rng.choice(suppliers).pk for item in bought}
    # Units of a bought item per production lot: one figure per item, so a batch's quantity
    # (consumers × use) always covers what its consumers take (the mass balance holds).
    use_of = {item: rng.randint(1, 5) for item in bought}

    def recipe_size() -> int:
        # 3–10 inputs, the small end likelier (real bills of materials).
        return min(10, 3 + int(rng.expovariate(1 / 2.2)))

    def bought_inputs(n: int) -> list[_Input]:
        chosen: list[int] = [h for i, h in enumerate(hub_ids) if rng.random() < HUBS[i][3]]
        while len(chosen) < n:
            candidate = rng.choice(plain)
            if candidate not in chosen:
                chosen.append(candidate)
        return [_Input(i, use_of[i]) for i in chosen[: max(n, 1)]]

    recipes: dict[int, list[_Input]] = {}
    level_one = wip[: len(wip) * 2 // 3]
    for item in wip:
        size = recipe_size()
        inputs: list[_Input] = []
        if item not in level_one and rng.random() < 0.7:
            inputs.append(_Input(rng.choice(level_one), 1))
        inputs += bought_inputs(size - len(inputs))
        recipes[item] = inputs
    for item in finished:
        size = recipe_size()
        subs = rng.sample(wip, rng.randint(1, 3))
        inputs = [_Input(s, 1) for s in subs]
        inputs += bought_inputs(max(size - len(inputs), 1))
        recipes[item] = inputs
    avg_inputs = sum(len(r) for r in recipes.values()) / len(recipes)
    production_lots = int(shape.links / avg_inputs)
    say(f"recipes ready: {avg_inputs:.2f} inputs per lot on average, ~{production_lots:,} lots")

    # --- rows, day by day, to files -----------------------------------------------------------
    lot_id = _next_id(Lot)
    link_id = _next_id(LotLink)
    shipment_id = _next_id(Shipment)
    line_id = _next_id(ShipmentLine)
    feed_id = _next_id(GenealogyFeed)
    actor_id = actor.pk
    directory = Path(tempfile.mkdtemp(prefix="cqo-genealogy-"))
    lot_cols = [
        "id", "number", "item_id", "origin", "quantity", "supplier_id", "supplier_batch",
        "order_number", "arrived_on", "stock_status", "created_by_id", "created_at", "void_reason",
    ]  # fmt: skip
    lots_out = _Tsv(directory, Lot, lot_cols)
    feeds_out = _Tsv(
        directory, GenealogyFeed,
        ["id", "source", "reference", "link_count", "serial_count", "created_by_id", "created_at",
         "void_reason"],
    )  # fmt: skip
    links_out = _Tsv(
        directory,
        LotLink,
        ["id", "consumed_id", "produced_id", "quantity", "feed_id", "void_reason"],
    )
    ship_out = _Tsv(
        directory, Shipment,
        ["id", "number", "customer_id", "order_number", "planned_on", "status", "released_by_id",
         "released_at", "created_by_id", "created_at", "void_reason"],
    )  # fmt: skip
    lines_out = _Tsv(
        directory, ShipmentLine, ["id", "shipment_id", "lot_id", "quantity", "void_reason"]
    )
    stock: dict[int, _Stock] = {}
    per_day = max(1, production_lots // shape.days)
    made = 0
    day_index = 0
    hub_first: dict[int, str] = {}
    typical: list[str] = []

    def receive(item: int, day: datetime.date, use: int) -> _Stock:
        nonlocal lot_id
        if item in hub_k:
            low, high = hub_k[item]
            feeds = rng.randint(low, high)
        else:
            feeds = int(math.exp(rng.uniform(math.log(10), math.log(200))))
        number = f"GR-{lot_id:08d}"
        batch = f"B{lot_id:08d}"
        lots_out.write(
            (lot_id, number, item, LotOrigin.RECEIPT, feeds * use, supplier_of[item], batch,
             "", day.isoformat(), StockStatus.RELEASED, actor_id, now, "")
        )  # fmt: skip
        if item in hub_k and item not in hub_first and day_index > shape.days // 3:
            hub_first[item] = batch
        elif item not in hub_k and len(typical) < 200 and rng.random() < 0.01:
            typical.append(batch)
        s = _Stock(lot_id, feeds)
        lot_id += 1
        built.received += 1
        return s

    while made < production_lots:
        day = first_day + datetime.timedelta(days=min(day_index, shape.days))
        feed = feed_id
        feed_links = 0
        todays: list[tuple[int, int]] = []
        for _n in range(per_day):
            if made >= production_lots:
                break
            is_wip = rng.random() < shape.wip_share
            item = rng.choice(wip if is_wip else finished)
            produced = lot_id
            lot_id += 1
            quantity = rng.randint(20, 400)
            lots_out.write(
                (produced, f"{'GW' if is_wip else 'GF'}-{produced:08d}", item,
                 LotOrigin.PRODUCTION, quantity, None, "", "", day.isoformat(),
                 StockStatus.RELEASED, actor_id, now, "")
            )  # fmt: skip
            for inp in recipes[item]:
                current = stock.get(inp.item_id)
                if current is None or current.left <= 0:
                    if inp.item_id in recipes:
                        continue  # no sub-assembly made yet: the first days only
                    current = stock[inp.item_id] = receive(inp.item_id, day, inp.use)
                links_out.write((link_id, current.lot_id, produced, inp.use, feed, ""))
                link_id += 1
                feed_links += 1
                current.left -= 1
            if is_wip:
                # A sub-assembly lot feeds a few later lots (uses of 1 each).
                stock[item] = _Stock(produced, min(quantity, rng.randint(1, 8)))
            else:
                todays.append((produced, quantity))
            made += 1
        feeds_out.write(
            (
                feed,
                FeedSource.DEMO,
                f"demo {tag} {day.isoformat()}",
                feed_links,
                0,
                actor_id,
                now,
                "",
            )
        )
        feed_id += 1
        built.links += feed_links
        # Today's finished lots leave in 1–5 shipments each, grouped per customer.
        open_shipments: dict[int, int] = {}
        for produced, quantity in todays:
            count = min(5, 1 + int(rng.expovariate(1.2)))
            share = max(1, quantity // count)
            for customer in rng.sample(customers, count):
                ship = open_shipments.get(customer.pk)
                if ship is None:
                    ship = open_shipments[customer.pk] = shipment_id
                    ship_out.write(
                        (shipment_id, f"GSH-{shipment_id:08d}", customer.pk, "",
                         day.isoformat(), ShipmentStatus.SHIPPED, actor_id, now, actor_id, now, "")
                    )  # fmt: skip
                    shipment_id += 1
                lines_out.write((line_id, ship, produced, share, ""))
                line_id += 1
        day_index += 1
        if day_index % 73 == 0:
            say(f"day {day_index}: {made:,} production lots, {built.links:,} links")
    for out in (lots_out, feeds_out, links_out, ship_out, lines_out):
        out.close()
    built.lots = lots_out.count
    built.shipments = ship_out.count
    built.lines = lines_out.count
    built.hub_batches = [hub_first[h] for h in hub_ids if h in hub_first]
    built.typical_batches = typical
    say(f"rows written to {directory} in {time.monotonic() - started:.0f} s; loading")

    _load(
        [lots_out, feeds_out, ship_out, lines_out, links_out],
        link_table=links_out.table,
        say=say,
    )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Lot, LotLink, GenealogyFeed, Shipment, ShipmentLine]
        ):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            for table in (lots_out.table, links_out.table, lines_out.table, ship_out.table):
                cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
    for out in (lots_out, feeds_out, links_out, ship_out, lines_out):
        os.unlink(out.path)
    os.rmdir(directory)
    built.seconds = time.monotonic() - started
    audit_record(
        actor=actor,
        action="masterdata.genealogy.demo_bulk",
        obj=("masterdata.lotlink", "demo", "large genealogy"),
        after={
            "lots": built.lots, "links": built.links, "shipments": built.shipments,
            "lines": built.lines, "seed": seed, "plant": plant,
        },
        reason="demo: the large lot genealogy written in bulk (benchmark data)",
        clause=CLAUSE_TRACE,
    )  # fmt: skip
    say(
        f"{built.lots:,} lots ({built.received:,} received), {built.links:,} links, "
        f"{built.shipments:,} shipments, {built.lines:,} lines in {built.seconds:.0f} s"
    )
    return built


def _load(outs: list[_Tsv], *, link_table: str, say: Callable[[str], None]) -> None:
    if connection.vendor == "postgresql":
        _load_postgres(outs, link_table=link_table, say=say)
    else:
        _load_sqlite(outs, say=say)


def _load_postgres(outs: list[_Tsv], *, link_table: str, say: Callable[[str], None]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
            " AND indexname NOT LIKE '%%_pkey'",
            [link_table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:
            say("foreign-key triggers stay on (the account may not pause them)")
        for out in outs:
            t0 = time.monotonic()
            columns = ", ".join(out.columns)
            raw = cursor.cursor
            with (
                out.path.open("rb") as fh,
                raw.copy(  # type: ignore[attr-defined]
                    f"COPY {out.table} ({columns}) FROM STDIN"
                ) as copy,
            ):
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
            say(f"{out.table}: {out.count:,} rows in {time.monotonic() - t0:.0f} s")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for name, definition in indexes:
            t0 = time.monotonic()
            cursor.execute(definition)
            say(f"index {name} built in {time.monotonic() - t0:.0f} s")


def _load_sqlite(outs: list[_Tsv], *, say: Callable[[str], None]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for out in outs:
            t0 = time.monotonic()
            marks = ", ".join("%s" for _c in out.columns)
            names = ", ".join(out.columns)
            sql = f"INSERT INTO {out.table} ({names}) VALUES ({marks})"  # noqa: S608 (model names)
            batch: list[list[Any]] = []
            with out.path.open(encoding="utf-8") as fh:
                for line in fh:
                    batch.append([None if v == "\\N" else v for v in line.rstrip("\n").split("\t")])
                    if len(batch) >= 20_000:
                        cursor.executemany(sql, batch)
                        batch = []
            if batch:
                cursor.executemany(sql, batch)
            say(f"{out.table}: {out.count:,} rows in {time.monotonic() - t0:.0f} s")
