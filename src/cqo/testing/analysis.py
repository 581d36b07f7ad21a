"""Set-up for the analysis of nonconformances: NCRs written straight to the database with the
dates, statuses and defects a test needs (set-up, not behaviour: the services are tested by
their own parts; ``cqo.testing.anomalies.ncr_make`` raises one through the service)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.anomalies.models import Anomaly, AnomalyDefect, AnomalyStatus, DefectCode
from cqo.masterdata.models import DefectClass

from .masterdata import ItemFactory, SupplierFactory

_numbers = itertools.count(1)


def at(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ncr_row(
    *,
    item: Any,
    found_on: datetime.date,
    defects: list[tuple[DefectCode, int]] = (),  # type: ignore[assignment]
    raised_at: datetime.datetime | None = None,
    status: str = AnomalyStatus.OPEN,
    closed_at: datetime.datetime | None = None,
    quantity: int | None = None,
    voided: bool = False,
    **fields: Any,
) -> Anomaly:
    """One NCR as the database keeps it: raised at the start of the day it was found unless
    told (so its age in whole days is the days since, whatever the hour the test runs)."""
    raised_at = raised_at or at(found_on)
    total = quantity if quantity is not None else sum(q for _d, q in defects) or 1
    n = next(_numbers)
    anomaly = Anomaly.objects.create(
        number=f"NCR-T-{n:06d}",
        title=f"测试异常 {n}",
        item=item,
        found_on=found_on,
        raised_at=raised_at,
        status=status,
        closed_at=closed_at,
        quantity=Decimal(total),
        voided_at=timezone.now() if voided else None,
        **fields,
    )
    for defect, q in defects:
        AnomalyDefect.objects.create(
            anomaly=anomaly,
            defect=defect,
            quantity=Decimal(q),
            defect_class=defect.defect_class,
            recorded_at=raised_at,
        )
    return anomaly


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@dataclass
class AnalysisWorld:
    """Six NCRs small enough to count by hand (the table is in ``test_analysis.py``): items X
    and Y, supplier SA, defect codes D1 (MI), D2 (MA), D3 (CR)."""

    x: Any
    y: Any
    sa: Any
    d1: DefectCode
    d2: DefectCode
    d3: DefectCode
    n: dict[str, Anomaly]


def _code(code: str, name: str, name_en: str, cls: str) -> DefectCode:
    return DefectCode.objects.create(
        family="valve", code=code, name=name, name_en=name_en, defect_class=cls
    )


def analysis_world() -> AnalysisWorld:
    x = ItemFactory(part_number="X-100", name="阀杆", name_en="Valve stem")
    y = ItemFactory(part_number="Y-200", name="阀座", name_en="Valve seat")
    sa = SupplierFactory(code="SA", name="甲供应商", name_en="Supplier A")
    d1 = _code("D1", "划伤", "Scratch", DefectClass.MI)
    d2 = _code("D2", "尺寸超差", "Out of tolerance", DefectClass.MA)
    d3 = _code("D3", "裂纹", "Crack", DefectClass.CR)
    closed = AnomalyStatus.CLOSED
    n = {
        "N1": ncr_row(item=x, supplier=sa, found_on=ago(10), defects=[(d1, 5)]),
        "N2": ncr_row(
            item=x, supplier=sa, found_on=ago(40), defects=[(d1, 3), (d2, 2)], status=closed,
            closed_at=at(ago(36)),
        ),
        "N3": ncr_row(item=y, found_on=ago(3), defects=[(d2, 7)], status=AnomalyStatus.CONTAINED),
        "N4": ncr_row(
            item=x, supplier=sa, found_on=ago(100), defects=[(d1, 1)], status=AnomalyStatus.REVIEW
        ),
        "N5": ncr_row(item=x, supplier=sa, found_on=ago(5), defects=[(d3, 9)], voided=True),
        "N6": ncr_row(
            item=x, supplier=sa, found_on=ago(600), defects=[(d3, 2)], status=closed,
            closed_at=at(ago(590)),
        ),
    }  # fmt: skip
    return AnalysisWorld(x, y, sa, d1, d2, d3, n)
