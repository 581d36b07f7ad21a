from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cqo.core import costs


def test_every_seeded_item_has_a_known_category() -> None:
    assert {item.category for item in costs.COST_ITEMS} == set(costs.CostCategory.values)


def test_it_refuses_a_line_with_an_unknown_item() -> None:
    with pytest.raises(ValueError, match="unknown cost item"):
        costs.CostLine(
            source="t", key="1", date=datetime.date(2026, 1, 1), item_code="nope",
            amount=Decimal("1.00"), record="x",
        )  # fmt: skip


def test_it_refuses_a_float_amount() -> None:
    with pytest.raises(TypeError):
        costs.CostLine(
            source="t", key="1", date=datetime.date(2026, 1, 1), item_code="i_scrap",
            amount=1.5, record="x",  # type: ignore[arg-type]
        )  # fmt: skip


def test_it_gathers_the_lines_of_every_source_in_date_order() -> None:
    def lines_a(first: datetime.date, last: datetime.date) -> list[costs.CostLine]:
        return [
            costs.CostLine(source="test.a", key="2", date=last, item_code="i_scrap",
                           amount=Decimal("10.00"), record="A-2"),
        ]  # fmt: skip

    def lines_b(first: datetime.date, last: datetime.date) -> list[costs.CostLine]:
        return [
            costs.CostLine(source="test.b", key="1", date=first, item_code="e_claims",
                           amount=Decimal("5.50"), record="B-1"),
        ]  # fmt: skip

    saved = dict(costs._SOURCES)
    try:
        costs._SOURCES.clear()
        costs.cost_source_register(code="test.a", label="A", clause="§7.1.5", lines=lines_a)
        costs.cost_source_register(code="test.b", label="B", clause="§7.1.5", lines=lines_b)
        found = costs.cost_lines(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
        assert [(line.record, line.category) for line in found] == [
            ("B-1", costs.CostCategory.EXTERNAL_FAILURE),
            ("A-2", costs.CostCategory.INTERNAL_FAILURE),
        ]
        with pytest.raises(ValueError, match="registered twice"):
            costs.cost_source_register(code="test.a", label="A", clause="§7.1.5", lines=lines_b)
    finally:
        costs._SOURCES.clear()
        costs._SOURCES.update(saved)
