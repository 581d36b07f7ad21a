"""Raising an NCR by hand and from the other domains' events (§6 c))."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqo.anomalies.models import Anomaly, AnomalySource, AnomalyStatus
from cqo.anomalies.services_ncr import LotLine, anomaly_raise, hold_source
from cqo.audit.models import AuditEvent
from cqo.masterdata import events
from cqo.testing.anomalies import DefectCodeFactory, ncr_make
from cqo.testing.masterdata import ItemFactory, LotFactory

pytestmark = pytest.mark.django_db


def test_it_raises_an_ncr_with_a_number_lots_defects_and_one_audit_event(org: Any) -> None:
    item = ItemFactory(family="valve")
    lot = LotFactory(item=item, quantity=Decimal("300"))
    cr = DefectCodeFactory(family="valve", defect_class="CR")
    mi = DefectCodeFactory(family="valve", defect_class="MI")
    ncr = ncr_make(org, item=item, lots=[lot], defects=[(mi, 3), (cr, 1)])
    assert ncr.number == f"NCR-{timezone.now():%Y}-{ncr.pk:06d}"
    assert ncr.status == AnomalyStatus.OPEN
    assert ncr.quantity == Decimal("300")
    assert ncr.defect_class == "CR"
    assert ncr.supplier == lot.supplier
    assert [r.lot for r in ncr.lots.all()] == [lot]
    assert (
        AuditEvent.objects.filter(action="anomalies.anomaly.raise", object_id=str(ncr.pk)).count()
        == 1
    )


def test_it_refuses_a_voided_lot_naming_the_field_and_the_clause(org: Any) -> None:
    lot = LotFactory(voided_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        anomaly_raise(actor=org.inspector, title="x", lots=[LotLine(lot=lot)])
    assert "lots" in refused.value.message_dict
    assert "§6 c)" in refused.value.message_dict["lots"][0]
    assert not Anomaly.objects.exists()


def test_it_refuses_a_defect_of_another_family(org: Any) -> None:
    item = ItemFactory(family="valve")
    other = DefectCodeFactory(family="piston")
    with pytest.raises(ValidationError) as refused:
        ncr_make(org, item=item, defects=[(other, 1)])
    assert "defects" in refused.value.message_dict


def test_a_person_without_a_role_cannot_raise_one(org: Any) -> None:
    from cqo.testing.factories import UserFactory

    with pytest.raises(PermissionDenied):
        anomaly_raise(actor=UserFactory(), title="x")


def test_a_requested_anomaly_is_raised_once_per_source_reference(org: Any) -> None:
    lot = LotFactory()
    kwargs = dict(
        sender=None,
        source=AnomalySource.INCIDENT,
        source_ref="INC-1",
        title="事故",
        actor=org.engineer,
        lots=[lot],
    )
    first = events.anomaly_requested.send(**kwargs)[0][1]
    second = events.anomaly_requested.send(**kwargs)[0][1]
    assert first.pk == second.pk
    assert first.source == "incident" and first.item == lot.item
    assert first.number.startswith("NCR-")


def test_the_hold_source_names_the_ncr(org: Any) -> None:
    ncr = ncr_make(org)
    assert hold_source(ncr) == f"anomalies:{ncr.number}"
