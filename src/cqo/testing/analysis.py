"""Set-up for the analysis of nonconformances: NCRs written straight to the database with the
dates, statuses and defects a test needs (set-up, not behaviour: the services are tested by
their own parts; ``cqo.testing.anomalies.ncr_make`` raises one through the service)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.anomalies.models import Anomaly, AnomalyDefect, AnomalyStatus, DefectCode

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
