"""What the trace page does to cost less (docs/performance.md, the served trace page) gives the
same answers as the straightforward code it replaced."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cqo.masterdata import genealogy as G
from cqo.masterdata import views_genealogy as V
from cqo.masterdata.models import Lot, LotLink
from cqo.testing.genealogy import GenealogyWorld, genealogy_world, production_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def g(db: Any) -> GenealogyWorld:
    return genealogy_world()


def _edge(edge: G.Edge) -> tuple[int, int, Any]:
    return (edge.consumed_id, edge.produced_id, edge.quantity)


def _lots(*numbers: str) -> list[int]:
    return sorted(Lot.objects.filter(number__in=numbers).values_list("pk", flat=True))


def test_a_batchs_trace_and_its_starting_lots_come_in_one_query(g) -> None:
    with CaptureQueriesContext(connection) as captured:
        ids, starts = G.trace_from_batch("forward", "ST-01")
    assert len(captured) == 1
    assert starts == list(G.lots_of_supplier_batch("ST-01").values_list("pk", flat=True))
    assert sorted(ids) == sorted(G.trace_forward(starts))
    ids, starts = G.trace_from_batch("backward", "ST-01")
    assert sorted(ids) == sorted(G.trace_backward(starts))
    assert G.trace_from_batch("forward", "NO-SUCH") == ([], [])


def test_a_prepared_query_reads_what_the_orm_reads(g) -> None:
    ids = sorted(G.trace_forward(_lots("R-STEEL", "R-RESIN")))
    details = list(
        Lot.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk", "number", "item__part_number", "item__name", "origin", "supplier__code",
            "supplier_batch", "arrived_on", "quantity", "stock_status",
        )
    )  # fmt: skip
    prepared = V._DETAILS.rows(ids)
    assert sorted(prepared) == sorted(details)
    # The values are converted as the ORM converts them (decimals and dates on SQLite too).
    for ours, theirs in zip(sorted(prepared), sorted(details), strict=True):
        assert [type(v) for v in ours] == [type(v) for v in theirs]
    lines = list(
        G.shipment_lines_of(ids).values_list(
            "lot_id", "shipment_id", "shipment__customer_id", "shipment__customer__code",
            "shipment__customer__name", "quantity",
        )
    )  # fmt: skip
    assert V._LINES.rows(ids) == lines and lines
    assert V._SERIALS.count(ids) == G.serials_of(ids).count()
    grouped = list(
        G.shipment_lines_of(ids)
        .order_by()
        .values("shipment__customer__code", "shipment__customer__name")
        .annotate(
            shipments=Count("shipment", distinct=True),
            lots=Count("lot", distinct=True),
            quantity=Sum("quantity"),
        )
        .order_by("shipment__customer__code")
    )
    assert V._CUSTOMERS.rows(ids) == grouped
    # The customers' table built from the lines is the grouped query's.
    assert V._customers(lines) == grouped
    # Each call runs with its own ids (the compiled text is reused, the parameter is not).
    assert V._DETAILS.rows(_lots("R-STEEL")) == [r for r in details if r[1] == "R-STEEL"]
    assert V._DETAILS.rows([]) == []


def test_the_graph_levels_of_a_known_trace_are_those_of_the_walk_by_level(g) -> None:
    for n in range(30):
        production_lot(f"HUB-{n:03d}")
    from cqo.masterdata.genealogy_feeds import genealogy_feed_post
    from cqo.testing.world import Org

    genealogy_feed_post(
        actor=Org().engineer,
        rows=[
            {"consumed": "F-CAL-1", "produced": f"HUB-{n:03d}", "quantity": "0.1"}
            for n in range(30)
        ],
    )
    for direction, starts in (
        ("forward", _lots("R-STEEL", "R-RESIN")),
        ("backward", _lots("F-CAL-1", "HUB-007")),
    ):
        trace = sorted(getattr(G, f"trace_{direction}")(starts))
        for limit in (300, 10):  # whole, and capped (the walk by level then, in both)
            walked_levels, walked_edges = G.trace_levels(direction, starts, limit=limit)
            levels, edges = G.trace_levels(direction, starts, limit=limit, trace=trace)
            assert levels == walked_levels
            assert sorted(map(_edge, edges)) == sorted(map(_edge, walked_edges))


def test_the_trace_tables_format_numbers_as_the_template_does() -> None:
    r = random.Random(11)
    values = [Decimal("0"), Decimal("0.000"), Decimal("0.0005"), Decimal("1.9995"),
              Decimal("2.0004"), Decimal("100.000"), Decimal("1E+3"), Decimal("12345678901.5")]  # fmt: skip
    values += [Decimal(r.randint(0, 10**9)) / Decimal(10 ** r.randint(0, 6)) for _ in range(2000)]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            separator = V.get_format("DECIMAL_SEPARATOR")
            for value in values:
                assert V._quantity(value, separator) == floatformat(value, "-3"), value
            assert V._count(1234567) == "1234567"


def test_the_links_of_a_trace_drawn_whole_are_read_in_one_query(g) -> None:
    starts = _lots("R-STEEL", "R-RESIN")
    trace = sorted(G.trace_forward(starts))
    with CaptureQueriesContext(connection) as captured:
        G.trace_levels("forward", starts, limit=150, trace=trace)
    assert len(captured) == 1
    assert LotLink.objects.exists()
