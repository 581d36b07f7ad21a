"""The review board's slice of the demo: a concession and a critical defect's disposition wait
in the CQO's inbox, and the board's other work leaves decided and done dispositions with costs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cqo.anomalies import demo_mrb
from cqo.anomalies.models import Disposition, DispositionStatus
from cqo.audit.services import verify_chain
from cqo.authorities import selectors as asel
from cqo.core.costs import cost_lines
from cqo.core.demo import demo_build
from cqo.masterdata.models import StockStatus
from cqo.testing.demo import demo_without
from cqo.testing.masterdata import LotFactory
from cqo.testing.mrb import rejected_ncr
from cqo.testing.world import days, today

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_a_concession_and_a_cr_disposition_waiting_for_the_cqo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo_without(monkeypatch)  # the inspection year is tested in inspection/tests/test_demo.py
    ctx = demo_build()
    users: dict[str, Any] = ctx.get("organisation.users")
    LotFactory(stock_status=StockStatus.REJECTED, quantity=Decimal("360"))
    LotFactory(quantity=Decimal("200"))
    worked = [rejected_ncr(users["qe1"], quantity=q) for q in ("40", "120", "8")]
    demo_mrb.build(ctx)
    concession = ctx.get("anomalies.mrb.concession")
    cr = ctx.get("anomalies.mrb.cr_disposition")
    assert concession.kind == "concession" and concession.status == DispositionStatus.SUBMITTED
    assert cr.anomaly.defect_class == "CR" and cr.status == DispositionStatus.SUBMITTED
    inbox = {a.pk for a in asel.approvals_awaiting(users["cqo"])}
    assert {concession.approval_id, cr.approval_id} <= inbox
    assert Disposition.objects.filter(anomaly__in=worked, status="done").exists()
    assert [x for x in cost_lines(days(-400), today()) if x.source == "anomalies"]
    assert ctx.get("anomalies.mrb.counts")["opinions"] == 3
    assert verify_chain() is None
