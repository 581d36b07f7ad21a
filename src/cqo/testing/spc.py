# mypy: disable-error-code="misc"
# (factory_boy calls are typed as the factory, not the model they return.)
"""Set-up for the SPC tests: inspection lots of one item with values of one characteristic,
written straight to the database (the results part's services are tested there)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils import timezone

from cqo.inspection.models import (
    InspectionLot,
    InspectionPlan,
    InspectionStatus,
    Measurement,
    Severity,
)
from cqo.masterdata.models import Gate, Lot, LotOrigin
from cqo.testing.masterdata import CharacteristicFactory, ItemFactory, SupplierFactory

START = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)


class SpcWorld:
    """One item, one variable characteristic (10.00 ± 0.05 mm unless told), its plan, and as
    many lots as the test adds."""

    def __init__(self, user: Any, *, special: bool = False, **characteristic: Any) -> None:
        self.user = user
        self.item: Any = ItemFactory()
        self.supplier: Any = SupplierFactory()
        self.characteristic: Any = CharacteristicFactory(
            item=self.item, special=special, **characteristic
        )
        self.plan = InspectionPlan.objects.create(item=self.item, gate=Gate.IQC, owner=user)
        self.lots: list[InspectionLot] = []
        self.clock = START

    def add(
        self,
        subgroups: Sequence[Sequence[float]],
        *,
        step: datetime.timedelta = datetime.timedelta(hours=1),
        characteristic: Any = None,
    ) -> list[InspectionLot]:
        """One inspection lot per subgroup, one measurement per value, an hour apart."""
        characteristic = characteristic or self.characteristic
        made: list[InspectionLot] = []
        n0 = len(self.lots)
        masters = Lot.objects.bulk_create(
            Lot(
                number=f"L-{characteristic.pk}-{n0 + i:06d}",
                item=self.item,
                origin=LotOrigin.RECEIPT,
                quantity=Decimal("500"),
                supplier=self.supplier,
                supplier_batch=f"B-{characteristic.pk}-{n0 + i:06d}",
                arrived_on=(self.clock + step * i).date(),
                created_by=self.user,
            )
            for i in range(len(subgroups))
        )
        made = InspectionLot.objects.bulk_create(
            InspectionLot(
                number=f"IL-{characteristic.pk}-{n0 + i:06d}",
                lot=master,
                gate=Gate.IQC,
                plan=self.plan,
                severity=Severity.NORMAL,
                item=self.item,
                supplier=self.supplier,
                lot_size=Decimal("500"),
                status=InspectionStatus.IN_PROGRESS,
                created_by=self.user,
                created_at=self.clock + step * i,
            )
            for i, master in enumerate(masters)
        )
        rows = []
        for i, (ilot, values) in enumerate(zip(made, subgroups, strict=True)):
            at = self.clock + step * i
            for j, v in enumerate(values):
                rows.append(
                    Measurement(
                        inspection_lot=ilot,
                        characteristic=characteristic,
                        sample_no=j + 1,
                        value=Decimal(f"{v:.6f}"),
                        conforming=True,
                        measured_at=at + datetime.timedelta(seconds=j),
                        recorded_by=self.user,
                    )
                )
        Measurement.objects.bulk_create(rows, batch_size=2000)
        self.clock = self.clock + step * len(subgroups)
        self.lots.extend(made)
        return made


def stable(
    k: int, n: int = 5, *, mean: float = 10.0, sigma: float = 0.01, seed: int = 7
) -> list[list[float]]:
    """k subgroups of n values from a normal process (seeded, rounded as a caliper reads)."""
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(mean, sigma, size=(k, n)), 4).tolist()  # type: ignore[no-any-return]


def now() -> datetime.datetime:
    return timezone.now()
