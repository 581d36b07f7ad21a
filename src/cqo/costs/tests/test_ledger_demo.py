"""The demo's ledger: a year of lines entered and copied from the other modules, finance's
figures for every ended month (the current one missing), the months before last closed, one
line corrected by a reversal; the audit chain holds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from cqo.audit.services import verify_chain
from cqo.costs import selectors_ledger as sel
from cqo.costs.models_ledger import BaseFigure, LedgerLine, LineOrigin, MonthClose
from cqo.testing.demo import demo_build_on

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_year_has_lines_figures_closed_months_and_a_reversal(demo_kernel: object) -> None:
    demo_build_on(demo_kernel, ["costs_ledger"])
    today = timezone.localdate()
    assert LedgerLine.objects.filter(origin=LineOrigin.MANUAL).count() > 12 * 15
    assert LedgerLine.objects.filter(origin=LineOrigin.REVERSAL).count() == 1
    assert MonthClose.objects.count() == 11
    assert not BaseFigure.objects.filter(month=today.replace(day=1)).exists()
    assert BaseFigure.objects.active().count() == 36
    data = sel.report(first=today.replace(day=1).replace(year=today.year - 1), last=today)
    assert data["total"] > Decimal("1000000")
    assert data["month_rows"][-1]["ratios"]["sales"] is None
    assert data["month_rows"][-2]["ratios"]["sales"] is not None
    assert verify_chain(anchored=False) is None
