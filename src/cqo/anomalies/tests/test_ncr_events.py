"""NCRs the system raises from other domains' events: a rejected lot, an SPC alarm (§6 c))."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cqo.anomalies.models import Anomaly, AnomalySource, FoundAt
from cqo.inspection import services_results as S
from cqo.masterdata import events
from cqo.testing.results import full_rows, inspection_lot

pytestmark = pytest.mark.django_db


def test_a_rejected_lot_opens_one_ncr_by_itself_with_the_lot_and_inspection(org: Any) -> None:
    sheet = inspection_lot(org.engineer, quantity="800")
    S.results_record(actor=org.inspector, inspection_lot=sheet.ilot,
                     rows=full_rows(sheet, bad_bore=(2, 7)))  # fmt: skip
    ilot = S.inspection_lot_decide(
        actor=org.inspector, inspection_lot=sheet.ilot, decision="reject"
    )
    ncr = Anomaly.objects.get()
    assert (ncr.source, ncr.source_ref) == (AnomalySource.LOT_REJECTED, ilot.number)
    assert (ncr.item, ncr.supplier) == (ilot.item, ilot.supplier)
    assert ncr.quantity == Decimal("800") and ncr.found_at == FoundAt.IQC
    assert ncr.defect_class == "MA" and ncr.raised_by == org.inspector
    assert [(r.lot, r.quantity, r.quarantined) for r in ncr.lots.all()] == [
        (ilot.lot, Decimal("800"), Decimal("800"))
    ]
    # Heard again (a retried job, a second receiver): still one NCR.
    events.lot_rejected.send(sender=None, inspection_lot=ilot, lot=ilot.lot, actor=org.inspector)
    assert Anomaly.objects.count() == 1


def test_an_spc_alarm_opens_one_ncr_on_the_characteristics_item(org: Any) -> None:
    from cqo.testing.masterdata import CharacteristicFactory

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
