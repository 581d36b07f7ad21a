"""Factories for the inspection records (plans, inspection lots and their sampling, switching
streams): set-up for the inspection parts' tests. They write straight to the database; tests of
behaviour call the services.

``approved_plan(item=..., gate=...)`` gives a plan in force with a sampling row per defect class
and the item's characteristics (made when the item has none); ``InspectionLotFactory`` draws an
inspection lot whose ``LotSampling`` rows are what ``cqo.methods.sampling.sampling_plan`` gives
for its lot size, level, AQL and severity.
"""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from cqo.inspection.models import (
    InspectionKind,
    InspectionLot,
    InspectionPlan,
    LotSampling,
    PlanCharacteristic,
    PlanSampling,
    PlanStatus,
    SamplingMethod,
    Severity,
    SwitchingStream,
)
from cqo.masterdata.models import DefectClass, Gate, Item

from .factories import UserFactory
from .masterdata import (
    ApprovedSupplierFactory,
    AttributeCharacteristicFactory,
    CharacteristicFactory,
    ItemFactory,
    LotFactory,
)

# GB/T 2828.1 level II with AQLs a motorcycle-parts maker would use per class.
DEFAULT_SAMPLING: dict[str, dict[str, Any]] = {
    DefectClass.CR: {"method": SamplingMethod.GBT2828, "level": "II", "aql": "0.065"},
    DefectClass.MA: {"method": SamplingMethod.GBT2828, "level": "II", "aql": "1.0"},
    DefectClass.MI: {"method": SamplingMethod.GBT2828, "level": "II", "aql": "2.5"},
}


class InspectionPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan for an item at the incoming gate, sampling every class at level II
    (``samplings={"MA": {...}}`` to choose, ``characteristics=[...]`` to name them)."""

    class Meta:
        model = InspectionPlan
        skip_postgeneration_save = True

    item = factory.SubFactory(ItemFactory)
    gate = Gate.IQC
    supplier = None
    version = 1
    status = PlanStatus.DRAFT
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def samplings(self: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        spec = DEFAULT_SAMPLING if extracted is None else extracted
        PlanSampling.objects.bulk_create(
            [
                PlanSampling(plan=self, defect_class=code, **{"level": "", "aql": "", **row})
                for code, row in spec.items()
            ]
        )

    @factory.post_generation
    def characteristics(self: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        chars = list(extracted) if extracted is not None else _item_characteristics(self.item)
        PlanCharacteristic.objects.bulk_create(
            [
                PlanCharacteristic(plan=self, characteristic=c, sequence=(i + 1) * 10)
                for i, c in enumerate(chars)
            ]
        )


def _item_characteristics(item: Item) -> list[Any]:
    found: list[Any] = list(item.characteristics.filter(voided_at__isnull=True))
    if not found:
        found = [
            CharacteristicFactory(item=item),
            AttributeCharacteristicFactory(item=item, defect_class=DefectClass.MI),
        ]
    return found


def approved_plan(
    *,
    item: Any = None,
    gate: str = Gate.IQC,
    supplier: Any = None,
    version: int = 1,
    **kwargs: Any,
) -> Any:
    """A plan in force (approved) for item × gate (× supplier)."""
    item = item if item is not None else ItemFactory()
    return InspectionPlanFactory(
        item=item,
        gate=gate,
        supplier=supplier,
        version=version,
        status=PlanStatus.APPROVED,
        approved_at=timezone.now(),
        **kwargs,
    )


def approved_receipt_world(*, item: Any = None, supplier: Any = None) -> tuple[Any, Any, Any]:
    """An item with a plan in force at the incoming gate and a supplier on its approved list:
    what ``receipt_create`` needs. Returns (item, supplier, plan)."""
    asl = ApprovedSupplierFactory(
        **({"item": item} if item is not None else {}),
        **({"supplier": supplier} if supplier is not None else {}),
    )
    plan = approved_plan(item=asl.item, gate=Gate.IQC)
    return asl.item, asl.supplier, plan


def stream_of(lot: Any, gate: str) -> SwitchingStream:
    from cqo.inspection.switching import stream_for

    return stream_for(gate=gate, item=lot.item, supplier=lot.supplier, work_centre=lot.work_centre)


class InspectionLotFactory(factory.django.DjangoModelFactory):
    """An open inspection lot of a received lot of 500 at the incoming gate, drawn under an
    approved plan and its stream's severity (``severity="tightened"`` to draw tightened)."""

    class Meta:
        model = InspectionLot
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"IQC-T-{n:06d}")
    lot = factory.SubFactory(LotFactory)
    gate = Gate.IQC
    kind = InspectionKind.LOT
    plan = factory.LazyAttribute(lambda o: approved_plan(item=o.lot.item, gate=o.gate))
    stream = factory.LazyAttribute(
        lambda o: stream_of(o.lot, o.gate) if o.kind == InspectionKind.LOT else None
    )
    severity = Severity.NORMAL
    item = factory.LazyAttribute(lambda o: o.lot.item)
    supplier = factory.LazyAttribute(lambda o: o.lot.supplier)
    lot_size = factory.LazyAttribute(lambda o: o.lot.quantity)
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def samplings(self: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        from cqo.inspection.services_lots import draw, lot_size_of

        rows = draw(
            plan=self.plan,
            lot_size=lot_size_of(self.lot.quantity),
            severity=self.severity,
            kind=self.kind,
        )
        LotSampling.objects.bulk_create([LotSampling(inspection_lot=self, **r) for r in rows])
