"""Holds on many lots at once (``cqo.masterdata.holds_bulk``, §6 e), §7.2.1.4): set-based, one
audit event that names every lot, history kept per lot, and the single hold's rules."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqo.audit.models import AuditEvent
from cqo.core.bulk import rows_digest
from cqo.masterdata import stock
from cqo.masterdata.holds_bulk import lots_hold_lift_many, lots_hold_many
from cqo.masterdata.models import Lot, LotHold, StockStatus
from cqo.testing.masterdata import LotFactory
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db

SOURCE = "recall:RC-TEST-001"


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _lots(org: Org, n: int, status: str = StockStatus.RELEASED) -> list[Lot]:
    return [LotFactory(created_by=org.inspector, stock_status=status) for _ in range(n)]


def _hold(org: Org, lots: list[Lot], source: str = SOURCE) -> int:
    return lots_hold_many(
        actor=org.cqo, lot_ids=[lot.pk for lot in lots], reason="疑似缺陷批次",
        clause="§7.2.1.4", source=source,
    )  # fmt: skip


def test_one_event_names_every_held_lot_and_its_digests_match_the_stored_rows(org: Org) -> None:
    lots = _lots(org, 4)
    assert _hold(org, lots) == 4
    event = AuditEvent.objects.get(action="masterdata.lot.hold_many")
    ids = sorted(lot.pk for lot in lots)
    assert event.after["lots"] == ids
    listed = ",".join(str(i) for i in ids).encode()
    assert event.after["lots_sha256"] == hashlib.sha256(listed).hexdigest()
    assert event.after["bulk"]["sha256"] == rows_digest(LotHold.objects.filter(source=SOURCE))
    assert set(Lot.objects.filter(pk__in=ids).values_list("stock_status", flat=True)) == {
        StockStatus.HELD
    }


def test_each_lot_and_hold_keeps_a_history_row_naming_who_and_why(org: Org) -> None:
    lots = _lots(org, 3)
    _hold(org, lots)
    for lot in lots:
        last = Lot.objects.get(pk=lot.pk).history.first()
        assert last.stock_status == StockStatus.HELD
        assert last.history_user_id == org.cqo.pk
        assert last.history_change_reason == "疑似缺陷批次"
        hold = LotHold.objects.get(lot=lot)
        created = hold.history.get()
        assert created.history_type == "+" and created.history_user_id == org.cqo.pk


def test_the_number_of_queries_does_not_grow_with_the_lots(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    few, many = _lots(org, 2), _lots(org, 40)
    with django_assert_max_num_queries(30):
        _hold(org, few, source="recall:A")
    with django_assert_max_num_queries(30):
        _hold(org, many, source="recall:B")
    with django_assert_max_num_queries(30):
        lots_hold_lift_many(actor=org.cqo, source="recall:B", reason="复检合格")


def test_a_lot_already_held_keeps_its_status_underneath_until_its_last_hold_is_lifted(
    org: Org,
) -> None:
    (lot,) = _lots(org, 1, status=StockStatus.CONDITIONAL)
    stock.lot_hold_place(actor=org.cqo, lot=lot, reason="不合格品评审", clause="§6 e)",
                         source="anomalies:NCR-1")  # fmt: skip
    _hold(org, [lot])
    assert LotHold.objects.get(source=SOURCE).status_before == StockStatus.CONDITIONAL
    assert lots_hold_lift_many(actor=org.cqo, source=SOURCE, reason="复检合格") == 1
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.HELD  # the NCR's hold stays
    stock.lot_hold_lift(actor=org.cqo, hold=LotHold.objects.get(source="anomalies:NCR-1"),
                        reason="评审放行")  # fmt: skip
    assert Lot.objects.get(pk=lot.pk).stock_status == StockStatus.CONDITIONAL


def test_a_repeated_hold_places_only_what_is_new(org: Org) -> None:
    lots = _lots(org, 3)
    _hold(org, lots[:2])
    assert _hold(org, lots) == 1
    assert LotHold.objects.filter(source=SOURCE).count() == 3


def test_it_refuses_the_whole_batch_on_a_voided_lot_and_changes_nothing(org: Org) -> None:
    lots = _lots(org, 3)
    Lot.objects.filter(pk=lots[1].pk).update(voided_at=lots[1].created_at)
    with pytest.raises(ValidationError) as exc:
        _hold(org, lots)
    assert lots[1].number in str(exc.value)
    assert not LotHold.objects.exists()
    assert not AuditEvent.objects.filter(action="masterdata.lot.hold_many").exists()


def test_a_recall_hold_is_lifted_by_the_cqo_with_a_reason_and_nobody_else(org: Org) -> None:
    lots = _lots(org, 2)
    _hold(org, lots)
    with pytest.raises(PermissionDenied):
        lots_hold_lift_many(actor=org.engineer, source=SOURCE, reason="复检合格")
    with pytest.raises(ValidationError):
        lots_hold_lift_many(actor=org.cqo, source=SOURCE, reason=" ")
    assert lots_hold_lift_many(actor=org.cqo, source=SOURCE, reason="复检合格") == 2
    assert set(
        Lot.objects.filter(pk__in=[lot.pk for lot in lots]).values_list("stock_status", flat=True)
    ) == {StockStatus.RELEASED}
    event = AuditEvent.objects.get(action="masterdata.lot.hold_lift_many")
    assert event.after["bulk"]["sha256"] == rows_digest(LotHold.objects.filter(source=SOURCE))
    lifted = LotHold.objects.filter(source=SOURCE).first().history.first()
    assert lifted.lifted_by_id == org.cqo.pk and lifted.history_change_reason == "复检合格"
