"""The demo year's complaints: 50 over the year, each with its NCR, most closed, a few rejected
or withdrawn, some open past their deadlines; the same complaints on every build. Built on a
small hand-made context (the demo's user names, two customers, two products) rather than the
whole demo, which the demo's own tests build."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cqo.anomalies import demo_complaints
from cqo.anomalies.models_complaints import Complaint, ComplaintPolicy, ComplaintStatus
from cqo.anomalies.models_costs import CostEntry
from cqo.anomalies.selectors_complaints import complaints_overdue
from cqo.core.demo import DemoContext
from cqo.masterdata.models import ItemKind
from cqo.organisation import roles as R
from cqo.testing.factories import member
from cqo.testing.masterdata import CustomerFactory, ItemFactory

pytestmark = pytest.mark.django_db


def _context(org: Any) -> DemoContext:
    ctx = DemoContext()
    qe2 = member([R.QUALITY_ENGINEER], unit=org.qm, username="qe2")
    ctx.add("organisation.users", {
        "cqo": org.cqo, "deputy": org.deputy, "qe1": org.engineer, "qe2": qe2,
    })  # fmt: skip
    ctx.add("masterdata.customers", {c.code: c for c in CustomerFactory.create_batch(3)})
    ctx.add(
        "masterdata.items",
        {i.part_number: i for i in ItemFactory.create_batch(2, kind=ItemKind.PRODUCT)},
    )
    return ctx


def test_the_demo_has_50_complaints_over_the_year_each_with_its_ncr_some_overdue(
    org: Any,
) -> None:
    demo_complaints.build(_context(org))
    complaints = list(Complaint.objects.order_by("received_at"))
    assert len(complaints) == 50
    assert all(c.anomaly_id for c in complaints)
    span = complaints[-1].received_at - complaints[0].received_at
    assert 300 <= span.days <= 365
    statuses = {s: sum(c.status == s for c in complaints) for s in ComplaintStatus.values}
    assert statuses[ComplaintStatus.CLOSED] >= 25
    assert statuses[ComplaintStatus.REJECTED] + statuses[ComplaintStatus.WITHDRAWN] >= 1
    assert complaints_overdue(now=timezone.now()).count() >= 2
    assert ComplaintPolicy.objects.count() == 3
    claims = CostEntry.objects.filter(record_type="anomalies.complaint", item_code="e_claims")
    assert claims.count() == sum(c.claim_amount > 0 for c in complaints) > 0
    assert CostEntry.objects.filter(item_code="e_returns").exists()
    assert demo_complaints.present()
