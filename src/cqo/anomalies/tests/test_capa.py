"""Corrective and preventive action (§7.1.4): the 8D when the NCR asks for it, the analysis, the
root cause verified and the effectiveness checked by another person, the signed closure, the
evidence proposed from the data, repeats after closure, and the NCR's closure obstacle."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqo.anomalies import selectors_capa as sel
from cqo.anomalies import services_capa as S
from cqo.anomalies.models import Capa, CapaRepeat
from cqo.anomalies.models_capa import (
    ActionKind,
    CapaStatus,
    DocumentKind,
    EffectivenessResult,
)
from cqo.audit.models import AuditEvent
from cqo.audit.selectors import signatures_with_status
from cqo.masterdata.models import DefectClass, StockStatus
from cqo.testing.anomalies import DefectCodeFactory, ncr_make
from cqo.testing.capa import WHYS, capa_analysed, capa_on_ncr, capa_ready_for_check
from cqo.testing.masterdata import LotFactory
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db


def _messages(exc: Any) -> str:
    return " ".join(exc.value.messages)


def _close(org: Org, capa: Capa) -> Capa:
    S.effectiveness_check(
        actor=org.deputy, capa=capa, result=EffectivenessResult.EFFECTIVE,
        evidence="后续3批合格", password=PASSWORD,
    )  # fmt: skip
    return S.capa_close(actor=org.engineer, capa=capa, note="", password=PASSWORD)


def test_it_opens_an_8d_for_a_critical_defect_and_keeps_it_one(org: Org) -> None:
    critical = DefectCodeFactory(defect_class=DefectClass.CR, code="CR01")
    anomaly = ncr_make(org, defects=[(critical, 2)])
    capa = capa_on_ncr(org, anomaly=anomaly)
    assert capa.is_8d
    assert capa.defect_code == "CR01"
    assert capa.item_id == anomaly.item_id
    assert capa.number.startswith(f"CAPA-{timezone.localdate().year}-")
    with pytest.raises(ValidationError) as exc:
        S.capa_update(actor=org.engineer, capa=capa, is_8d=False)
    assert "is_8d" in exc.value.message_dict
    assert "§7.1.4" in _messages(exc)


def test_a_minor_manual_ncr_does_not_require_an_8d(org: Org) -> None:
    capa = capa_on_ncr(org)
    assert not capa.is_8d
    assert capa.members.get().user == org.engineer


def test_an_inspector_may_not_open_a_capa(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        S.capa_create(actor=org.inspector, title="x", owner=org.inspector)


def test_the_whys_are_kept_in_order_without_a_gap(org: Org) -> None:
    capa = capa_on_ncr(org)
    with pytest.raises(ValidationError) as exc:
        S.why_chain_save(actor=org.engineer, capa=capa, problem="超差", steps=["a", "", "c"])
    assert "steps" in exc.value.message_dict
    chain = S.why_chain_save(actor=org.engineer, capa=capa, problem="超差", steps=["a", "b", ""])
    assert chain.steps == ["a", "b"]
    edited = S.why_chain_save(
        actor=org.engineer, capa=capa, problem="超差", steps=["a", "b", "c"], chain=chain
    )
    assert edited.steps == ["a", "b", "c"]
    assert AuditEvent.objects.filter(action="anomalies.whychain.update").count() == 1


def test_the_owner_may_not_verify_their_own_root_cause(org: Org) -> None:
    capa = capa_on_ncr(org)
    S.capa_update(actor=org.engineer, capa=capa, root_cause="刀具寿命")
    S.why_chain_save(actor=org.engineer, capa=capa, problem="超差", steps=WHYS)
    with pytest.raises(PermissionDenied) as exc:
        S.root_cause_verify(actor=org.engineer, capa=capa, verification="试验")
    assert "§7.1.4" in str(exc.value)


def test_a_root_cause_is_not_verified_without_a_why_chain_or_a_fishbone_root(org: Org) -> None:
    capa = capa_on_ncr(org)
    S.capa_update(actor=org.engineer, capa=capa, root_cause="刀具寿命")
    with pytest.raises(ValidationError) as exc:
        S.root_cause_verify(actor=org.deputy, capa=capa, verification="试验")
    assert "why_chains" in exc.value.message_dict


def test_after_verification_the_analysis_is_frozen(org: Org) -> None:
    capa = capa_analysed(org)
    assert capa.status == CapaStatus.ACTIONS
    with pytest.raises(ValidationError):
        S.why_chain_save(actor=org.engineer, capa=capa, problem="再加一条", steps=["a"])
    with pytest.raises(ValidationError) as exc:
        S.capa_update(actor=org.engineer, capa=capa, root_cause="改写")
    assert "root_cause" in exc.value.message_dict


def test_a_preventive_action_names_what_must_change(org: Org) -> None:
    capa = capa_analysed(org)
    due = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        S.action_add(actor=org.engineer, capa=capa, kind=ActionKind.PREVENTIVE,
                     description="横向展开", owner=org.head, due_on=due)  # fmt: skip
    assert "document_ref" in exc.value.message_dict
    action = S.action_add(
        actor=org.engineer, capa=capa, kind=ActionKind.PREVENTIVE, description="横向展开",
        owner=org.head, due_on=due, document_kind=DocumentKind.FMEA, document_ref="PFMEA-07",
    )  # fmt: skip
    assert action.document_ref == "PFMEA-07"


def test_the_watch_starts_when_every_permanent_action_is_done(org: Org) -> None:
    capa = capa_ready_for_check(org)
    assert capa.status == CapaStatus.VERIFICATION
    assert capa.actions_done_at is not None


def test_the_owner_of_an_action_may_not_check_its_effectiveness(org: Org) -> None:
    capa = capa_ready_for_check(org)
    # The head owns the action; the engineer owns the CAPA.
    for actor in (org.engineer,):
        with pytest.raises(PermissionDenied):
            S.effectiveness_check(actor=actor, capa=capa, result="effective", evidence="ok",
                                  password=PASSWORD)  # fmt: skip
    capa.refresh_from_db()
    assert capa.status == CapaStatus.VERIFICATION
    assert not capa.effectiveness_checked_by_id


def test_a_wrong_password_signs_nothing_and_changes_nothing(org: Org) -> None:
    capa = capa_ready_for_check(org)
    with pytest.raises(ValidationError):
        S.effectiveness_check(actor=org.deputy, capa=capa, result="effective", evidence="ok",
                              password="wrong")  # fmt: skip
    capa.refresh_from_db()
    assert capa.status == CapaStatus.VERIFICATION
    assert not signatures_with_status(obj=capa)


def test_no_closure_before_another_person_found_it_effective(org: Org) -> None:
    capa = capa_ready_for_check(org)
    with pytest.raises(ValidationError) as exc:
        S.capa_close(actor=org.engineer, capa=capa, note="", password=PASSWORD)
    assert "effectiveness" in exc.value.message_dict
    assert "§7.1.4" in _messages(exc)


def test_a_capa_closes_with_two_signatures_that_match_the_record(org: Org) -> None:
    capa = _close(org, capa_ready_for_check(org))
    assert capa.status == CapaStatus.CLOSED
    assert capa.effectiveness_checked_by == org.deputy
    assert capa.closed_by == org.engineer
    signatures = signatures_with_status(obj=capa)
    assert len(signatures) == 2
    assert all(s.matches for s in signatures)
    assert AuditEvent.objects.filter(action="anomalies.capa.close", object_id=str(capa.pk)).exists()


def test_not_effective_sends_the_capa_back_to_its_actions(org: Org) -> None:
    capa = capa_ready_for_check(org)
    capa = S.effectiveness_check(actor=org.deputy, capa=capa, result="not_effective",
                                 evidence="第2批仍有超差", password=PASSWORD)  # fmt: skip
    assert capa.status == CapaStatus.ACTIONS
    assert capa.actions_done_at is None


def test_the_evidence_counts_the_next_lots_of_the_item_and_the_repeats(org: Org) -> None:
    capa = capa_ready_for_check(org)
    assert capa.effectiveness_lots == 3
    for status in (StockStatus.RELEASED, StockStatus.RELEASED):
        LotFactory(item=capa.item, stock_status=status)
    evidence = sel.effectiveness_evidence(capa)
    assert (evidence.lots_seen, evidence.lots_accepted) == (2, 2)
    assert not evidence.ready
    LotFactory(item=capa.item, stock_status=StockStatus.CONDITIONAL)
    evidence = sel.effectiveness_evidence(capa)
    assert evidence.lots_accepted == 3
    assert evidence.ready
    defect = capa.anomaly.defects.get().defect
    ncr_make(org, item=capa.item, defects=[(defect, 1)])
    evidence = sel.effectiveness_evidence(capa)
    assert evidence.repeats == 1
    assert not evidence.ready


def test_a_repeat_within_the_window_reopens_the_effectiveness_and_is_counted(org: Org) -> None:
    capa = _close(org, capa_ready_for_check(org))
    defect = capa.anomaly.defects.get().defect
    again = ncr_make(org, item=capa.item, defects=[(defect, Decimal("3"))])
    capa.refresh_from_db()
    assert capa.status == CapaStatus.VERIFICATION
    assert capa.reopened_count == 1
    assert CapaRepeat.objects.get(capa=capa).anomaly == again
    assert sel.repeat_rate(org.cqo) == {"closed": 1, "repeated": 1}


def test_a_repeat_after_the_window_or_on_another_item_is_not_counted(org: Org) -> None:
    capa = _close(org, capa_ready_for_check(org))
    Capa.objects.filter(pk=capa.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=capa.repeat_window_days + 1)
    )
    defect = capa.anomaly.defects.get().defect
    ncr_make(org, item=capa.item, defects=[(defect, 1)])
    ncr_make(org, defects=[(defect, 1)])
    capa.refresh_from_db()
    assert capa.status == CapaStatus.CLOSED
    assert not CapaRepeat.objects.exists()


def test_an_ncr_does_not_close_while_its_capa_is_open(org: Org) -> None:
    capa = capa_ready_for_check(org)
    obstacles = sel.closure_obstacles(capa.anomaly)
    assert len(obstacles) == 1
    assert capa.number in obstacles[0]
    assert "§7.1.4" in obstacles[0]
    _close(org, capa)
    assert sel.closure_obstacles(capa.anomaly) == []


def test_a_capa_cannot_be_opened_on_a_voided_ncr(org: Org) -> None:
    anomaly = ncr_make(org)
    anomaly.voided_at = timezone.now()
    anomaly.save(update_fields=["voided_at"])
    with pytest.raises(ValidationError) as exc:
        capa_on_ncr(org, anomaly=anomaly)
    assert "anomaly" in exc.value.message_dict


def test_the_ageing_buckets_count_open_capas_by_days(org: Org) -> None:
    capa = capa_on_ncr(org)
    Capa.objects.filter(pk=capa.pk).update(raised_at=timezone.now() - datetime.timedelta(days=75))
    counts = {b["label"]: b["count"] for b in sel.ageing_counts(org.inspector)}
    assert counts["61–90"] == 1
    assert sum(counts.values()) == 1
