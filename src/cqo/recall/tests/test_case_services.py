"""Recall cases (§7.2.1.4): the CQO leads, the principal agrees, the stop holds every affected
lot in one audited batch and the gate refuses their shipment, and a recall never closes while
units are still out unless "active recall stopped" is recorded with reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqo.audit.models import AuditEvent
from cqo.core.bulk import rows_digest
from cqo.core.exceptions import ConflictError
from cqo.masterdata import events, stock
from cqo.masterdata.models import Lot, LotHold, StockStatus
from cqo.recall import services_case as S
from cqo.recall.models_case import CaseStatus, RecallLot, RecallTarget
from cqo.testing.recall import case_at, recall_world
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture
def world(org: Org) -> Any:
    return recall_world(created_by=org.engineer)


def test_only_the_cqo_opens_a_recall(org: Org, world: Any) -> None:
    with pytest.raises(PermissionDenied):
        S.case_open(actor=org.engineer, title="t", signal_kind="complaint")
    case = S.case_open(actor=org.cqo, title="制动钳召回", signal_kind="complaint",
                       lot_numbers=[world.lot.number])  # fmt: skip
    assert case.number.startswith("RC-")
    assert case.status == CaseStatus.SIGNAL
    assert list(case.start_lots.all()) == [world.lot]
    assert AuditEvent.objects.filter(action="recall.case.open", object_id=str(case.pk)).exists()


def test_it_refuses_an_unknown_suspect_lot_naming_the_field_and_clause(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        S.case_open(actor=org.cqo, title="t", signal_kind="other", lot_numbers=["NOPE-1"])
    assert "NOPE-1" in exc.value.message_dict["lots"][0]
    assert "§7.2.1.4" in exc.value.message_dict["lots"][0]


def test_no_defect_closes_the_case_without_holding_anything(org: Org, world: Any) -> None:
    case = case_at(org, world, "investigating")
    case = S.case_defect_decide(actor=org.cqo, case=case, confirmed=False, defect="误报")
    assert case.status == CaseStatus.NO_DEFECT
    assert not LotHold.objects.exists()


def test_the_principal_agrees_but_never_to_a_proposal_of_their_own(org: Org, world: Any) -> None:
    case = case_at(org, world, "decision")
    with pytest.raises(PermissionDenied):
        S.case_decision_agree(actor=org.cqo, case=case, agree=True)
    returned = S.case_decision_agree(actor=org.principal, case=case, agree=False,
                                     note="补充检测数据")  # fmt: skip
    assert returned.status == CaseStatus.CONFIRMED
    with pytest.raises(ValidationError):
        S.case_decision_agree(actor=org.principal, case=returned, agree=False, note="")


def test_the_stop_holds_the_affected_lots_in_one_verifiable_event(org: Org, world: Any) -> None:
    case = case_at(org, world, "stopped")
    assert case.status == CaseStatus.STOPPED
    lot = Lot.objects.get(pk=world.lot.pk)
    assert lot.stock_status == StockStatus.HELD
    assert Lot.objects.get(pk=world.other_lot.pk).stock_status == StockStatus.RELEASED
    hold = LotHold.objects.get(lot=lot)
    assert hold.source == case.source and hold.clause == "§7.2.1.4"
    assert hold.status_before == StockStatus.RELEASED
    event = AuditEvent.objects.get(action="masterdata.lot.hold_many")
    assert event.after["lots"] == [lot.pk]
    assert event.after["bulk"]["sha256"] == rows_digest(LotHold.objects.filter(source=case.source))
    # The lot's history still says it was held, by whom.
    assert lot.history.first().stock_status == StockStatus.HELD
    assert lot.history.first().history_user_id == org.cqo.pk
    assert RecallLot.objects.get(case=case).shipped == Decimal("600")
    planned = sorted(RecallTarget.objects.filter(case=case).values_list("planned", flat=True))
    assert planned == [Decimal("100"), Decimal("200"), Decimal("300")]


def test_a_held_lots_shipment_is_refused_with_a_conflict(org: Org, world: Any) -> None:
    case_at(org, world, "stopped")
    with pytest.raises(ConflictError) as exc:
        stock.shipment_release(actor=org.deputy, shipment=world.draft)
    assert world.lot.number in str(exc.value)


def test_a_recall_hold_is_lifted_only_by_the_cqo_with_a_reason(org: Org, world: Any) -> None:
    case = case_at(org, world, "stopped")
    hold = LotHold.objects.get(lot=world.lot)
    with pytest.raises(PermissionDenied):
        stock.lot_hold_lift(actor=org.engineer, hold=hold, reason="复检合格")
    with pytest.raises(ValidationError):
        S.case_holds_lift(actor=org.cqo, case=case, reason=" ")
    assert S.case_holds_lift(actor=org.cqo, case=case, reason="更换密封圈后复检合格") == 1
    assert Lot.objects.get(pk=world.lot.pk).stock_status == StockStatus.RELEASED
    assert AuditEvent.objects.filter(action="masterdata.lot.hold_lift_many").count() == 1


def _finish(org: Org, case: Any) -> Any:
    return S.report_file(actor=org.cqo, case=case, kind="final", text="召回总结")


def test_it_refuses_to_close_with_units_outstanding(org: Org, world: Any) -> None:
    case = case_at(org, world, "notified")
    _finish(org, case)
    with pytest.raises(ValidationError) as exc:
        S.case_close(actor=org.cqo, case=case, kind="closed")
    assert "600" in exc.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as exc:
        S.case_close(actor=org.cqo, case=case, kind="active_stopped", reasons="")
    assert "reasons" in exc.value.message_dict
    ended = S.case_close(actor=org.cqo, case=case, kind="active_stopped",
                         reasons="已达到计划效果，剩余产品已无法追回。")  # fmt: skip
    assert ended.status == CaseStatus.ACTIVE_STOPPED


def test_it_closes_once_every_unit_is_back(org: Org, world: Any) -> None:
    case = case_at(org, world, "notified")
    for target in RecallTarget.objects.filter(case=case):
        with pytest.raises(ValidationError):
            S.progress_record(actor=org.cqo, target=target, quantity=target.planned + 1)
        S.progress_record(actor=org.cqo, target=target, quantity=target.planned)
    with pytest.raises(ValidationError):
        S.case_close(actor=org.cqo, case=case, kind="closed")  # no final report yet
    _finish(org, case)
    assert S.case_close(actor=org.cqo, case=case, kind="closed").status == CaseStatus.CLOSED
    assert S.case_totals(case)["outstanding"] == 0


def test_a_complaint_asks_for_a_recall_through_the_masterdata_event(org: Org, world: Any) -> None:
    answers = events.recall_requested.send(
        sender=None, actor=org.cqo, source="complaint", source_ref="CC-1", title="客户投诉",
        lots=[world.lot],
    )  # fmt: skip
    case = answers[0][1]
    assert case.signal_ref == "CC-1" and list(case.start_lots.all()) == [world.lot]
    again = events.recall_requested.send(sender=None, actor=org.cqo, source="complaint",
                                         source_ref="CC-1", title="客户投诉")  # fmt: skip
    assert again[0][1].pk == case.pk
    with pytest.raises(PermissionDenied):
        events.recall_requested.send(sender=None, actor=org.engineer, source="complaint",
                                     source_ref="CC-2", title="x")  # fmt: skip


def test_a_recall_asked_for_on_a_complaint_runs_its_clocks_from_the_day_it_was_received(
    org: Org, world: Any
) -> None:
    import datetime

    from cqo.recall.models import RecallClock

    received = datetime.date(2026, 9, 29)
    answers = events.recall_requested.send(
        sender=None, actor=org.cqo, source="complaint", source_ref="CC-9", title="客户投诉",
        lots=[world.lot], signal_on=received,
    )  # fmt: skip
    case = answers[0][1]
    assert case.signal_on == received
    report = RecallClock.objects.get(case=case, key="report")
    # Two working days after Tuesday 29 September, over National Day: Thursday 8 October.
    assert report.started_on == received
    assert report.due_on == datetime.date(2026, 10, 8)


def test_the_plan_and_notice_print_as_pdf(org: Org, world: Any) -> None:
    from cqo.recall import documents_case

    case = case_at(org, world, "notified")
    report = _finish(org, case)
    for data in (documents_case.plan_pdf(case), documents_case.notice_pdf(case, language="en"),
                 documents_case.report_pdf(report)):  # fmt: skip
        assert data.startswith(b"%PDF")
