"""The lot genealogy: forward and backward traces, the shared names the recall uses, and the
feeds refused as a whole (mass balance, unknown lots, cycles) with the row named (§7.2.3.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.core import bulk
from cqo.masterdata import genealogy as G
from cqo.masterdata.genealogy_feeds import (
    FeedRefused,
    genealogy_feed_post,
    genealogy_feed_void,
    mass_balance_exceeded,
)
from cqo.masterdata.models import FeedSource, LotLink
from cqo.testing.genealogy import GenealogyWorld, LotLinkFactory, genealogy_world, production_lot
from cqo.testing.masterdata import LotFactory, ShipmentLineFactory
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture
def g(db: Any) -> GenealogyWorld:
    return genealogy_world()


def ids(*lots: Any) -> set[int]:
    return {lot.pk for lot in lots}


def test_a_forward_trace_from_a_supplier_batch_reaches_every_lot_made_from_it(g):
    starts = [lot.pk for lot in G.lots_of_supplier_batch("ST-01")]
    assert starts == [g.steel.pk]
    assert set(G.trace_forward(starts)) == ids(g.steel, g.body, g.caliper_1, g.caliper_2)


def test_a_backward_trace_from_a_finished_lot_reaches_every_supplier_batch_in_it(g):
    back = set(G.trace_backward([g.caliper_2.pk]))
    assert back == ids(g.caliper_2, g.body, g.steel, g.resin, g.pad)
    batches = set(
        G.trace_lots("backward", [g.caliper_2.pk]).values_list("supplier_batch", flat=True)
    )
    assert batches - {""} == {"ST-01", "RS-07", "PD-03"}


def test_the_recursive_trace_finds_what_the_row_by_row_walk_finds(g):
    for lot in (g.steel, g.resin, g.pad, g.body, g.caliper_1, g.caliper_2, g.loose):
        for direction in ("forward", "backward"):
            fast = (
                G.trace_forward([lot.pk]) if direction == "forward" else G.trace_backward([lot.pk])
            )
            assert set(fast) == set(G.walk_row_by_row(direction, [lot.pk]))


def test_the_one_query_traces_from_a_batch_and_a_shipment_match_the_two_step_ones(
    g, django_assert_max_num_queries
):
    # One round trip each (on PostgreSQL the SET LOCAL jit = off travels with the trace).
    with django_assert_max_num_queries(1):
        forward = G.trace_forward_from_batch("ST-01")
    assert set(forward) == set(G.trace_forward([g.steel.pk]))
    assert G.trace_forward_from_batch("ST-01", g.steel.supplier_id + 1000) == []
    assert G.trace_forward_from_batch(" ") == []
    with django_assert_max_num_queries(1):
        backward = G.trace_backward_from_shipment(g.shipment_b.pk)
    assert set(backward) == set(G.trace_backward(G.lots_of_shipment(g.shipment_b.pk)))
    assert set(backward) == ids(g.caliper_2, g.body, g.steel, g.resin, g.pad)
    assert G.trace_backward_from_shipment(999_999) == []


@pytest.mark.django_db(transaction=True)
def test_a_trace_turns_jit_off_for_its_own_statement_only(g):
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")

    def jit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit')")
            return str(cursor.fetchone()[0])

    before = jit()
    expected = ids(g.caliper_2, g.body, g.steel, g.resin, g.pad)
    assert set(G.trace_backward_from_shipment(g.shipment_b.pk)) == expected
    assert jit() == before  # autocommit: the SET ended with the trace's implicit transaction
    with transaction.atomic():
        assert set(G.trace_backward_from_shipment(g.shipment_b.pk)) == expected
        assert jit() == "off"  # inside the caller's transaction, until it ends
    assert jit() == before


def test_a_trace_drops_unknown_ids_and_an_empty_start_traces_nothing(g):
    assert G.trace_forward([]) == []
    assert G.trace_backward([]) == []
    assert G.trace_forward([999_999]) == []
    assert G.trace_forward([g.loose.pk]) == [g.loose.pk]


def test_a_voided_link_is_not_followed(g, org):
    genealogy_feed_void(actor=org.engineer, feed=g.feed, reason="Sent twice by the MES")
    assert G.trace_forward([g.steel.pk]) == [g.steel.pk]
    assert LotLink.objects.filter(voided_at__isnull=True).count() == 0


def test_the_shipment_lines_of_a_forward_trace_name_both_customers(g):
    lines = G.shipment_lines_of(G.trace_forward([g.steel.pk]))
    assert {line.shipment.customer.code for line in lines} == {"KA", "KB"}
    assert G.shipment_lines_of([g.pad.pk]).count() == 0
    assert G.lots_of_shipment(g.shipment_b.pk) == [g.caliper_2.pk]


def test_a_voided_shipment_line_is_not_a_customer_holding_the_lot(g, org):
    line = g.shipment_a.lines.get()
    line.voided_at = line.shipment.created_at
    line.save()
    assert {x.shipment.customer.code for x in G.shipment_lines_of([g.caliper_1.pk])} == set()


def test_a_supplier_batch_is_narrowed_to_one_supplier_when_asked(g):
    other = LotFactory(supplier_batch="ST-01")
    assert set(G.lots_of_supplier_batch("ST-01").values_list("pk", flat=True)) == ids(
        g.steel, other
    )
    assert list(G.lots_of_supplier_batch("ST-01", g.steel.supplier_id)) == [g.steel]
    assert G.lots_of_supplier_batch("  ").count() == 0


def test_links_among_a_trace_are_its_graph_edges(g):
    edges = G.links_among(G.trace_forward([g.body.pk]))
    assert {(e.consumed_id, e.produced_id) for e in edges} == {
        (g.body.pk, g.caliper_1.pk),
        (g.body.pk, g.caliper_2.pk),
    }


# --- feeds ----------------------------------------------------------------------------------


def test_a_feed_records_its_links_with_one_audit_event_carrying_their_digest(g, org):
    new = production_lot("F-CAL-3")
    before = AuditEvent.objects.count()
    feed = genealogy_feed_post(
        actor=org.engineer,
        rows=[
            {"consumed": "W-BODY", "produced": "F-CAL-3", "quantity": "20"},
            {"consumed": "R-PAD", "produced": "F-CAL-3", "quantity": "5.5"},
        ],
        reference="MES-4711",
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert event.action == "masterdata.genealogyfeed.post"
    assert event.after["bulk"]["count"] == 2
    assert event.after["bulk"]["sha256"] == bulk.rows_digest(feed.links.all())
    assert feed.link_count == 2 and feed.source == FeedSource.API
    assert new.pk in G.trace_forward([g.pad.pk])


def _refused(org: Org, rows: list[dict[str, Any]], **kwargs: Any) -> FeedRefused:
    count = LotLink.objects.count()
    events = AuditEvent.objects.count()
    with pytest.raises(FeedRefused) as info:
        genealogy_feed_post(actor=org.engineer, rows=rows, **kwargs)
    assert LotLink.objects.count() == count, "a refused feed writes nothing"
    assert AuditEvent.objects.count() == events
    return info.value


def test_it_refuses_a_feed_consuming_more_than_was_received_naming_the_row(g, org):
    production_lot("F-CAL-3")
    production_lot("F-CAL-4")
    # R-PAD holds 500 and already gives 10 to F-CAL-2.
    exc = _refused(
        org,
        [
            {"consumed": "R-PAD", "produced": "F-CAL-3", "quantity": "400"},
            {"consumed": "R-PAD", "produced": "F-CAL-4", "quantity": "90.001"},
        ],
    )
    assert exc.row == 2
    assert "Row 2" in exc.messages[0] and "R-PAD" in exc.messages[0]


def test_it_refuses_a_feed_naming_an_unknown_lot(g, org):
    exc = _refused(
        org,
        [
            {"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "1"},
            {"consumed": "NO-SUCH", "produced": "F-LOOSE", "quantity": "1"},
        ],
        first_row=2,
    )
    assert exc.row == 3 and "NO-SUCH" in exc.messages[0]


def test_it_refuses_a_feed_that_makes_a_cycle_naming_the_closing_row(g, org):
    exc = _refused(
        org,
        [
            {"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "1"},
            {"consumed": "F-CAL-1", "produced": "W-BODY", "quantity": "1"},
        ],
    )
    assert exc.row == 2 and "cycle" in exc.messages[0]


def test_it_refuses_a_cycle_made_only_of_new_links(org, g):
    production_lot("X-1")
    production_lot("X-2")
    exc = _refused(
        org,
        [
            {"consumed": "X-1", "produced": "X-2", "quantity": "1"},
            {"consumed": "X-2", "produced": "X-1", "quantity": "1"},
        ],
    )
    assert exc.row == 2


@pytest.mark.parametrize(
    "row,fragment",
    [
        ({"consumed": "R-PAD", "produced": "R-STEEL", "quantity": "1"}, "received"),
        ({"consumed": "W-BODY", "produced": "W-BODY", "quantity": "1"}, "itself"),
        ({"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "0"}, "quantity"),
        ({"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "1.0001"}, "quantity"),
        ({"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "abc"}, "quantity"),
        ({"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": None}, "quantity"),
        ({"consumed": "", "produced": "F-LOOSE", "quantity": "1"}, "both lot numbers"),
        ({"consumed": "R-PAD", "produced": "F-CAL-2", "quantity": "1"}, "already recorded"),
    ],
)
def test_it_refuses_a_bad_row(g, org, row, fragment):
    exc = _refused(org, [row])
    assert exc.row == 1 and fragment in exc.messages[0]


def test_it_refuses_the_same_link_twice_in_one_feed(g, org):
    row = {"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "1"}
    exc = _refused(org, [row, row])
    assert exc.row == 2 and "row 1" in exc.messages[0]


def test_it_refuses_an_empty_feed_and_a_voided_lot(g, org):
    assert _refused(org, []).row == 0
    g.loose.voided_at = g.loose.created_at
    g.loose.save()
    assert _refused(org, [{"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "1"}]).row == 1


def test_only_lot_recorders_post_feeds_and_only_keepers_void_them(g, org):
    row = {"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "1"}
    with pytest.raises(PermissionDenied):
        genealogy_feed_post(actor=org.auditor, rows=[row])
    feed = genealogy_feed_post(actor=org.inspector, rows=[row], source=FeedSource.ENTRY)
    with pytest.raises(PermissionDenied):
        genealogy_feed_void(actor=org.inspector, feed=feed, reason="wrong")
    with pytest.raises(ValidationError):
        genealogy_feed_void(actor=org.engineer, feed=feed, reason=" ")
    genealogy_feed_void(actor=org.engineer, feed=feed, reason="wrong lot")
    with pytest.raises(ValidationError):
        genealogy_feed_void(actor=org.engineer, feed=feed, reason="again")


def test_the_mass_balance_check_flags_links_loaded_around_the_feed(g):
    LotLinkFactory(consumed=g.pad, produced=g.loose, quantity=Decimal("495"), feed=g.feed)
    flagged = mass_balance_exceeded()
    assert [f["number"] for f in flagged] == ["R-PAD"]
    assert flagged[0]["consumed"] == Decimal("505")
    assert mass_balance_exceeded([g.steel.pk]) == []


def test_a_lot_shipped_twice_reaches_both_customers(g):
    ShipmentLineFactory(lot=g.caliper_1)
    assert G.shipment_lines_of([g.caliper_1.pk]).count() == 2


def test_a_refused_row_is_named_in_chinese_too(g, org):
    with translation.override("zh-hans"):
        exc = _refused(org, [{"consumed": "NO-SUCH", "produced": "F-LOOSE", "quantity": "1"}])
    assert exc.messages[0].startswith("第1行：")
