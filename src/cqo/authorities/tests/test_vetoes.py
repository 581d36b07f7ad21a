from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent, Signature
from cqo.audit.services import signatures_for, verify_chain
from cqo.authorities import selectors as sel
from cqo.authorities import services as S
from cqo.authorities.models import Veto
from cqo.authorities.vetoable import VetoActiveError, VetoFlow, is_vetoable
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision, DecisionStatus
from cqo.plans import services as PS
from cqo.testing.world import PASSWORD, Org, days, end_appointment, today

pytestmark = pytest.mark.django_db


def _decision(org: Org, status: str = "submitted") -> BusinessDecision:
    decision = DS.decision_create(
        actor=org.head, kind="product_launch", title="新款制动卡钳上市", unit=org.production
    )
    if status in ("submitted", "approved"):
        decision = DS.decision_submit(actor=org.head, decision=decision)
    if status == "approved":
        decision = DS.decision_approve(actor=org.principal, decision=decision)
    return decision


def _veto(org: Org, subject: Any, actor: Any = None) -> Veto:
    return S.veto_impose(
        actor=actor or org.cqo, subject=subject, reason="制动性能验证未完成", password=PASSWORD
    )


def _unchanged(decision: BusinessDecision, call: Any, exc: type[Exception]) -> Exception:
    status = BusinessDecision.objects.get(pk=decision.pk).status
    counts = (AuditEvent.objects.count(), Signature.objects.count(), Veto.objects.count())
    with pytest.raises(exc) as info:
        call()
    assert BusinessDecision.objects.get(pk=decision.pk).status == status
    assert (AuditEvent.objects.count(), Signature.objects.count(), Veto.objects.count()) == counts
    return info.value


def test_the_cqo_vetoes_with_a_reason_and_an_e_signature_and_it_is_audited(org: Org) -> None:
    decision = _decision(org)
    with translation.override("en"):
        veto = _veto(org, decision)
    assert veto.is_active and veto.vetoed_by == org.cqo and veto.capacity == "cqo"
    assert signatures_for(decision).get().meaning == "Vetoed as CQO under §6 i)"
    event = AuditEvent.objects.filter(action="authorities.veto.impose").get()
    assert (event.clause, event.object_id) == ("§6 i)", str(decision.pk))
    assert list(sel.vetoes_visible(org.auditor, active=True)) == [veto]


@pytest.mark.parametrize("step", ["approve", "effect"])
def test_a_vetoed_decision_cannot_go_forward_through_the_services(org: Org, step: str) -> None:
    decision = _decision(org, "approved" if step == "effect" else "submitted")
    _veto(org, decision)
    with translation.override("zh-hans"):
        exc = _unchanged(
            decision,
            lambda: DS.decision_advance(actor=org.principal, decision=decision, step=step),
            VetoActiveError,
        )
    assert "§6 i)" in str(exc) and "否决" in str(exc)


def test_a_vetoed_draft_cannot_even_be_submitted(org: Org) -> None:
    decision = _decision(org, "draft")
    _veto(org, decision)
    _unchanged(
        decision, lambda: DS.decision_submit(actor=org.head, decision=decision), VetoActiveError
    )


def test_a_direct_save_update_or_bulk_update_is_refused_at_the_model_layer(org: Org) -> None:
    decision = _decision(org)
    _veto(org, decision)
    decision.status = DecisionStatus.APPROVED
    with translation.override("en"):
        exc = _unchanged(decision, decision.save, VetoActiveError)
    assert "§6 i)" in str(exc)
    _unchanged(
        decision,
        lambda: BusinessDecision.objects.filter(pk=decision.pk).update(status="in_effect"),
        VetoActiveError,
    )
    _unchanged(
        decision,
        lambda: BusinessDecision.objects.bulk_update([decision], ["status"]),
        VetoActiveError,
    )


def test_a_vetoed_decision_may_still_be_withdrawn(org: Org) -> None:
    decision = _decision(org)
    _veto(org, decision)
    withdrawn = DS.decision_withdraw(actor=org.head, decision=decision, reason="按否决意见撤回")
    assert withdrawn.status == DecisionStatus.WITHDRAWN


@pytest.mark.parametrize("who", ["principal", "deputy", "head", "auditor"])
def test_only_the_cqo_vetoes(org: Org, who: str) -> None:
    decision = _decision(org)
    S.delegation_create(
        actor=org.cqo, authority="c", delegate=org.deputy.person, units=[org.root],
        start_date=today(), end_date=days(30),
    )  # fmt: skip
    with translation.override("en"):
        exc = _unchanged(
            decision, lambda: _veto(org, decision, getattr(org, who)), PermissionDenied
        )
    assert "§6 i)" in str(exc)


@pytest.mark.parametrize("who", ["principal", "deputy", "head"])
def test_a_veto_lifted_by_someone_else_is_refused_and_changes_nothing(org: Org, who: str) -> None:
    decision = _decision(org)
    veto = _veto(org, decision)
    with translation.override("en"):
        exc = _unchanged(
            decision,
            lambda: S.veto_lift(
                actor=getattr(org, who), veto=veto, reason="市场需要", password=PASSWORD
            ),
            PermissionDenied,
        )
    assert "§6 i)" in str(exc)
    veto.refresh_from_db()
    assert veto.is_active


def test_a_former_cqo_can_no_longer_lift_their_veto(org: Org) -> None:
    decision = _decision(org)
    veto = _veto(org, decision)
    end_appointment(org.appointment, days(-1))
    _unchanged(
        decision,
        lambda: S.veto_lift(actor=org.cqo, veto=veto, reason="x", password=PASSWORD),
        PermissionDenied,
    )


def test_the_cqo_lifts_the_veto_with_a_reason_and_the_decision_proceeds(org: Org) -> None:
    decision = _decision(org)
    with translation.override("en"):
        veto = _veto(org, decision)
    with pytest.raises(ValidationError) as exc:
        S.veto_lift(actor=org.cqo, veto=veto, reason=" ", password=PASSWORD)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        S.veto_lift(actor=org.cqo, veto=veto, reason="验证已完成", password="wrong")
    assert Veto.objects.get(pk=veto.pk).is_active
    with translation.override("en"):
        S.veto_lift(actor=org.cqo, veto=veto, reason="验证已完成", password=PASSWORD)
    veto.refresh_from_db()
    assert not veto.is_active and veto.lifted_by == org.cqo
    meanings = list(signatures_for(decision).values_list("meaning", flat=True))
    assert meanings == ["Vetoed as CQO under §6 i)", "Veto lifted as CQO under §6 i)"]
    assert DS.decision_approve(actor=org.principal, decision=decision).status == "approved"
    assert verify_chain() is None


def test_a_decision_vetoed_again_after_a_lift_is_held_again(org: Org) -> None:
    decision = _decision(org)
    S.veto_lift(actor=org.cqo, veto=_veto(org, decision), reason="ok", password=PASSWORD)
    _veto(org, decision)
    _unchanged(
        decision,
        lambda: DS.decision_approve(actor=org.principal, decision=decision),
        VetoActiveError,
    )
    assert Veto.objects.for_object(decision).count() == 2


def test_vetoing_twice_or_a_finished_or_unvetoable_record_is_refused(org: Org) -> None:
    decision = _decision(org)
    _veto(org, decision)
    exc = _unchanged(decision, lambda: _veto(org, decision), ValidationError)
    assert "subject" in exc.message_dict
    done = _decision(org, "approved")
    done = DS.decision_put_in_effect(actor=org.principal, decision=done)
    _unchanged(done, lambda: _veto(org, done), ValidationError)
    with pytest.raises(ValidationError):
        _veto(org, org.production)


def test_a_vetoed_proposal_cannot_be_accepted(org: Org) -> None:
    proposal = DS.proposal_submit(actor=org.cqo, title="提高来料抽检比例", body="……")
    _veto(org, proposal)
    with pytest.raises(VetoActiveError):
        DS.proposal_answer(actor=org.principal, proposal=proposal, answer="accept")
    rejected = DS.proposal_answer(
        actor=org.principal, proposal=proposal, answer="reject", reason="已否决"
    )
    assert rejected.status == "rejected"


def test_a_vetoed_plan_cannot_be_approved_through_the_inbox(org: Org) -> None:
    plan = PS.plan_create(actor=org.cqo, title="2026 年质量计划", year=today().year)
    PS.plan_item_add(actor=org.cqo, plan=plan, title="IATF 16949 再认证", owner=org.deputy.person,
                    due_date=days(100))  # fmt: skip
    request = PS.plan_submit(actor=org.cqo, plan=plan)
    _veto(org, plan)
    with pytest.raises(VetoActiveError):
        S.approval_decide(
            actor=org.principal, request=request, decision="approve", reason="ok", password=PASSWORD
        )
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_the_registry_makes_a_model_vetoable_in_one_line() -> None:
    assert is_vetoable(BusinessDecision)
    flow = VetoFlow("status", ("draft", "submitted", "approved", "in_effect"))
    assert flow.is_forward("draft", "approved")
    assert not flow.is_forward("approved", "draft")
    assert not flow.is_forward("submitted", "withdrawn")
    assert not flow.is_forward("approved", "approved")
