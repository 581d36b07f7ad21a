"""The SCAR part of the demo: three SCARs, one answered through its link and awaiting review,
one whose late answer was returned, one overdue; deterministic. Built without the inspection
year (its lots are not needed: the builder receives lots of its own when the demo has none)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cqo.anomalies.models import Scar, ScarAnswer
from cqo.audit.models import AuditEvent
from cqo.masterdata.scores import supplier_score_figures
from cqo.testing.demo import demo_build_on


@pytest.mark.django_db(transaction=True)
def test_the_demo_holds_three_scars_one_answered_through_its_link(demo_kernel: object) -> None:
    demo_build_on(demo_kernel, ["anomalies.scar"])
    scars = list(Scar.objects.order_by("number"))
    assert [s.number[-4:] for s in scars] == ["0001", "0002", "0003"]
    assert [s.status for s in scars] == ["answered", "returned", "issued"]
    assert len({s.supplier_id for s in scars}) == 3
    answered = AuditEvent.objects.filter(action="anomalies.scar.answer")
    assert answered.count() == 2 and all(e.actor_id is None for e in answered)
    assert ScarAnswer.objects.get(scar=scars[1]).late
    assert scars[2].due_on < timezone.localdate()
    figures = supplier_score_figures([s.supplier_id for s in scars])
    assert figures[scars[1].supplier_id].values["scar"]["returned"] == 1
    assert figures[scars[2].supplier_id].values["scar"]["late"] == 1
