"""A small lot genealogy for tests of tracing, feeds and recalls.

``genealogy_world()`` builds, straight in the database::

    supplier batch ST-01 → R-STEEL ─┐
    supplier batch RS-07 → R-RESIN ─┴→ W-BODY (work in progress) ─┬→ F-CAL-1 → SH-A (customer A)
                                                                  └→ F-CAL-2 → SH-B (customer B)
    supplier batch PD-03 → R-PAD ───────────────────────────────────→ F-CAL-2

and a lot with no links (``loose``). Feeds posted by tests go through the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory

from cqo.masterdata.models import (
    Customer,
    FeedSource,
    GenealogyFeed,
    Lot,
    LotLink,
    LotOrigin,
    Shipment,
)

from .factories import UserFactory
from .masterdata import (
    CustomerFactory,
    ItemFactory,
    LotFactory,
    ShipmentFactory,
    ShipmentLineFactory,
    SupplierFactory,
)


class GenealogyFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GenealogyFeed

    source = FeedSource.API
    created_by = factory.SubFactory(UserFactory)


class LotLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LotLink

    consumed = factory.SubFactory(LotFactory)
    produced = factory.SubFactory(LotFactory, origin=LotOrigin.PRODUCTION, supplier=None)
    quantity = Decimal("10")
    feed = factory.SubFactory(GenealogyFeedFactory)


def production_lot(number: str, **kwargs: Any) -> Any:
    return LotFactory(
        number=number, origin=LotOrigin.PRODUCTION, supplier=None, supplier_batch="", **kwargs
    )


@dataclass
class GenealogyWorld:
    steel: Lot
    resin: Lot
    pad: Lot
    body: Lot
    caliper_1: Lot
    caliper_2: Lot
    loose: Lot
    customer_a: Customer
    customer_b: Customer
    shipment_a: Shipment
    shipment_b: Shipment
    feed: GenealogyFeed


def genealogy_world() -> GenealogyWorld:
    # factory_boy's calls are typed as returning the factory; they return the model instance.
    supplier: Any
    steel: Any
    resin: Any
    pad: Any
    customer_a: Any
    customer_b: Any
    shipment_a: Any
    shipment_b: Any
    feed: Any
    supplier = SupplierFactory()
    steel = LotFactory(number="R-STEEL", supplier=supplier, supplier_batch="ST-01")
    resin = LotFactory(number="R-RESIN", supplier=supplier, supplier_batch="RS-07")
    pad = LotFactory(number="R-PAD", supplier_batch="PD-03")
    body = production_lot("W-BODY", quantity=Decimal("200"))
    caliper = ItemFactory(part_number="BC-100", name="制动钳", name_en="Brake caliper")
    caliper_1 = production_lot("F-CAL-1", item=caliper, quantity=Decimal("100"))
    caliper_2 = production_lot("F-CAL-2", item=caliper, quantity=Decimal("100"))
    loose = production_lot("F-LOOSE")
    feed = GenealogyFeedFactory()
    for consumed, produced in (
        (steel, body),
        (resin, body),
        (body, caliper_1),
        (body, caliper_2),
        (pad, caliper_2),
    ):
        LotLinkFactory(consumed=consumed, produced=produced, feed=feed)
    customer_a = CustomerFactory(code="KA", name="客户甲", name_en="Customer A")
    customer_b = CustomerFactory(code="KB", name="客户乙", name_en="Customer B")
    shipment_a = ShipmentFactory(number="SH-A", customer=customer_a)
    shipment_b = ShipmentFactory(number="SH-B", customer=customer_b)
    ShipmentLineFactory(shipment=shipment_a, lot=caliper_1)
    ShipmentLineFactory(shipment=shipment_b, lot=caliper_2)
    return GenealogyWorld(
        steel, resin, pad, body, caliper_1, caliper_2, loose, customer_a, customer_b,
        shipment_a, shipment_b, feed,
    )  # fmt: skip
