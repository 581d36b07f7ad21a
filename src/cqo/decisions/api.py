"""The proposals and decisions API (/api/v1/authorities/proposals|decisions/, kept where it was)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.authorities.api import (
    AuthorityReasonSerializer,
    _Base,
    _view,
)
from cqo.authorities.vetoable import (
    veto_active_for,
)

from . import selectors, services
from .models import BusinessDecision, Proposal


class ProposalSerializer(serializers.ModelSerializer):
    age_days = serializers.IntegerField(read_only=True)
    awaiting_answer = serializers.BooleanField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id", "title", "body", "unit", "addressee", "raised_by", "submitted_at", "answer_by",
            "status", "answered_by", "answered_at", "answer", "deferred_until", "age_days",
            "awaiting_answer",
        ]  # fmt: skip
        read_only_fields = [
            "raised_by", "submitted_at", "status", "answered_by", "answered_at", "answer",
            "deferred_until",
        ]  # fmt: skip
        extra_kwargs = {"addressee": {"required": False, "allow_null": True}}


class ProposalAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["accept", "reject", "defer"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    deferred_until = serializers.DateField(required=False, allow_null=True, default=None)


class BusinessDecisionSerializer(serializers.ModelSerializer):
    vetoed = serializers.SerializerMethodField()

    class Meta:
        model = BusinessDecision
        fields = [
            "id", "kind", "title", "description", "unit", "status", "created_by", "created_at",
            "submitted_at", "approved_by", "approved_at", "effective_at", "vetoed",
        ]  # fmt: skip
        read_only_fields = [
            "status", "created_by", "created_at", "submitted_at", "approved_by", "approved_at",
            "effective_at",
        ]  # fmt: skip

    def get_vetoed(self, obj: BusinessDecision) -> bool:
        return veto_active_for(obj) is not None


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """``?side=cqo`` lists the caller's proposals awaiting an answer, ``?side=principal`` those
    the caller must answer."""

    serializer_class = ProposalSerializer
    queryset = Proposal.objects.all()
    required_perms = _view(
        "proposal",
        app="decisions",
        create="decisions.add_proposal",
        answer="decisions.view_proposal",
    )

    def get_queryset(self) -> Any:
        user = self.request.user
        side = self.request.query_params.get("side", "")
        if side == "cqo":
            return selectors.proposals_awaiting_answer(user)
        if side == "principal":
            return selectors.proposals_to_answer(user)
        return selectors.proposals_visible(user, state=self.request.query_params.get("state", ""))

    def create(self, request: Request) -> Response:
        serializer = ProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = services.proposal_submit(
            actor=self.actor,
            title=data["title"],
            body=data["body"],
            addressee=data.get("addressee"),
            unit=data.get("unit"),
            answer_by=data.get("answer_by"),
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProposalAnswerSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        target = self.target("decisions.answer_proposal", "§6 b)")
        data = self.body(ProposalAnswerSerializer)
        proposal = services.proposal_answer(
            actor=self.actor,
            proposal=target,
            answer=data["answer"],
            reason=data["reason"],
            deferred_until=data["deferred_until"],
        )
        return Response(ProposalSerializer(proposal).data)


_STEP_SCHEMA = extend_schema(request=None, responses=BusinessDecisionSerializer)


class BusinessDecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = BusinessDecisionSerializer
    queryset = BusinessDecision.objects.all()
    required_perms = _view(
        "businessdecision",
        app="decisions",
        create="decisions.add_businessdecision",
        submit="decisions.view_businessdecision",
        approve="decisions.view_businessdecision",
        effect="decisions.view_businessdecision",
        withdraw="decisions.view_businessdecision",
    )

    def get_queryset(self) -> Any:
        return selectors.decisions_visible(
            self.request.user, status=self.request.query_params.get("status", "")
        )

    def create(self, request: Request) -> Response:
        serializer = BusinessDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.decision_create(actor=self.actor, **serializer.validated_data)
        return Response(BusinessDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    def _step(self, step: str) -> Response:
        decision = self.target(services.DECISION_STEP_PERMS[step], "§6 b)")
        reason = self.body(AuthorityReasonSerializer)["reason"] if step == "withdraw" else ""
        decision = services.decision_advance(
            actor=self.actor, decision=decision, step=step, reason=reason
        )
        return Response(BusinessDecisionSerializer(decision).data)

    @_STEP_SCHEMA
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._step("submit")

    @_STEP_SCHEMA
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._step("approve")

    @_STEP_SCHEMA
    @action(detail=True, methods=["post"])
    def effect(self, request: Request, pk: Any = None) -> Response:
        return self._step("effect")

    @extend_schema(request=AuthorityReasonSerializer, responses=BusinessDecisionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        return self._step("withdraw")


router = SimpleRouter()
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("decisions", BusinessDecisionViewSet, basename="decision")
urlpatterns = router.urls
