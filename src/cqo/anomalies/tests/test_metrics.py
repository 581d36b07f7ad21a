"""The anomalies measures of the metric registry (§7.1.2): NCR closure days and repeat rate by
responsible unit, complaints counted, customer PPM over what was shipped; no data → missing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.anomalies import services_complaints as S
from cqo.anomalies.models_ncr import AnomalyStatus, DefectCode
from cqo.core.metrics import metric_compute
from cqo.masterdata.models import ShipmentStatus
from cqo.testing.analysis import at, ncr_row
from cqo.testing.complaints import complaint_world
from cqo.testing.masterdata import ItemFactory, ShipmentFactory, ShipmentLineFactory

JAN1, JAN31 = datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)


def _d(n: int) -> datetime.date:
    return datetime.date(2026, 1, n)


def test_closure_days_average_the_ncrs_closed_in_the_period_of_the_unit(org: Any) -> None:
    item = ItemFactory()
    closed = AnomalyStatus.CLOSED
    ncr_row(item=item, found_on=_d(1), status=closed, closed_at=at(_d(5)), unit=org.production)
    ncr_row(item=item, found_on=_d(2), status=closed, closed_at=at(_d(12)), unit=org.production)
    ncr_row(item=item, found_on=_d(2), status=closed, closed_at=at(_d(30)), unit=org.qm)
    ncr_row(item=item, found_on=_d(3))  # still open
    whole = metric_compute("anomalies.ncr_closure_days", first=JAN1, last=JAN31)
    assert whole.value is not None and whole.value.value == Decimal("14.0")  # (4+10+28)/3
    unit = metric_compute(
        "anomalies.ncr_closure_days", first=JAN1, last=JAN31, unit_id=org.production.pk
    )
    assert unit.value is not None and unit.value.value == Decimal("7.0")
    assert metric_compute(
        "anomalies.ncr_closure_days", first=JAN1, last=JAN31, unit_id=org.lab.pk
    ).missing


def test_the_repeat_rate_counts_a_defect_seen_again_on_the_same_item_within_the_window(
    org: Any,
) -> None:
    item = ItemFactory()
    scratch = DefectCode.objects.create(family="valve", code="D1", name="划伤", name_en="Scratch",
                                        defect_class="MI")  # fmt: skip
    ncr_row(item=item, found_on=datetime.date(2025, 12, 20), defects=[(scratch, 1)])
    ncr_row(item=item, found_on=_d(10), defects=[(scratch, 1)])  # a repeat of December's
    ncr_row(item=ItemFactory(), found_on=_d(11), defects=[(scratch, 1)])  # another item
    found = metric_compute("anomalies.ncr_repeat_rate", first=JAN1, last=JAN31)
    assert found.value is not None
    assert (found.value.numerator, found.value.denominator, found.value.value) == (
        Decimal(1), Decimal(2), Decimal("50.0"),
    )  # fmt: skip
    assert metric_compute(
        "anomalies.ncr_repeat_rate", first=datetime.date(2026, 3, 1),
        last=datetime.date(2026, 3, 31),
    ).missing  # fmt: skip


def test_complaints_and_customer_ppm_need_their_register_and_shipments(org: Any) -> None:
    first, last = timezone.localdate().replace(day=1), timezone.localdate()
    assert metric_compute("anomalies.complaints", first=first, last=last).missing
    w = complaint_world(created_by=org.engineer)
    S.complaint_record(actor=org.engineer, customer=w.customer, item=w.item, description="划伤",
                       quantity="5")  # fmt: skip
    count = metric_compute("anomalies.complaints", first=first, last=last)
    assert count.value is not None and count.value.value == Decimal(1)
    assert metric_compute("anomalies.customer_ppm", first=first, last=last).missing
    shipment = ShipmentFactory(customer=w.customer, planned_on=last, status=ShipmentStatus.SHIPPED,
                               created_by=org.engineer)  # fmt: skip
    ShipmentLineFactory(shipment=shipment, lot=w.lot, quantity=Decimal("10000"))
    ppm = metric_compute("anomalies.customer_ppm", first=first, last=last)
    assert ppm.value is not None and ppm.value.value == Decimal(500)
