"""The one-vote veto as a property (§6 i)): no sequence of operations, through any door, moves a
vetoed decision forward; once the CQO lifts the veto, the decision may proceed again.

The first machine walks a business decision; the second walks each other vetoable record of the
app (a proposal, a quality plan, a plan's approval request), and also tries to lift the veto
around the service: an imported (deserialised) veto row, or an ``update()`` of the veto record.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient

from cqo.audit.services import verify_chain
from cqo.authorities import services as S
from cqo.authorities.models import ApprovalRequest, Veto
from cqo.authorities.vetoable import VetoActiveError, VetoTamperError, flow_for
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision, Proposal
from cqo.plans import services as PS
from cqo.plans.models import QualityPlan
from cqo.testing.world import PASSWORD, Org, days, today

# Wrong passwords are part of the sequences; the sign-in throttle they count against is tested in
# accounts, and must not lock the CQO out halfway through a sequence about the veto.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_password_lockout")]


@pytest.fixture
def _no_password_lockout(settings: Any) -> None:
    settings.CQO_LOGIN_MAX_FAILURES = 1_000_000


STEPS = ("submit", "approve", "effect")
NEXT = {"draft": "submitted", "submitted": "approved", "approved": "in_effect"}
API = "/api/v1/authorities"


def _rank(status: str) -> int:
    flow = flow_for(BusinessDecision)
    assert flow is not None
    return flow.rank(status)


def test_no_sequence_of_operations_moves_a_vetoed_decision_forward(org: Org) -> None:
    actors = {"cqo": org.cqo, "principal": org.principal, "deputy": org.deputy, "head": org.head}

    class VetoMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.decision = DS.decision_create(
                actor=org.head, kind="product_launch", title="新款制动卡钳上市", unit=org.production
            )
            self.before = self.decision.status
            self.vetoed_before = False

        @initialize(start=st.sampled_from(["draft", "submitted", "approved"]))
        def a_decision_vetoed_by_the_cqo(self, start: str) -> None:
            # Set-up, not a step under test: the decision reaches ``start`` before the veto.
            BusinessDecision.objects.filter(pk=self.decision.pk).update(status=start)
            S.veto_impose(
                actor=org.cqo, subject=self._current(), reason="制动性能验证未完成",
                password=PASSWORD,
            )  # fmt: skip
            self.before = start
            self.vetoed_before = True

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        # --- helpers --------------------------------------------------------------------
        def _current(self) -> BusinessDecision:
            return BusinessDecision.objects.get(pk=self.decision.pk)

        def _active_veto(self) -> Veto | None:
            return Veto.objects.active_for(self.decision).first()

        def _attempt(self, call: Any) -> None:
            self.before = self._current().status
            self.vetoed_before = self._active_veto() is not None
            try:
                with transaction.atomic():
                    call()
            except (VetoActiveError, PermissionDenied, ValidationError):
                pass

        # --- moving forward, by every door -----------------------------------------------
        @rule(step=st.sampled_from(STEPS), who=st.sampled_from(["principal", "head", "cqo"]))
        def via_service(self, step: str, who: str) -> None:
            self._attempt(
                lambda: DS.decision_advance(actor=actors[who], decision=self._current(), step=step)
            )

        @rule(step=st.sampled_from(STEPS), who=st.sampled_from(["principal", "head"]))
        def via_api(self, step: str, who: str) -> None:
            def call() -> None:
                client = APIClient()
                client.force_authenticate(actors[who])
                response = client.post(f"{API}/decisions/{self.decision.pk}/{step}/")
                if self.vetoed_before:
                    assert response.status_code in (403, 409), response.content
                    if response.status_code == 409:
                        assert "§6 i)" in response.json()["detail"]

            self._attempt(call)

        @rule()
        def via_direct_save(self) -> None:
            def call() -> None:
                obj = self._current()
                if obj.status in NEXT:
                    obj.status = NEXT[obj.status]
                    obj.save()

            self._attempt(call)

        @rule()
        def via_queryset_update(self) -> None:
            def call() -> None:
                status = self._current().status
                if status in NEXT:
                    BusinessDecision.objects.filter(pk=self.decision.pk).update(status=NEXT[status])

            self._attempt(call)

        @rule()
        def via_import(self) -> None:
            def call() -> None:
                obj = self._current()
                if obj.status not in NEXT:
                    return
                obj.status = NEXT[obj.status]
                for item in serializers.deserialize("json", serializers.serialize("json", [obj])):
                    item.save()

            self._attempt(call)

        @rule(step=st.sampled_from(STEPS))
        def via_a_job_without_an_actor(self, step: str) -> None:
            self._attempt(
                lambda: DS.decision_advance(actor=None, decision=self._current(), step=step)
            )

        # --- vetoing and lifting ---------------------------------------------------------
        @rule(who=st.sampled_from(["cqo", "principal", "deputy"]))
        def veto(self, who: str) -> None:
            self._attempt(
                lambda: S.veto_impose(
                    actor=actors[who], subject=self._current(), reason="验证未完成",
                    password=PASSWORD,
                )
            )  # fmt: skip

        @precondition(lambda self: Veto.objects.active_for(self.decision).exists())
        @rule(who=st.sampled_from(["principal", "deputy", "head"]))
        def lift_by_someone_else(self, who: str) -> None:
            veto = self._active_veto()
            self._attempt(
                lambda: S.veto_lift(actor=actors[who], veto=veto, reason="x", password=PASSWORD)
            )
            assert self._active_veto() is not None, "only the CQO lifts a veto"

        @precondition(lambda self: Veto.objects.active_for(self.decision).exists())
        @rule()
        def lift_with_a_wrong_password(self) -> None:
            veto = self._active_veto()
            self._attempt(
                lambda: S.veto_lift(actor=org.cqo, veto=veto, reason="x", password="wrong")
            )
            assert self._active_veto() is not None

        @precondition(lambda self: Veto.objects.active_for(self.decision).exists())
        @rule()
        def lift_by_the_cqo(self) -> None:
            veto = self._active_veto()
            self._attempt(
                lambda: S.veto_lift(actor=org.cqo, veto=veto, reason="已验证", password=PASSWORD)
            )
            assert self._active_veto() is None

        # --- the property ----------------------------------------------------------------
        @invariant()
        def a_vetoed_decision_never_moved_forward(self) -> None:
            after = self._current().status
            if self.vetoed_before:
                assert _rank(after) <= _rank(self.before), (
                    f"moved from {self.before} to {after} under a veto"
                )

        @invariant()
        def at_most_one_active_veto(self) -> None:
            assert Veto.objects.active_for(self.decision).count() <= 1

    run_state_machine_as_test(
        VetoMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert verify_chain() is None


# --- proposals, plans and plan approvals -------------------------------------------------

KINDS = ("proposal", "plan", "approval")
MODELS: dict[str, Any] = {"proposal": Proposal, "plan": QualityPlan, "approval": ApprovalRequest}
STARTS = {
    "proposal": ("open", "deferred"),
    "plan": ("submitted", "returned"),
    "approval": ("pending",),
}


@pytest.mark.parametrize("kind", KINDS)
def test_no_sequence_of_operations_moves_a_vetoed_proposal_or_plan_forward(
    org: Org, kind: str
) -> None:
    actors = {"cqo": org.cqo, "principal": org.principal, "deputy": org.deputy, "head": org.head}
    model = MODELS[kind]
    flow = flow_for(model)
    assert flow is not None

    class RecordMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.plan: QualityPlan | None = None
            self.subject: Any = None
            self.before = ""
            self.vetoed_before = False

        @initialize(start=st.integers(min_value=0, max_value=1))
        def a_record_vetoed_by_the_cqo(self, start: int) -> None:
            # Set-up, not a step under test: the record reaches a status that may still go
            # forward (a deferred proposal and a returned plan among them), then is vetoed.
            status = STARTS[kind][start % len(STARTS[kind])]
            if kind == "proposal":
                self.subject = DS.proposal_submit(
                    actor=org.cqo, title="提高来料抽检比例", body="……", addressee=org.principal
                )
                if status == "deferred":
                    DS.proposal_answer(
                        actor=org.principal, proposal=self.subject, answer="defer",
                        deferred_until=days(10),
                    )  # fmt: skip
                    # the deferral date has come: an answer is owed again
                    Proposal.objects.filter(pk=self.subject.pk).update(deferred_until=today())
            else:
                self.plan = PS.plan_create(actor=org.cqo, title="年度质量计划", year=today().year)
                PS.plan_item_add(
                    actor=org.cqo, plan=self.plan, title="再认证", owner=org.deputy.person,
                    due_date=days(100),
                )  # fmt: skip
                request = PS.plan_submit(actor=org.cqo, plan=self.plan)
                if status == "returned":
                    S.approval_decide(
                        actor=org.principal, request=request, decision="reject", reason="目标不清",
                        password=PASSWORD,
                    )  # fmt: skip
                self.subject = self.plan if kind == "plan" else request
            S.veto_impose(
                actor=org.cqo, subject=self._current(), reason="质量安全风险未消除",
                password=PASSWORD,
            )  # fmt: skip
            self.before = self._current().status
            self.vetoed_before = True

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        # --- helpers --------------------------------------------------------------------
        def _current(self) -> Any:
            return model._base_manager.get(pk=self.subject.pk)

        def _active_veto(self) -> Veto | None:
            return Veto.objects.active_for(self.subject).first()

        def _pending_request(self) -> ApprovalRequest | None:
            if kind == "approval":
                return ApprovalRequest.objects.get(pk=self.subject.pk)
            if self.plan is None:
                return None
            return ApprovalRequest.objects.filter(
                object_id=str(self.plan.pk), status="pending"
            ).first()

        def _attempt(self, call: Any) -> None:
            self.before = self._current().status
            self.vetoed_before = self._active_veto() is not None
            try:
                with transaction.atomic():
                    call()
            except (VetoActiveError, VetoTamperError, PermissionDenied, ValidationError):
                pass

        # --- moving forward, by every door -----------------------------------------------
        @rule(who=st.sampled_from(["principal", "cqo", "deputy"]))
        def via_service(self, who: str) -> None:
            def call() -> None:
                if kind == "proposal":
                    DS.proposal_answer(actor=actors[who], proposal=self._current(), answer="accept")
                    return
                if kind == "plan" and self._current().status in ("draft", "returned"):
                    PS.plan_submit(actor=actors[who], plan=self._current())
                    return
                request = self._pending_request()
                if request is not None:
                    S.approval_decide(
                        actor=actors[who], request=request, decision="approve", reason="同意",
                        password=PASSWORD,
                    )  # fmt: skip

            self._attempt(call)

        @rule(who=st.sampled_from(["principal", "cqo"]))
        def via_api(self, who: str) -> None:
            def call() -> None:
                client = APIClient()
                client.force_authenticate(actors[who])
                if kind == "proposal":
                    url, body = f"{API}/proposals/{self.subject.pk}/answer/", {"answer": "accept"}
                elif kind == "plan" and self._current().status in ("draft", "returned"):
                    url, body = f"{API}/plans/{self.subject.pk}/submit/", {}
                else:
                    request = self._pending_request()
                    if request is None:
                        return
                    url = f"{API}/approvals/{request.pk}/decide/"
                    body = {"decision": "approve", "reason": "同意", "password": PASSWORD}
                response = client.post(url, body, format="json")
                if self.vetoed_before:
                    assert response.status_code in (400, 403, 404, 409), response.content
                    if response.status_code == 409:
                        assert "§6 i)" in response.json()["detail"]

            self._attempt(call)

        @rule(status=st.sampled_from([str(x) for x in flow.order]))
        def via_direct_save(self, status: str) -> None:
            def call() -> None:
                obj = self._current()
                obj.status = status
                obj.save()

            self._attempt(call)

        @rule(status=st.sampled_from([str(x) for x in flow.order]), expression=st.booleans())
        def via_queryset_update(self, status: str, expression: bool) -> None:
            value: Any = Value(status) if expression else status
            self._attempt(lambda: model.objects.filter(pk=self.subject.pk).update(status=value))

        @rule(status=st.sampled_from([str(x) for x in flow.order]))
        def via_import(self, status: str) -> None:
            def call() -> None:
                obj = self._current()
                obj.status = status
                for item in serializers.deserialize("json", serializers.serialize("json", [obj])):
                    item.save()

            self._attempt(call)

        # --- lifting around the service ----------------------------------------------------
        @precondition(lambda self: Veto.objects.active_for(self.subject).exists())
        @rule(how=st.sampled_from(["import", "save", "update", "move"]))
        def lift_by_an_imported_or_edited_veto_row(self, how: str) -> None:
            veto = self._active_veto()
            assert veto is not None

            def call() -> None:
                if how == "update":
                    Veto.objects.filter(pk=veto.pk).update(lifted_at=timezone.now())
                    return
                if how == "move":
                    Veto.objects.filter(pk=veto.pk).update(object_id="0")
                    return
                veto.lifted_at = timezone.now()
                veto.lifted_by = org.cqo
                veto.lift_reason = "导入"
                if how == "save":
                    veto.save()
                    return
                for item in serializers.deserialize("json", serializers.serialize("json", [veto])):
                    item.save()

            self._attempt(call)
            assert self._active_veto() is not None, "a veto is lifted only through the service"

        # --- vetoing and lifting ---------------------------------------------------------
        @rule(who=st.sampled_from(["cqo", "principal", "deputy"]))
        def veto(self, who: str) -> None:
            self._attempt(
                lambda: S.veto_impose(
                    actor=actors[who], subject=self._current(), reason="验证未完成",
                    password=PASSWORD,
                )
            )  # fmt: skip

        @precondition(lambda self: Veto.objects.active_for(self.subject).exists())
        @rule(who=st.sampled_from(["principal", "deputy", "head"]))
        def lift_by_someone_else(self, who: str) -> None:
            veto = self._active_veto()
            self._attempt(
                lambda: S.veto_lift(actor=actors[who], veto=veto, reason="x", password=PASSWORD)
            )
            assert self._active_veto() is not None, "only the CQO lifts a veto"

        @precondition(lambda self: Veto.objects.active_for(self.subject).exists())
        @rule()
        def lift_by_the_cqo(self) -> None:
            veto = self._active_veto()
            self._attempt(
                lambda: S.veto_lift(actor=org.cqo, veto=veto, reason="已验证", password=PASSWORD)
            )
            assert self._active_veto() is None

        # --- the property ----------------------------------------------------------------
        @invariant()
        def a_vetoed_record_never_moved_forward(self) -> None:
            if self.subject is None:
                return
            after = self._current().status
            if self.vetoed_before:
                assert not flow.is_forward(self.before, after), (
                    f"{kind} moved from {self.before} to {after} under a veto"
                )

        @invariant()
        def at_most_one_active_veto(self) -> None:
            if self.subject is not None:
                assert Veto.objects.active_for(self.subject).count() <= 1

    run_state_machine_as_test(
        RecordMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert verify_chain() is None
