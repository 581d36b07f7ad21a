"""The demo's incidents: five over the year, one penalty heard and decided lighter than proposed,
on the operator's quality record; an incident reported this week is overdue for its report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from cqo.audit.services import verify_chain
from cqo.core.costs import cost_lines
from cqo.incidents.models import Incident, IncidentStatus, PenaltyStatus
from cqo.organisation.quality_record import quality_record
from cqo.testing.demo import demo_build_on

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_year_has_five_incidents_and_a_penalty_heard_and_decided(
    demo_kernel: object,
) -> None:
    ctx = demo_build_on(demo_kernel, ["incidents"])
    incidents = list(Incident.objects.order_by("occurred_at"))
    assert len(incidents) == 5
    assert {i.level for i in incidents} == {"general", "serious"}
    assert [i.status for i in incidents].count(IncidentStatus.CLOSED) == 2
    now = timezone.now()
    assert [i.report_overdue(now) for i in incidents] == [False, False, False, False, True]
    penalty = ctx.get("incidents.penalty_decided")
    assert penalty.status == PenaltyStatus.DECIDED and penalty.statement
    assert penalty.heard_at < penalty.current_decision.decided_at
    [entry] = quality_record(person=penalty.person)
    assert entry.amount == Decimal("500")
    lines = [
        line for line in cost_lines(incidents[0].occurred_at.date(), timezone.localdate())
        if line.source == "incidents"
    ]  # fmt: skip
    assert sum(line.amount for line in lines) == Decimal("115300")
    assert verify_chain(anchored=False) is None
