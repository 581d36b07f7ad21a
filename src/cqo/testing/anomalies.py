"""Set-up for the anomalies parts' tests (mrb, capa, scar, complaints, analysis).

``ncr_make(org, ...)`` raises an NCR through the service (``anomaly_raise``), so it is what a user
would get: a number, its lots and defects, one audit event. By default the org's inspector raises
it on a fresh lot of 500 of a fresh item (family "valve") with one MA defect of 20 pieces, and
the org's quality engineer owns it. ``DefectCodeFactory`` writes a catalogue row directly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from cqo.anomalies.models import Anomaly, DefectCode
from cqo.anomalies.services_ncr import DefectLine, LotLine, anomaly_raise
from cqo.masterdata.models import DefectClass

from .masterdata import ItemFactory, LotFactory

FAMILY = "valve"


class DefectCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DefectCode

    family = FAMILY
    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"缺陷{n}")
    name_en = factory.Sequence(lambda n: f"Defect {n}")
    defect_class = DefectClass.MA


def ncr_make(
    org: Any,
    *,
    actor: Any = None,
    item: Any = None,
    lots: list[Any] | None = None,
    quantity: Any = None,
    defects: list[tuple[Any, Any]] | None = None,
    owner: Any = "engineer",
    title: str = "阀杆外径超差",
    **fields: Any,
) -> Anomaly:
    """An NCR raised through the service. ``lots``: Lot records (default: one new lot of 500 of
    ``item``); ``defects``: ``[(DefectCode, quantity)]`` (default: one new MA code, 20 pieces);
    ``owner``: a user, or "engineer" for ``org.engineer``, or None."""
    item = item or ItemFactory(family=FAMILY)
    if lots is None:
        lots = [LotFactory(item=item)]
    if defects is None:
        defects = [(DefectCodeFactory(family=item.family or FAMILY), Decimal("20"))]
    return anomaly_raise(
        actor=actor or org.inspector,
        title=title,
        item=item,
        quantity=quantity,
        owner=org.engineer if owner == "engineer" else owner,
        lots=[LotLine(lot=lot) for lot in lots],
        defects=[DefectLine(defect=d, quantity=Decimal(str(q))) for d, q in defects],
        **fields,
    )
