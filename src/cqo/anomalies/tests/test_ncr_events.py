"""NCRs the system raises from other domains' events: a rejected lot, an SPC alarm (§6 c))."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cqo.anomalies.models import Anomaly, AnomalySource, FoundAt
from cqo.masterdata import events
from cqo.testing.masterdata import CharacteristicFactory, LotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(module_org: Any, db: Any) -> Any:
    return module_org


class _Samplings:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def all(self) -> list[Any]:
        return self.rows


def _inspection_lot(lot: Any, inspector: Any) -> Any:
    """What the inspection app sends with ``lot_rejected`` (its record, read by attribute:
    the anomalies app never imports it); the browser flow sends the real one."""
    return SimpleNamespace(
        number="IQC-20261206-000042",
        gate="iqc",
        supplier=lot.supplier,
        nonconforming=2,
        decision_note="",
        decided_at=timezone.now(),
        inspector=inspector,
        samplings=_Samplings(
            [SimpleNamespace(defect_class="MA", nonconforming=2, re=2),
             SimpleNamespace(defect_class="CR", nonconforming=0, re=1)]
        ),
        get_absolute_url=lambda: "/inspection/lots/42/",
    )  # fmt: skip


def test_a_rejected_lot_opens_one_ncr_by_itself_with_the_lot_and_inspection(org: Any) -> None:
    lot = LotFactory(quantity=Decimal("800"), stock_status="rejected")
    ilot = _inspection_lot(lot, org.inspector)
    events.lot_rejected.send(sender=None, inspection_lot=ilot, lot=lot, actor=org.inspector)
    ncr = Anomaly.objects.get()
    assert (ncr.source, ncr.source_ref, ncr.source_url) == (
        AnomalySource.LOT_REJECTED, ilot.number, "/inspection/lots/42/",
    )  # fmt: skip
    assert (ncr.item, ncr.supplier) == (lot.item, lot.supplier)
    assert ncr.quantity == Decimal("800") and ncr.found_at == FoundAt.IQC
    assert ncr.defect_class == "MA" and ncr.raised_by == org.inspector
    assert [(r.lot, r.quantity, r.quarantined) for r in ncr.lots.all()] == [
        (lot, Decimal("800"), Decimal("800"))
    ]
    # Heard again (a retried job, a second receiver): still one NCR.
    events.lot_rejected.send(sender=None, inspection_lot=ilot, lot=lot, actor=org.inspector)
    assert Anomaly.objects.count() == 1


def test_a_voided_lot_rejected_opens_no_ncr_and_says_why(org: Any) -> None:
    lot = LotFactory(voided_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        events.lot_rejected.send(
            sender=None, inspection_lot=_inspection_lot(lot, org.inspector), lot=lot,
            actor=org.inspector,
        )  # fmt: skip
    assert "lots" in refused.value.message_dict
    assert not Anomaly.objects.exists()


def test_an_spc_alarm_opens_one_ncr_on_the_characteristics_item(org: Any) -> None:
    char = CharacteristicFactory(defect_class="MA")

    class Alarm:
        pk = 7
        rules = "R1"
        point_label = "2026-12-01 08:00"
        inspection_lot = None

    events.spc_alarm_raised.send(sender=None, alarm=Alarm(), characteristic=char)
    events.spc_alarm_raised.send(sender=None, alarm=Alarm(), characteristic=char)
    ncr = Anomaly.objects.get()
    assert (ncr.source, ncr.source_ref, ncr.item) == ("spc_alarm", "SPC-7", char.item)
    assert ncr.raised_by is None and ncr.found_at == FoundAt.IPQC
