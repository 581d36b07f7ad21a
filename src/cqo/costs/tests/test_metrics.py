"""The quality-cost ratio of the metric registry (§7.1.2, §7.1.5): the ledger per 100 yuan of
sales, missing while a month of the period has no sales figure."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from cqo.core.metrics import metric_compute
from cqo.costs.services_ledger import base_figure_set
from cqo.testing.ledger import finance_keeper, line
from cqo.testing.world import Org, today


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def test_the_cost_ratio_is_missing_without_a_sales_figure_for_every_month(org: Any) -> None:
    last_month = (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    end = today().replace(day=1) - datetime.timedelta(days=1)
    line(org, on=last_month, amount="300.00")
    line(org, on=last_month + datetime.timedelta(days=2), amount="200.00", item_code="i_scrap")
    assert metric_compute("costs.quality_cost_ratio", first=last_month, last=end).missing
    keeper = finance_keeper(org)
    base_figure_set(actor=keeper, month=last_month, kind="sales", amount="100000")
    found = metric_compute("costs.quality_cost_ratio", first=last_month, last=end)
    assert found.value is not None
    assert (found.value.value, found.value.numerator) == (Decimal("0.50"), Decimal("500.00"))
