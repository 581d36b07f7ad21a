"""The demo year of NCRs written in bulk (``demo_year``), on a handful of lots: it follows the
services' rules (numbers, the worst class, closer not the owner), gives every rejected lot
without an NCR its own, counts what the scenarios raised, and leaves one audit event per batch."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cqo.anomalies import demo_year
from cqo.anomalies.models import Anomaly, AnomalyDefect, AnomalyLot, AnomalySource, AnomalyStatus
from cqo.audit.models import AuditEvent
from cqo.masterdata.models import DefectClass, StockStatus
from cqo.organisation import roles as R
from cqo.testing.analysis import ago, ncr_row
from cqo.testing.anomalies import DefectCodeFactory
from cqo.testing.factories import member
from cqo.testing.masterdata import ItemFactory, LotFactory

pytestmark = pytest.mark.django_db

RANK = {DefectClass.CR: 0, DefectClass.MA: 1, DefectClass.MI: 2}


@pytest.fixture
def lots(db: Any) -> dict[str, Any]:
    for name, role in (("qe1", R.QUALITY_ENGINEER), ("qe2", R.QUALITY_ENGINEER),
                       ("cqo", R.CQO), ("inspector1", R.INSPECTOR)):  # fmt: skip
        member([role], username=name)
    item = ItemFactory(family="valve")
    for code, cls in (("D1", DefectClass.MI), ("D2", DefectClass.MA), ("D3", DefectClass.CR)):
        DefectCodeFactory(family="valve", code=code, defect_class=cls)
    rejected = [
        LotFactory(item=item, arrived_on=ago(days), stock_status=StockStatus.REJECTED)
        for days in (200, 100, 20)
    ]
    released = [
        LotFactory(item=item, arrived_on=ago(days), stock_status=StockStatus.RELEASED)
        for days in range(5, 300, 25)
    ]
    return {"item": item, "rejected": rejected, "released": released}


def test_the_year_opens_an_ncr_for_each_rejected_lot_and_fills_up_to_the_scale(
    lots: dict[str, Any],
) -> None:
    # The scenarios raised one NCR already, on the first rejected lot: it counts, and its lot
    # gets no second NCR.
    first = ncr_row(item=lots["item"], found_on=ago(199))
    AnomalyLot.objects.create(anomaly=first, lot=lots["rejected"][0], quantity=Decimal(500))
    counts = demo_year.year_build(scale=demo_year.YearScale(ncrs=40, batch=15, gate_share=0.75))
    assert Anomaly.objects.count() == 40 and counts["ncrs"] == 39
    from_rejected = Anomaly.objects.filter(source=AnomalySource.LOT_REJECTED)
    assert sorted(from_rejected.values_list("source_ref", flat=True)) == sorted(
        lot.number for lot in lots["rejected"][1:]
    )
    for lot in lots["rejected"]:
        assert AnomalyLot.objects.filter(lot=lot).count() == 1
    # Three batches of at most 15, each with its audit event and digest.
    events = AuditEvent.objects.filter(action="anomalies.demo.bulk")
    assert events.count() == 3 and all(len(e.after["sha256"]) == 64 for e in events)


def test_the_years_ncrs_follow_the_services_rules(lots: dict[str, Any]) -> None:
    demo_year.year_build(scale=demo_year.YearScale(ncrs=60, batch=100, gate_share=0.75))
    now = timezone.now()
    year_ago = timezone.localdate() - datetime.timedelta(days=366)
    for ncr in Anomaly.objects.all():
        assert ncr.number == f"NCR-{ncr.raised_at:%Y}-{ncr.pk:06d}"
        assert year_ago <= ncr.found_on < timezone.localdate()
        classes = list(
            AnomalyDefect.objects.filter(anomaly=ncr).values_list("defect_class", flat=True)
        )
        assert classes and ncr.defect_class == min(classes, key=RANK.__getitem__)
        assert (
            sum(AnomalyDefect.objects.filter(anomaly=ncr).values_list("quantity", flat=True))
            == ncr.quantity
        )
        if ncr.status == AnomalyStatus.CLOSED:
            assert ncr.raised_at < ncr.closed_at < now
            assert ncr.closed_by_id != ncr.owner_id
        else:
            assert ncr.closed_at is None
    # Old NCRs are mostly closed, the newest mostly not: the ageing has something to show.
    statuses = set(Anomaly.objects.values_list("status", flat=True))
    assert AnomalyStatus.CLOSED in statuses and len(statuses) > 1
