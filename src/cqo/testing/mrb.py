"""Set-up for the review board's and the costs' tests: an NCR on a rejected lot, written straight
to the database (the NCR part's services raise real ones; here the record is given)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.anomalies.models import Anomaly, AnomalyLot, AnomalyStatus
from cqo.masterdata.models import DefectClass, StockStatus

from .masterdata import ItemFactory, LotFactory, SupplierFactory

_numbers = itertools.count(1)


def rejected_ncr(
    owner: Any,
    *,
    quantity: str = "500",
    defect_class: str = DefectClass.MA,
    lots: int = 1,
    status: str = AnomalyStatus.OPEN,
) -> Anomaly:
    """An NCR of ``quantity`` nonconforming pieces on ``lots`` rejected lots of one item from one
    supplier (each lot as large as the quantity), with ``owner`` as its quality engineer."""
    item: Any = ItemFactory()
    supplier: Any = SupplierFactory()
    anomaly = Anomaly.objects.create(
        number=f"NCR-T-{next(_numbers):06d}",
        title="孔径超差 / bore out of tolerance",
        item=item,
        supplier=supplier,
        found_on=timezone.localdate(),
        quantity=Decimal(quantity),
        defect_class=defect_class,
        status=status,
        owner=owner,
        raised_by=owner,
        raised_at=timezone.now(),
    )
    for _ in range(lots):
        lot: Any = LotFactory(
            item=item,
            supplier=supplier,
            quantity=Decimal(quantity),
            stock_status=StockStatus.REJECTED,
            created_by=owner,
        )
        AnomalyLot.objects.create(anomaly=anomaly, lot=lot, quantity=Decimal(quantity))
    return anomaly
