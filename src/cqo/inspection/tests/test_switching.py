"""Switching per stream (GB/T 2828.1 clause 9): the decided lots move the stream, each
transition is recorded with the rule that fired, a discontinued stream refuses receipts until
the CQO restores inspection."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqo.audit.models import AuditEvent
from cqo.inspection import services_lots as S
from cqo.inspection.models import InspectionLot, Severity, SwitchingEvent, SwitchingStream
from cqo.inspection.switching import governing_sampling, stream_record, stream_resume
from cqo.masterdata.models import Lot
from cqo.methods.sampling import sampling_plan
from cqo.testing.inspection import DEFAULT_SAMPLING, approved_receipt_world
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
_batches = iter(range(1, 10_000))


def _receive(org: Org, item: Any, supplier: Any, quantity: int = 1200) -> InspectionLot:
    return S.receipt_create(
        actor=org.inspector, item=item, supplier=supplier, supplier_batch=f"B{next(_batches)}",
        quantity=quantity, arrived_on=TODAY,
    )  # fmt: skip


def _decide(org: Org, ilot: InspectionLot, *, accepted: bool) -> SwitchingEvent | None:
    """What the usage decision does with the stream: the governing class's count and plan."""
    gov = governing_sampling(ilot)
    assert gov is not None
    found = 0 if accepted else gov.re
    assert ilot.stream is not None
    return stream_record(
        actor=org.inspector, stream=ilot.stream, inspection_lot=ilot, accepted=accepted,
        nonconforming=found, ac=gov.ac, re=gov.re,
    )  # fmt: skip


def test_two_rejections_switch_the_supplier_to_tightened_and_the_next_lot_draws_the_tightened_plan(
    org: Org,
) -> None:
    item, supplier, _plan = approved_receipt_world()
    first = _receive(org, item, supplier)
    assert _decide(org, first, accepted=False) is None
    event = _decide(org, _receive(org, item, supplier), accepted=False)
    assert event is not None and event.rule == "normal_to_tightened"
    assert (event.from_state, event.to_state) == ("normal", "tightened")
    stream = SwitchingStream.objects.get(pk=first.stream_id)
    assert stream.state == Severity.TIGHTENED
    audit = AuditEvent.objects.get(action="inspection.stream.switch", object_id=str(stream.pk))
    assert audit.after["rule"] == "normal_to_tightened" and audit.clause == "§6 e)"
    nxt = _receive(org, item, supplier)
    assert nxt.severity == Severity.TIGHTENED
    for row in nxt.samplings.all():
        spec = DEFAULT_SAMPLING[row.defect_class]
        expected = sampling_plan(1200, spec["level"], spec["aql"], "tightened")
        assert (row.severity, row.code_letter, row.n, row.ac, row.re) == (
            "tightened", expected.code, expected.n, expected.ac, expected.re,
        )  # fmt: skip


def test_an_accepted_lot_between_two_rejections_still_switches_within_five(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    _decide(org, _receive(org, item, supplier), accepted=False)
    _decide(org, _receive(org, item, supplier), accepted=True)
    _decide(org, _receive(org, item, supplier), accepted=True)
    event = _decide(org, _receive(org, item, supplier), accepted=False)
    assert event is not None and event.to_state == "tightened"


def test_five_accepted_on_tightened_return_the_stream_to_normal(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    for _ in range(2):
        _decide(org, _receive(org, item, supplier), accepted=False)
    events = [_decide(org, _receive(org, item, supplier), accepted=True) for _ in range(5)]
    assert [e.rule for e in events if e] == ["tightened_to_normal"]
    assert _receive(org, item, supplier).severity == Severity.NORMAL


def _discontinue(org: Org, item: Any, supplier: Any) -> SwitchingStream:
    for _ in range(2):
        _decide(org, _receive(org, item, supplier), accepted=False)
    last = None
    for _ in range(5):
        last = _decide(org, _receive(org, item, supplier), accepted=False)
    assert last is not None and last.rule == "tightened_to_discontinued"
    return last.stream


def test_a_discontinued_stream_refuses_receipts_until_the_cqo_resumes_it(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    stream = _discontinue(org, item, supplier)
    lots = Lot.objects.count()
    with pytest.raises(ValidationError) as exc:
        _receive(org, item, supplier)
    assert "9.4" in str(exc.value) and Lot.objects.count() == lots
    with pytest.raises(PermissionDenied):
        stream_resume(actor=org.inspector, stream=stream, reason="8D closed")
    with pytest.raises(ValidationError):
        stream_resume(actor=org.cqo, stream=stream, reason=" ")
    event = stream_resume(actor=org.cqo, stream=stream, reason="8D closed, process audited")
    assert (event.from_state, event.to_state, event.rule) == (
        "discontinued", "tightened", "discontinued_to_tightened",
    )  # fmt: skip
    assert AuditEvent.objects.filter(
        action="inspection.stream.switch", reason="8D closed, process audited"
    ).exists()
    assert _receive(org, item, supplier).severity == Severity.TIGHTENED


def test_a_lot_drawn_before_a_switch_does_not_move_the_stream_again(org: Org) -> None:
    item, supplier, _plan = approved_receipt_world()
    a, b, c = (_receive(org, item, supplier) for _ in range(3))
    _decide(org, a, accepted=False)
    _decide(org, b, accepted=False)  # now tightened
    assert _decide(org, c, accepted=False) is None  # drawn under normal
    stream = SwitchingStream.objects.get(pk=a.stream_id)
    assert stream.machine["tightened_rejected"] == 0
