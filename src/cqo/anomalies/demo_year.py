"""The demo year of nonconformances (issue 10): 2,000 NCRs over the past twelve months
(``--scale large``: 200,000), written in bulk beside the inspection year, so the analysis has
something true to say: which defects, items, suppliers and lines come first, how long NCRs stay
open, how fast they close and how often a defect comes back.

Where they come from, read from the database (never from another domain app):

* every lot the inspection year rejected (``masterdata.Lot`` with stock status rejected) opens
  one NCR (source ``lot_rejected``, the lot's number as reference, the whole lot as the
  nonconforming quantity, found at the gate of the lot's origin);
* most of the rest are found at the gates on lots that passed (a few bad pieces of an accepted
  lot, raised by the gate's inspector), the bulk of "most from inspection";
* a few from SPC alarms on the machining lines, audit findings, and the shop floor.

Defects come from each item family's catalogue (``DefectCode``; a family without one gets a
generic catalogue here), weighted so a few codes dominate each family (a Pareto is a Pareto
because causes are not equal). Suppliers already turned back by the gate, and the cylinder and
grinding lines, carry more. Closure takes days drawn from a log-normal whose median depends on
the defect class and falls over the year (the improvement the trend chart shows); a few NCRs
stay stuck in review, the ageing's long tail; the youngest are still open, contained, in review
or dispositioned, by how far along they are.

How it is written: like the inspection year, with bulk inserts following the service's rules
(number ``NCR-<year>-<id>``, class the worst of the defects, owner and closer not the same
person), no history rows, and one audit event per batch (``anomalies.demo.bulk``) with the
counts and a SHA-256 digest of the rows. The NCRs that matter in the browser flows are raised
through the services by the scenarios (``demo_ncr``).
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from cqo.accounts.models import User
from cqo.audit.services import audit_record
from cqo.core.clauses import clause
from cqo.core.demo import DEMO_SEED, DemoContext
from cqo.masterdata.models import (
    DefectClass,
    Item,
    Lot,
    LotOrigin,
    StockStatus,
    Supplier,
    WorkCentre,
)

from .models import (
    Anomaly,
    AnomalyDefect,
    AnomalyLot,
    AnomalySource,
    AnomalyStatus,
    DefectCode,
    FoundAt,
)

CLAUSE = clause("§6 c)")
CLASS_RANK: dict[str, int] = {DefectClass.CR: 0, DefectClass.MA: 1, DefectClass.MI: 2}


@dataclass(frozen=True)
class YearScale:
    ncrs: int  # NCRs over the year, about
    batch: int  # rows per bulk insert
    gate_share: float  # of the NCRs not from rejected lots, the share found at the gates


SMALL = YearScale(ncrs=2000, batch=1000, gate_share=0.75)
# 2,000 rows a batch keep SQLite under its 32,766 variables per statement (about 30 columns).
LARGE = YearScale(ncrs=200_000, batch=1000, gate_share=0.75)

# A generic catalogue for a family that has none: code, name, English name, class, weight.
GENERIC: list[tuple[str, str, str, str, float]] = [
    ("DIM-01", "尺寸超差", "Dimension out of tolerance", "MA", 30),
    ("SUR-01", "表面划伤", "Surface scratch", "MI", 16),
    ("BUR-01", "毛刺未去净", "Burr not removed", "MI", 12),
    ("FRM-01", "形位公差超差", "Form or position out of tolerance", "MA", 10),
    ("POR-01", "气孔砂眼", "Porosity or sand holes", "MA", 8),
    ("HRD-01", "硬度不合格", "Hardness out of specification", "MA", 6),
    ("RUS-01", "锈蚀", "Rust", "MI", 5),
    ("MRK-01", "标识错误", "Wrong or missing marking", "MI", 4),
    ("CRK-01", "裂纹", "Crack", "CR", 2),
    ("MAT-01", "材质不符", "Wrong material", "CR", 1),
    ("PKG-01", "包装破损", "Damaged packaging", "MI", 3),
    ("ASM-01", "装配错漏", "Wrong or missing assembly", "MA", 3),
]
# Median days to close by the worst class at the start of the year; by the end, 60 % of it.
CLOSURE_MEDIAN: dict[str, float] = {DefectClass.CR: 24.0, DefectClass.MA: 15.0, DefectClass.MI: 8.0}
STUCK = 0.025  # NCRs that stay in review past their time (waiting on a CAPA, a supplier)
# Lines whose process gives more trouble (the demo's SPC shift and low Cpk are there).
HOT_LINES = {"D01": 3.0}
# Month weights over the year (oldest first): a spring bump, then the campaign's effect.
MONTH_WEIGHTS = [0.9, 1.0, 1.1, 1.3, 1.4, 1.2, 1.0, 0.95, 0.9, 0.85, 0.8, 0.8]


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass(frozen=True)
class LotRow:
    """What an NCR needs of a lot, read as plain values (a year holds 100,000 lots)."""

    id: int
    number: str
    item_id: int
    supplier_id: int | None
    work_centre_id: int | None
    arrived_on: datetime.date
    quantity: Decimal
    origin: str
    stock_status: str


LOT_FIELDS = (
    "id", "number", "item_id", "supplier_id", "work_centre_id", "arrived_on", "quantity",
    "origin", "stock_status",
)  # fmt: skip


def _found_at(lot: LotRow, item: Item) -> str:
    if lot.origin == LotOrigin.RECEIPT:
        return FoundAt.IQC
    if item.kind == "product" or lot.work_centre_id is None:
        return FoundAt.OQC
    return FoundAt.IPQC


class _Catalogue:
    """The defect codes of each family with their weights (the first codes weigh most)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_family: dict[str, tuple[list[DefectCode], list[float]]] = {}
        existing: dict[str, list[DefectCode]] = defaultdict(list)
        for code in DefectCode.objects.filter(voided_at__isnull=True).order_by("family", "code"):
            existing[code.family].append(code)
        self.existing = existing

    def of(self, family: str) -> tuple[list[DefectCode], list[float]]:
        family = family or "general"
        if family not in self.by_family:
            codes = self.existing.get(family) or self._generic(family)
            # Each family's own order of troubles: shuffled by family, then Zipf-like weights.
            frng = random.Random(f"{DEMO_SEED}:{family}")
            order = list(codes)
            frng.shuffle(order)
            weights = [1.0 / (rank + 1) ** 1.3 for rank in range(len(order))]
            self.by_family[family] = (order, weights)
        return self.by_family[family]

    def _generic(self, family: str) -> list[DefectCode]:
        frng = random.Random(f"{DEMO_SEED}:{family}:codes")
        chosen = [g for g in GENERIC if g[3] != "CR" or frng.random() < 0.7]
        codes = [
            DefectCode(
                family=family, code=code, name=name, name_en=name_en, defect_class=cls,
                description="演示：通用缺陷目录。",
            )
            for code, name, name_en, cls, _w in chosen
        ]  # fmt: skip
        DefectCode.objects.bulk_create(codes)
        return list(DefectCode.objects.filter(family=family, voided_at__isnull=True))

    def draw(self, family: str, k: int) -> list[DefectCode]:
        codes, weights = self.of(family)
        picked: list[DefectCode] = []
        while len(picked) < min(k, len(codes)):
            c = self.rng.choices(codes, weights)[0]
            if c not in picked:
                picked.append(c)
        return picked


class _Year:
    def __init__(self, scale: YearScale, *, seed: int = DEMO_SEED) -> None:
        self.scale = scale
        self.rng = random.Random(seed + 10)
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=365)
        users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
        self.users = users
        self.engineers = [users[u] for u in ("qe1", "qe2") if u in users]
        self.closers = [users[u] for u in ("qe1", "qe2", "cqo") if u in users]
        self.inspectors: dict[str, Any] = {
            FoundAt.IQC: users.get("inspector1"),
            FoundAt.IPQC: users.get("inspector2"),
            FoundAt.OQC: users.get("inspector4") or users.get("inspector3"),
        }
        self.catalogue = _Catalogue(self.rng)
        self.items = {i.pk: i for i in Item.objects.order_by("id")}
        self.next_id = (
            Anomaly.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        self.anomalies: list[Anomaly] = []
        self.lots: list[AnomalyLot] = []
        self.defects: list[AnomalyDefect] = []
        self.digest = hashlib.sha256()
        self.counts: dict[str, int] = defaultdict(int)

    # -- what to raise -------------------------------------------------------------------------

    def rejected(self) -> list[LotRow]:
        """The year's rejected lots that have no NCR yet (the NCR core's demo raises the first
        of them through the services)."""
        taken = AnomalyLot.objects.filter(voided_at__isnull=True).values("lot_id")
        return [
            LotRow(*row)
            for row in Lot.objects.filter(
                voided_at__isnull=True, stock_status=StockStatus.REJECTED,
                arrived_on__gte=self.start, arrived_on__lt=self.today - datetime.timedelta(days=2),
            )
            .exclude(id__in=taken)
            .order_by("arrived_on", "id")
            .values_list(*LOT_FIELDS)
        ]  # fmt: skip

    def _day(self) -> datetime.date:
        month = self.rng.choices(range(12), MONTH_WEIGHTS)[0]
        offset = month * 365 / 12 + self.rng.uniform(0, 365 / 12)
        day = self.start + datetime.timedelta(days=offset)
        return min(day, self.today - datetime.timedelta(days=1))

    def build(self) -> int:
        rejected = self.rejected()
        # The large scale repeats the rejected lots' pattern rather than the lots themselves.
        # The year holds ``scale.ncrs`` in all: the scenario NCRs already raised count.
        target = max(0, self.scale.ncrs - Anomaly.objects.filter(voided_at__isnull=True).count())
        from_rejected = rejected[: int(target * 0.6)]
        rest = target - len(from_rejected)
        at_gates = int(rest * self.scale.gate_share)
        others = rest - at_gates
        for lot in from_rejected:
            self._from_lot(lot, source=AnomalySource.LOT_REJECTED, whole=True)
            self._flush_if_full()
        passed = self._passed_lots(at_gates)
        for lot in passed:
            self._from_lot(lot, source=AnomalySource.MANUAL, whole=False)
            self._flush_if_full()
        self._others(others)
        self._flush()
        self._sequences_reset()
        return self.counts["ncrs"]

    def _passed_lots(self, n: int) -> list[LotRow]:
        """Lots that passed the gates, weighted toward the suppliers and lines that gave
        trouble: ``n`` of them, drawn with replacement (a lot can yield two findings)."""
        rows = [
            LotRow(*row)
            for row in Lot.objects.filter(
                voided_at__isnull=True, arrived_on__gte=self.start,
                arrived_on__lt=self.today - datetime.timedelta(days=1),
            )
            .exclude(stock_status=StockStatus.REJECTED)
            .order_by("id")
            .values_list(*LOT_FIELDS)
        ]  # fmt: skip
        if not rows or n <= 0:
            return []
        bad_suppliers = self._bad_suppliers()
        hot = {
            wc.pk: HOT_LINES[wc.code] for wc in WorkCentre.objects.filter(code__in=list(HOT_LINES))
        }
        weights = [
            (3.0 if r.supplier_id in bad_suppliers else 1.0) * hot.get(r.work_centre_id or 0, 1.0)
            for r in rows
        ]
        chosen = self.rng.choices(rows, weights, k=n)
        chosen.sort(key=lambda r: (r.arrived_on, r.id))
        return chosen

    def _bad_suppliers(self) -> set[int]:
        rejected: dict[int, int] = defaultdict(int)
        for sid in Lot.objects.filter(
            stock_status=StockStatus.REJECTED, supplier__isnull=False
        ).values_list("supplier_id", flat=True):
            rejected[sid] += 1
        ranked = sorted(rejected, key=lambda s: -rejected[s])
        return set(ranked[: max(1, len(ranked) // 5)])

    def _others(self, n: int) -> None:
        items = [i for i in self.items.values() if i.kind != "material" and i.voided_at is None]
        suppliers = list(
            Supplier.objects.filter(voided_at__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not items:
            return
        kinds = [
            (AnomalySource.SPC_ALARM, FoundAt.IPQC, 0.2),
            (AnomalySource.AUDIT, FoundAt.AUDIT, 0.15),
            (AnomalySource.MANUAL, FoundAt.OTHER, 0.45),
            (AnomalySource.MANUAL, FoundAt.FIELD, 0.2),
        ]
        for _k in range(n):
            source, found_at, _w = self.rng.choices(kinds, [k[2] for k in kinds])[0]
            item = self.rng.choice(items)
            day = self._day()
            supplier = (
                self.rng.choice(suppliers)
                if suppliers and found_at == FoundAt.FIELD and self.rng.random() < 0.3
                else None
            )
            self._ncr(
                item=item, supplier_id=supplier, work_centre_id=None, day=day, source=source,
                found_at=found_at, quantity=Decimal(self.rng.randint(1, 40)), lot=None,
                ref=f"{source.upper()[:3]}-{day:%Y%m%d}-{self.next_id:06d}"
                if source != AnomalySource.MANUAL else "",
                finder=self.users.get("qe2") if found_at == FoundAt.AUDIT else None,
            )  # fmt: skip
            self._flush_if_full()

    # -- one NCR -------------------------------------------------------------------------------

    def _from_lot(self, lot: LotRow, *, source: str, whole: bool) -> None:
        item = self.items[lot.item_id]
        found_at = _found_at(lot, item)
        day = lot.arrived_on + datetime.timedelta(days=self.rng.choice((0, 0, 0, 1)))
        if day >= self.today:
            day = lot.arrived_on
        if whole:
            quantity = lot.quantity
        else:
            quantity = Decimal(max(1, min(int(lot.quantity), int(self.rng.expovariate(1 / 6)) + 1)))
        self._ncr(
            item=item, supplier_id=lot.supplier_id, work_centre_id=lot.work_centre_id, day=day,
            source=source, found_at=found_at, quantity=quantity, lot=lot,
            ref=lot.number if source == AnomalySource.LOT_REJECTED else "",
            finder=self.inspectors.get(found_at),
        )  # fmt: skip

    def _ncr(
        self, *, item: Item, supplier_id: int | None, work_centre_id: int | None,
        day: datetime.date, source: str, found_at: str, quantity: Decimal, lot: LotRow | None,
        ref: str, finder: Any,
    ) -> None:  # fmt: skip
        rng = self.rng
        k = rng.choices((1, 2, 3), (0.8, 0.17, 0.03))[0]
        codes = self.catalogue.draw(item.family, k)
        worst = min((c.defect_class for c in codes), key=lambda c: CLASS_RANK.get(c, 9), default="")
        raised_at = _aware(day, rng.randint(7, 17), rng.randint(0, 59))
        now = timezone.now()
        age_days = (now - raised_at).total_seconds() / 86400
        # The median closure shrinks over the year, to 60 % of where it started.
        progress = min(1.0, max(0.0, (day - self.start).days / 365))
        median = CLOSURE_MEDIAN.get(worst, 12.0) * (1.0 - 0.4 * progress)
        duration = rng.lognormvariate(math.log(median), 0.6)
        stuck = rng.random() < STUCK
        owner = rng.choice(self.engineers) if self.engineers else None
        status = AnomalyStatus.CLOSED
        closed_at = closed_by = contained_at = None
        if not stuck and duration < age_days:
            closed_at = raised_at + datetime.timedelta(days=duration)
            closed_by = rng.choice([u for u in self.closers if u != owner] or self.closers)
        else:
            f = age_days / duration if duration else 1.0
            status = (
                AnomalyStatus.REVIEW if stuck and rng.random() < 0.6
                else AnomalyStatus.DISPOSITIONED if stuck or f >= 0.7
                else AnomalyStatus.REVIEW if f >= 0.35
                else AnomalyStatus.CONTAINED if f >= 0.15
                else AnomalyStatus.OPEN
            )  # fmt: skip
        if status != AnomalyStatus.OPEN:
            contained_at = raised_at + datetime.timedelta(hours=rng.uniform(2, 30))
            if closed_at is not None and contained_at > closed_at:
                contained_at = closed_at
        pk = self.next_id
        self.next_id += 1
        name = codes[0].name if codes else "质量异常"
        title = f"{item.part_number} {item.name}：{name}"
        a = Anomaly(
            id=pk, number=f"NCR-{raised_at:%Y}-{pk:06d}", title=title[:200],
            description="演示：" + "、".join(f"{c.code} {c.name}" for c in codes) + "。",
            source=source, source_ref=ref, item=item, supplier_id=supplier_id,
            work_centre_id=work_centre_id, found_at=found_at, found_on=day, found_by=finder,
            quantity=quantity, defect_class=worst, status=status, owner=owner,
            raised_by=finder or owner, raised_at=raised_at, contained_at=contained_at,
            containment_note="演示：隔离并挑选。" if contained_at else "",
            closed_at=closed_at, closed_by=closed_by,
            closure_note="演示：处置完成，纠正措施已验证。" if closed_at else "",
        )  # fmt: skip
        self.anomalies.append(a)
        self.digest.update(f"{pk}:{a.number}:{item.pk}:{day}:{status}:{quantity}".encode())
        if lot is not None:
            self.lots.append(AnomalyLot(anomaly_id=pk, lot_id=lot.id, quantity=quantity,
                                        quarantined=quantity if lot.stock_status != StockStatus.REJECTED else 0))  # fmt: skip
        left = quantity
        for i, code in enumerate(codes):
            q = (
                left
                if i == len(codes) - 1
                else (left * Decimal(rng.choice((50, 60, 70))) / 100).quantize(Decimal(1))
            )
            left -= q
            self.defects.append(
                AnomalyDefect(anomaly_id=pk, defect=code, quantity=q, defect_class=code.defect_class,
                              recorded_at=raised_at)
            )  # fmt: skip
        self.counts["ncrs"] += 1
        self.counts[f"source.{source}"] += 1
        self.counts[f"status.{status}"] += 1

    # -- writing -------------------------------------------------------------------------------

    def _flush_if_full(self) -> None:
        if len(self.anomalies) >= self.scale.batch:
            self._flush()

    def _flush(self) -> None:
        if not self.anomalies:
            return
        batch = self.scale.batch
        Anomaly.objects.bulk_create(self.anomalies, batch_size=batch)
        AnomalyLot.objects.bulk_create(self.lots, batch_size=batch)
        AnomalyDefect.objects.bulk_create(self.defects, batch_size=batch)
        first, last = self.anomalies[0], self.anomalies[-1]
        actor = self.users.get("qe1")
        audit_record(
            actor=actor,
            action="anomalies.demo.bulk",
            obj=("anomalies.anomaly", f"{first.pk}-{last.pk}", f"{first.number} … {last.number}"),
            after={
                "ncrs": len(self.anomalies), "lots": len(self.lots), "defects": len(self.defects),
                "sha256": self.digest.hexdigest(),
            },
            reason="demo: a year of nonconformance reports written in bulk, following the "
                   "services' rules",
            clause=CLAUSE,
        )  # fmt: skip
        self.anomalies, self.lots, self.defects = [], [], []
        self.digest = hashlib.sha256()

    def _sequences_reset(self) -> None:
        # The NCRs were written with their ids: PostgreSQL's sequence must move past them.
        sql = connection.ops.sequence_reset_sql(no_style(), [Anomaly])
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


USERNAMES = ("qe1", "qe2", "cqo", "inspector1", "inspector2", "inspector3", "inspector4")


def year_build(
    *, large: bool = False, seed: int = DEMO_SEED, scale: YearScale | None = None
) -> dict[str, int]:
    """Write the year of NCRs (inside the demo's transaction); answers the counts."""
    year = _Year(scale or (LARGE if large else SMALL), seed=seed)
    year.build()
    return dict(year.counts)


def build(ctx: DemoContext) -> None:
    """The demo builder (after the NCR core's and the review board's scenarios)."""
    ctx.add("anomalies.year", year_build(large=ctx.large, seed=ctx.seed))


def year_extend(*, scale: str = "large") -> int:
    """Add the year to a database that has the rest of the demo (the benchmark's reuse)."""
    with transaction.atomic():
        counts = year_build(large=scale == "large")
    return counts["ncrs"]
