"""Factories for the master data (items, characteristics, suppliers, customers, work centres,
instruments, lots, shipments): set-up for every domain's tests. They write straight to the
database; tests of behaviour call the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from cqo.masterdata.models import (
    ApprovedSupplier,
    Characteristic,
    CharacteristicKind,
    Customer,
    DefectClass,
    Instrument,
    Item,
    ItemKind,
    Lot,
    LotOrigin,
    Operation,
    Shipment,
    ShipmentLine,
    Supplier,
    SupplierStatus,
    WorkCentre,
)
from cqo.organisation.validators import credit_code_complete

from .factories import UserFactory


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    part_number = factory.Sequence(lambda n: f"P-{n:05d}")
    name = factory.Sequence(lambda n: f"零件{n}")
    name_en = factory.Sequence(lambda n: f"Part {n}")
    kind = ItemKind.PART
    drawing_number = factory.Sequence(lambda n: f"DWG-{n:05d}")
    revision = "A"


class CharacteristicFactory(factory.django.DjangoModelFactory):
    """A variable characteristic 10.00 ± 0.05 mm unless told otherwise."""

    class Meta:
        model = Characteristic

    item = factory.SubFactory(ItemFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"尺寸{n}")
    name_en = factory.Sequence(lambda n: f"Dimension {n}")
    kind = CharacteristicKind.VARIABLE
    defect_class = DefectClass.MA
    nominal = Decimal("10.00")
    lsl = Decimal("9.95")
    usl = Decimal("10.05")
    unit = "mm"
    instrument_type = "卡尺"


class AttributeCharacteristicFactory(CharacteristicFactory):
    kind = CharacteristicKind.ATTRIBUTE
    nominal = factory.LazyFunction(lambda: None)  # type: ignore[assignment]
    lsl = factory.LazyFunction(lambda: None)  # type: ignore[assignment]
    usl = factory.LazyFunction(lambda: None)  # type: ignore[assignment]
    unit = ""
    instrument_type = ""
    name = factory.Sequence(lambda n: f"外观{n}")
    name_en = factory.Sequence(lambda n: f"Appearance {n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"供应商{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Supplier {n} Co., Ltd.")
    credit_code = factory.Sequence(lambda n: credit_code_complete(f"91500000{n:08d}"))
    status = SupplierStatus.QUALIFIED


class ApprovedSupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovedSupplier

    item = factory.SubFactory(ItemFactory)
    supplier = factory.SubFactory(SupplierFactory)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"K{n:04d}")
    name = factory.Sequence(lambda n: f"客户{n}")
    name_en = factory.Sequence(lambda n: f"Customer {n}")


class WorkCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkCentre

    code = factory.Sequence(lambda n: f"L{n:02d}")
    name = factory.Sequence(lambda n: f"产线{n}")
    name_en = factory.Sequence(lambda n: f"Line {n}")


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation

    item = factory.SubFactory(ItemFactory)
    sequence = factory.Sequence(lambda n: (n + 1) * 10)
    name = "机加工"
    name_en = "Machining"
    work_centre = factory.SubFactory(WorkCentreFactory)


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    number = factory.Sequence(lambda n: f"M-{n:04d}")
    name = "数显卡尺"
    name_en = "Digital caliper"
    instrument_type = "卡尺"
    range_low = Decimal("0")
    range_high = Decimal("150")
    unit = "mm"
    resolution = Decimal("0.01")


class LotFactory(factory.django.DjangoModelFactory):
    """A received lot of 500 in quarantine."""

    class Meta:
        model = Lot

    number = factory.Sequence(lambda n: f"LOT-{n:06d}")
    item = factory.SubFactory(ItemFactory)
    origin = LotOrigin.RECEIPT
    quantity = Decimal("500")
    supplier = factory.SubFactory(SupplierFactory)
    supplier_batch = factory.Sequence(lambda n: f"B{n:06d}")
    arrived_on = factory.LazyFunction(datetime.date.today)
    created_by = factory.SubFactory(UserFactory)


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shipment

    number = factory.Sequence(lambda n: f"SH-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    planned_on = factory.LazyFunction(datetime.date.today)
    created_by = factory.SubFactory(UserFactory)


class ShipmentLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShipmentLine

    shipment = factory.SubFactory(ShipmentFactory)
    lot = factory.SubFactory(LotFactory)
    quantity = Decimal("100")
