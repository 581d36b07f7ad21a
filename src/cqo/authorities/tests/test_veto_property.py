"""The one-vote veto as a property (§6 i)): no sequence of operations, through any door, moves a
vetoed decision forward; once the CQO lifts the veto, the decision may proceed again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from cqo.authorities.models import BusinessDecision, Veto
from cqo.authorities.vetoable import VetoActiveError, flow_for

from .conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db

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
            self.decision = S.decision_create(
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
                lambda: S.decision_advance(actor=actors[who], decision=self._current(), step=step)
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
                lambda: S.decision_advance(actor=None, decision=self._current(), step=step)
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
