# mypy: disable-error-code="misc"
# (factory_boy calls are typed as the factory, not the model they return.)
"""Set-up for the results part's tests: an IQC inspection lot drawn under a plan with two
measured characteristics of class MA and one counted characteristic of class CR, written straight
to the database (the lots part's services draw real lots; here the snapshot is given)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.inspection.models import (
    InspectionLot,
    InspectionPlan,
    LotSampling,
    PlanCharacteristic,
    PlanStatus,
    SamplingMethod,
    Severity,
    SwitchingStream,
)
from cqo.masterdata.models import DefectClass, Gate
from cqo.testing.masterdata import (
    AttributeCharacteristicFactory,
    CharacteristicFactory,
    InstrumentFactory,
    ItemFactory,
    LotFactory,
    SupplierFactory,
)


@dataclass
class Sheet:
    ilot: InspectionLot
    bore: Any  # MA, 10.00 ± 0.05 mm
    length: Any  # MA, 10.00 ± 0.05 mm
    crack: Any  # CR, counted
    caliper: Any  # an instrument in use


_numbers = iter(range(1, 10**6))


def inspection_lot(
    owner: Any,
    *,
    n_ma: int = 13,
    ac_ma: int = 1,
    n_cr: int = 13,
    ac_cr: int = 0,
    characteristics: int = 0,
    quantity: str = "500",
) -> Sheet:
    """An IQC inspection lot of ``quantity`` in quarantine; ``characteristics`` more MA
    dimensions when asked (for a wide grid)."""
    item = ItemFactory()
    supplier = SupplierFactory()
    lot = LotFactory(item=item, supplier=supplier, quantity=Decimal(quantity), created_by=owner)
    bore = CharacteristicFactory(item=item, code="BORE", defect_class=DefectClass.MA)
    length = CharacteristicFactory(item=item, code="LEN", defect_class=DefectClass.MA)
    crack = AttributeCharacteristicFactory(item=item, code="CRACK", defect_class=DefectClass.CR)
    extra = [
        CharacteristicFactory(item=item, code=f"D{i:02d}", defect_class=DefectClass.MA)
        for i in range(characteristics)
    ]
    plan = InspectionPlan.objects.create(
        item=item, gate=Gate.IQC, status=PlanStatus.APPROVED, owner=owner
    )
    for seq, c in enumerate([bore, length, crack, *extra]):
        PlanCharacteristic.objects.create(plan=plan, characteristic=c, sequence=seq)
    stream = SwitchingStream.objects.create(gate=Gate.IQC, item=item, supplier=supplier)
    ilot = InspectionLot.objects.create(
        number=f"IL-T{next(_numbers):05d}",
        lot=lot,
        gate=Gate.IQC,
        plan=plan,
        stream=stream,
        severity=Severity.NORMAL,
        item=item,
        supplier=supplier,
        lot_size=lot.quantity,
        created_by=owner,
        created_at=timezone.now(),
    )
    for cls, n, ac in ((DefectClass.MA, n_ma, ac_ma), (DefectClass.CR, n_cr, ac_cr)):
        LotSampling.objects.create(
            inspection_lot=ilot,
            defect_class=cls,
            method=SamplingMethod.GBT2828,
            level="II",
            aql="1.0" if cls == DefectClass.MA else "0.065",
            severity=Severity.NORMAL,
            code_letter="H",
            n=n,
            ac=ac,
            re=ac + 1,
        )
    return Sheet(ilot, bore, length, crack, InstrumentFactory())


def full_rows(
    sheet: Sheet, *, bad_bore: tuple[int, ...] = (), cracked: tuple[int, ...] = ()
) -> list[dict[str, Any]]:
    """Every sample unit's results: in spec, except the bores and cracks named."""
    n = LotSampling.objects.get(inspection_lot=sheet.ilot, defect_class="MA").n
    n_cr = LotSampling.objects.get(inspection_lot=sheet.ilot, defect_class="CR").n
    rows: list[dict[str, Any]] = []
    for no in range(1, n + 1):
        rows.append(
            {"characteristic_id": sheet.bore.pk, "sample_no": no,
             "value": "10.09" if no in bad_bore else "10.01", "instrument_id": sheet.caliper.pk}
        )  # fmt: skip
        rows.append(
            {"characteristic_id": sheet.length.pk, "sample_no": no, "value": "9.98",
             "instrument_id": sheet.caliper.pk}
        )  # fmt: skip
    for no in range(1, n_cr + 1):
        rows.append(
            {"characteristic_id": sheet.crack.pk, "sample_no": no,
             "defects": 1 if no in cracked else 0,
             "defect_type": "裂纹" if no in cracked else ""}
        )  # fmt: skip
    return rows
