"""Units' serial numbers (issue 11 §5, §7.2.3.2): recorded by a genealogy feed, all or nothing
with the row named, or by hand; unique per item among the live ones; voided, never deleted; a
serial starts a backward trace and a forward trace lists the serials it reaches."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.core import bulk
from cqo.masterdata import genealogy as G
from cqo.masterdata.genealogy_feeds import FeedRefused, genealogy_feed_post, genealogy_feed_void
from cqo.masterdata.models import LotLink, SerialNumber
from cqo.masterdata.serials import serial_number_record, serial_number_void
from cqo.testing.genealogy import GenealogyWorld, genealogy_world, production_lot
from cqo.testing.masterdata import ItemFactory
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


def _units(lot: str, *serials: str) -> list[dict[str, str]]:
    return [{"lot": lot, "serial": s} for s in serials]


def test_a_feed_records_serials_with_its_links_in_one_audit_event_carrying_both_digests(g, org):
    production_lot("F-CAL-3", item=g.caliper_1.item)
    before = AuditEvent.objects.count()
    feed = genealogy_feed_post(
        actor=org.engineer,
        rows=[{"consumed": "W-BODY", "produced": "F-CAL-3", "quantity": "2"}],
        serials=_units("F-CAL-3", "SN-0001", "SN-0002"),
        reference="MES-4712",
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert event.after["bulk"]["sha256"] == bulk.rows_digest(feed.links.all())
    assert event.after["serials"]["count"] == 2
    assert event.after["serials"]["sha256"] == bulk.rows_digest(feed.serials.all())
    assert feed.link_count == 1 and feed.serial_count == 2


def test_a_feed_of_serials_alone_is_a_feed(g, org):
    feed = genealogy_feed_post(actor=org.inspector, rows=[], serials=_units("F-CAL-1", "SN-1"))
    assert feed.link_count == 0 and feed.serial_count == 1
    assert SerialNumber.objects.get(serial="SN-1").lot == g.caliper_1


def _refused(org: Org, serials: list[dict[str, str]], **kwargs: Any) -> FeedRefused:
    counts = (LotLink.objects.count(), SerialNumber.objects.count(), AuditEvent.objects.count())
    with pytest.raises(FeedRefused) as info:
        genealogy_feed_post(actor=org.engineer, serials=serials, **kwargs)
    assert counts == (
        LotLink.objects.count(),
        SerialNumber.objects.count(),
        AuditEvent.objects.count(),
    ), "a refused feed writes nothing, links included"
    return info.value


@pytest.mark.parametrize(
    "bad,fragment",
    [
        ({"lot": "NO-SUCH", "serial": "SN-9"}, "NO-SUCH"),
        ({"lot": "F-CAL-2", "serial": "SN-1"}, "already assigned to lot F-CAL-1"),
        ({"lot": "F-CAL-1", "serial": "SN-1"}, "already assigned to lot F-CAL-1"),
        ({"lot": "F-CAL-2", "serial": "  "}, "Give the serial number"),
        ({"lot": "F-CAL-2", "serial": "x" * 81}, "at most 80"),
        ({"lot": "", "serial": "SN-9"}, "No live lot"),
    ],
)
def test_it_refuses_a_feed_with_a_bad_serial_naming_its_row(g, org, bad, fragment):
    genealogy_feed_post(actor=org.engineer, rows=[], serials=_units("F-CAL-1", "SN-1"))
    exc = _refused(
        org,
        [{"lot": "F-CAL-2", "serial": "SN-2"}, bad],
        rows=[{"consumed": "R-PAD", "produced": "F-LOOSE", "quantity": "1"}],
        serial_first_row=2,
    )
    assert exc.row == 3 and exc.part == "serials"
    assert exc.messages[0].startswith("Serial numbers, row 3: ")
    assert fragment in exc.messages[0]


def test_it_refuses_the_same_serial_twice_in_one_feed(g, org):
    exc = _refused(org, _units("F-CAL-1", "SN-7", "SN-8", "SN-7"), rows=[])
    assert exc.row == 3 and "row 1" in exc.messages[0]


def test_a_serial_is_unique_per_item_so_two_items_may_share_one(g, org):
    other = production_lot("F-OTHER", item=ItemFactory())
    genealogy_feed_post(
        actor=org.engineer,
        rows=[],
        serials=[{"lot": "F-CAL-1", "serial": "0001"}, {"lot": other.number, "serial": "0001"}],
    )
    assert set(G.lots_of_serial("0001")) == {g.caliper_1.pk, other.pk}


def test_a_serial_traces_back_to_the_supplier_batches_in_its_unit(g, org):
    genealogy_feed_post(actor=org.engineer, rows=[], serials=_units("F-CAL-2", "SN-42"))
    starts = G.lots_of_serial(" SN-42 ")
    assert starts == [g.caliper_2.pk]
    batches = set(G.trace_lots("backward", starts).values_list("supplier_batch", flat=True))
    assert batches - {""} == {"ST-01", "RS-07", "PD-03"}
    assert G.lots_of_serial("SN-43") == [] and G.lots_of_serial("") == []


def test_a_forward_trace_lists_the_serials_of_the_finished_lots_it_reaches(g, org):
    genealogy_feed_post(
        actor=org.engineer,
        rows=[],
        serials=_units("F-CAL-1", "A-2", "A-1")
        + _units("F-CAL-2", "B-1")
        + _units("F-LOOSE", "C-1"),
    )
    reached = G.trace_forward([g.steel.pk])
    assert [s.serial for s in G.serials_of(reached)] == ["A-1", "A-2", "B-1"]
    only_pad = G.trace_forward([g.pad.pk])
    assert [(s.serial, s.lot.number) for s in G.serials_of(only_pad)] == [("B-1", "F-CAL-2")]


def test_voiding_a_feed_voids_its_serials_and_frees_them(g, org):
    feed = genealogy_feed_post(actor=org.engineer, rows=[], serials=_units("F-CAL-1", "SN-5"))
    genealogy_feed_void(actor=org.engineer, feed=feed, reason="wrong lot")
    assert G.lots_of_serial("SN-5") == []
    assert SerialNumber.objects.get(serial="SN-5").void_reason == "wrong lot"
    genealogy_feed_post(actor=org.engineer, rows=[], serials=_units("F-CAL-2", "SN-5"))
    assert G.lots_of_serial("SN-5") == [g.caliper_2.pk]


def test_a_serial_recorded_by_hand_is_audited_and_only_keepers_void_it(g, org):
    with pytest.raises(PermissionDenied):
        serial_number_record(actor=org.auditor, lot=g.caliper_1, serial="H-1")
    record = serial_number_record(actor=org.inspector, lot=g.caliper_1, serial=" H-1 ")
    event = AuditEvent.objects.latest("seq")
    assert event.action == "masterdata.serialnumber.create" and event.clause == "§7.2.3.2"
    assert record.serial == "H-1" and record.item_id == g.caliper_1.item_id
    with pytest.raises(ValidationError) as again:
        serial_number_record(actor=org.inspector, lot=g.caliper_2, serial="H-1")
    assert "already assigned to lot F-CAL-1" in again.value.message_dict["serial"][0]
    with pytest.raises(ValidationError):
        serial_number_record(actor=org.inspector, lot=g.caliper_2, serial="")
    with pytest.raises(PermissionDenied):
        serial_number_void(actor=org.inspector, record=record, reason="typo")
    with pytest.raises(ValidationError):
        serial_number_void(actor=org.engineer, record=record, reason=" ")
    serial_number_void(actor=org.engineer, record=record, reason="typo")
    assert AuditEvent.objects.latest("seq").action == "masterdata.serialnumber.void"
    assert SerialNumber.objects.filter(serial="H-1").count() == 1, "voided, not deleted"
    assert G.lots_of_serial("H-1") == []


def test_a_refused_serial_is_named_in_chinese_too(g, org):
    with translation.override("zh-hans"):
        exc = _refused(org, _units("F-CAL-1", ""), rows=[])
    assert exc.messages[0].startswith("序列号，第1行：")


def test_the_demo_numbers_its_brake_calipers_and_a_serial_traces_back_to_the_seal_batch() -> None:
    from cqo.core.demo import demo_build
    from cqo.masterdata.demo_genealogy import CALIPER_SHIPPED, SEAL_BATCH, _caliper_case

    # The caliper case alone: the year's links need the inspection demo's lots.
    ctx = demo_build(builders=["organisation", "masterdata"])
    _caliper_case(ctx, ctx.get("organisation.users")["qe1"])
    shipped = SerialNumber.objects.filter(lot__number=CALIPER_SHIPPED, voided_at__isnull=True)
    assert shipped.count() == 400
    starts = G.lots_of_serial("ZDQF2611-00042")
    assert starts == [shipped.first().lot_id]
    batches = G.trace_lots("backward", starts).values_list("supplier_batch", flat=True)
    assert SEAL_BATCH in set(batches)
    reached = G.trace_forward_from_batch(SEAL_BATCH)
    assert G.serials_of(reached).count() == 700


def _after_the_checks(monkeypatch: pytest.MonkeyPatch, module: Any, write: Any) -> None:
    """Another change lands between this one's checks and its writes (a request or a feed
    running beside it): ``write`` runs as the serial numbers' check returns."""
    checked = module.serial_rows_check

    def racing(*args: Any, **kwargs: Any) -> Any:
        found = checked(*args, **kwargs)
        write()
        return found

    monkeypatch.setattr(module, "serial_rows_check", racing)


def test_a_serial_taken_at_the_same_moment_is_refused_on_its_field_not_a_500(
    g, org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cqo.masterdata import serials

    _after_the_checks(
        monkeypatch,
        serials,
        lambda: SerialNumber.objects.create(
            serial="R-1", item_id=g.caliper_2.item_id, lot=g.caliper_2, created_by=org.engineer
        ),
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        serial_number_record(actor=org.inspector, lot=g.caliper_1, serial="R-1")
    assert "same serial number a moment ago" in refused.value.message_dict["serial"][0]
    assert not SerialNumber.objects.filter(lot=g.caliper_1).exists()
    assert AuditEvent.objects.count() == events


def test_a_feed_overtaken_by_another_change_is_refused_whole_not_a_500(
    g, org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cqo.masterdata import genealogy_feeds

    production_lot("F-CAL-9", item=g.caliper_1.item)
    _after_the_checks(
        monkeypatch,
        genealogy_feeds,
        lambda: SerialNumber.objects.create(
            serial="R-2", item_id=g.caliper_1.item_id, lot=g.caliper_1, created_by=org.engineer
        ),
    )
    counts = (LotLink.objects.count(), SerialNumber.objects.count(), AuditEvent.objects.count())
    with pytest.raises(FeedRefused) as refused:
        genealogy_feed_post(
            actor=org.engineer,
            rows=[{"consumed": "W-BODY", "produced": "F-CAL-9", "quantity": "1"}],
            serials=_units("F-CAL-9", "R-2"),
        )
    assert "nothing of this feed was recorded" in str(refused.value)
    # Nothing of the feed stands (its link, its unit, its event). The other change ran inside
    # this transaction here, so it went with it; in life it committed on its own.
    assert (LotLink.objects.count(), AuditEvent.objects.count()) == (counts[0], counts[2])
    assert not SerialNumber.objects.filter(lot__number="F-CAL-9").exists()
