"""Penalties by procedure (§6 d)): heard before final, decided by the role the rules name and
never by the proposer, revised only by a new decision, and on the quality record."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from cqo.incidents import services_penalties as P
from cqo.incidents.models import PenaltyStatus
from cqo.organisation.quality_record import quality_record
from cqo.testing.incidents import incident_rules, penalty_heard, penalty_proposed

pytestmark = pytest.mark.django_db


def test_no_penalty_is_final_before_the_person_was_heard(org: Any) -> None:
    penalty = penalty_proposed(org)
    for step in ("proposed", "notified"):
        with override("zh-hans"), pytest.raises(ValidationError) as exc:
            P.penalty_decide(actor=org.principal, penalty=penalty, verdict="impose",
                             measure="fine", amount=Decimal("500"), reasons="依规")  # fmt: skip
        assert "statement" in exc.value.message_dict
        assert "§6 d)" in exc.value.message_dict["statement"][0]
        if step == "proposed":
            penalty = P.penalty_notify(actor=org.cqo, penalty=penalty, notice="拟罚款")
    assert quality_record(person=org.head.person) == []


def test_the_hearing_window_passing_is_recorded_only_once_it_has_passed(org: Any) -> None:
    penalty = P.penalty_notify(actor=org.cqo, penalty=penalty_proposed(org), notice="拟罚款")
    with pytest.raises(ValidationError) as exc:
        P.penalty_hear(actor=org.cqo, penalty=penalty)
    assert "statement" in exc.value.message_dict
    type(penalty).objects.filter(pk=penalty.pk).update(
        hearing_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    penalty = P.penalty_hear(actor=org.cqo, penalty=type(penalty).objects.get(pk=penalty.pk))
    assert (penalty.status, penalty.hearing_outcome) == ("heard", "window_passed")


def test_the_penalised_person_states_their_own_case_and_nobody_else_unrelated_may(
    org: Any,
) -> None:
    penalty = P.penalty_notify(actor=org.cqo, penalty=penalty_proposed(org), notice="拟罚款")
    with pytest.raises(PermissionDenied):
        P.penalty_hear(actor=org.inspector, penalty=penalty, statement="x")
    penalty = P.penalty_hear(actor=org.head, penalty=penalty, statement="我已按规定提醒设备科。")
    assert penalty.statement == "我已按规定提醒设备科。" and penalty.heard_by == org.head


def test_it_is_decided_by_the_role_the_rules_named_and_never_by_the_proposer(org: Any) -> None:
    penalty = penalty_heard(org)
    assert penalty.decider_role == "principal"
    with pytest.raises(PermissionDenied):
        P.penalty_decide(actor=org.cqo, penalty=penalty, verdict="impose", measure="fine",
                         amount=Decimal("500"), reasons="依规")  # fmt: skip
    # Rules that name the CQO: the CQO proposed this one, so still not the CQO.
    incident_rules(org.cqo, decider_role="cqo")
    by_cqo = penalty_proposed(org, incident=penalty.incident)
    assert by_cqo.decider_role == "cqo"
    with pytest.raises(PermissionDenied):
        P.penalty_decide(actor=org.cqo, penalty=by_cqo, verdict="dismiss", reasons="x")


def test_a_decided_penalty_goes_on_the_person_s_quality_record(org: Any) -> None:
    penalty = penalty_heard(org)
    decision = P.penalty_decide(actor=org.principal, penalty=penalty, verdict="impose",
                                measure="fine", amount=Decimal("300"), reasons="情节较轻")  # fmt: skip
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.DECIDED and decision.decided_by == org.principal
    [entry] = quality_record(person=org.head.person)
    assert (entry.kind, entry.amount, entry.key) == ("penalty", Decimal("300"),
                                                     f"penalty:{penalty.pk}")  # fmt: skip
    assert quality_record(unit=org.production) == []


def test_the_decision_cannot_be_heavier_than_what_the_person_was_heard_on(org: Any) -> None:
    penalty = penalty_heard(org)
    with pytest.raises(ValidationError) as exc:
        P.penalty_decide(actor=org.principal, penalty=penalty, verdict="impose",
                         measure="fine", amount=Decimal("900"), reasons="x")  # fmt: skip
    assert "amount" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        P.penalty_decide(actor=org.principal, penalty=penalty, verdict="impose",
                         measure="demotion", reasons="x")  # fmt: skip
    assert "measure" in exc.value.message_dict


def test_a_revision_is_a_new_decision_and_the_old_one_is_kept(org: Any) -> None:
    penalty = penalty_heard(org)
    first = P.penalty_decide(actor=org.principal, penalty=penalty, verdict="impose",
                             measure="fine", amount=Decimal("500"), reasons="依规")  # fmt: skip
    with pytest.raises(ValidationError):
        P.penalty_decide(actor=org.principal, penalty=penalty, verdict="dismiss", reasons="x")
    second = P.penalty_revise(actor=org.principal, penalty=penalty, verdict="impose",
                              measure="warning", reasons="复议后减轻")  # fmt: skip
    penalty.refresh_from_db()
    first.refresh_from_db()
    assert second.supersedes == first and first.amount == Decimal("500")
    assert penalty.current_decision == second
    [entry] = quality_record(person=org.head.person)
    assert entry.amount is None
    P.penalty_revise(actor=org.principal, penalty=penalty, verdict="dismiss", reasons="撤销")
    assert quality_record(person=org.head.person) == []
    assert penalty.decisions.count() == 3


def test_a_withdrawn_penalty_is_not_decided_and_a_decided_one_is_not_withdrawn(org: Any) -> None:
    penalty = penalty_proposed(org)
    P.penalty_withdraw(actor=org.cqo, penalty=penalty, reason="证据不足")
    with pytest.raises(ValidationError):
        P.penalty_notify(actor=org.cqo, penalty=penalty, notice="x")
    decided = penalty_heard(org)
    P.penalty_decide(actor=org.principal, penalty=decided, verdict="dismiss", reasons="x")
    with pytest.raises(ValidationError) as exc:
        P.penalty_withdraw(actor=org.cqo, penalty=decided, reason="x")
    assert "reason" in exc.value.message_dict


def test_a_penalty_names_a_person_or_a_unit_and_a_fine_an_amount(org: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        penalty_proposed(org, person=None, amount=None)
    assert {"person", "amount"} <= set(exc.value.message_dict)
