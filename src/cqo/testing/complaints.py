"""Set-up for the customer-complaint tests (``cqo.anomalies``): a customer, a product made
in-house and one of its production lots; ``policy`` writes a response policy straight to the
database, as set-up. Tests of behaviour call the services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cqo.anomalies.models_complaints import ComplaintPolicy
from cqo.masterdata.models import ItemKind, LotOrigin

from .masterdata import CustomerFactory, ItemFactory, LotFactory


@dataclass
class ComplaintWorld:
    customer: Any
    item: Any
    lot: Any


def complaint_world(*, created_by: Any) -> ComplaintWorld:
    item = ItemFactory(kind=ItemKind.PRODUCT)
    lot = LotFactory(
        item=item, origin=LotOrigin.PRODUCTION, supplier=None, supplier_batch="",
        quantity=Decimal("1000"), created_by=created_by,
    )  # fmt: skip
    return ComplaintWorld(customer=CustomerFactory(), item=item, lot=lot)


def policy(
    customer: Any = None, *, hours: int = 24, days: int = 14, always: bool = True
) -> ComplaintPolicy:
    return ComplaintPolicy.objects.create(
        customer=customer, containment_hours=hours, eightd_days=days, eightd_always=always
    )
