"""The rewards part's API (/api/v1/costs/rewards/): the rules of rewards and penalties with their
basis (§7.2.4.2), voided with a reason; the decisions under them, raised by a member with the
evidence and decided by the CQO. Every write calls the same service as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.api_input import JSONParser
from cqo.organisation.models import Person, Unit

from . import selectors_rewards as sel
from . import services_rewards as S
from .models_rewards import RewardDecision, RewardKind, RewardRule


def _money(**kwargs: Any) -> serializers.DecimalField:
    """Yuan with two places."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class RewardRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RewardRule
        fields = ["id", "code", "kind", "title", "basis", "amount_min", "amount_max", "points",
                  "active_from", "active_to", "created_by", "created_at", "voided_at",
                  "void_reason"]  # fmt: skip
        read_only_fields = fields


class RewardRuleCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    kind = serializers.ChoiceField(choices=RewardKind.choices)
    title = serializers.CharField(max_length=200)
    basis = serializers.CharField(max_length=5000)
    amount_min = _money(min_value=0, required=False, allow_null=True, default=None)
    amount_max = _money(min_value=0, required=False, allow_null=True, default=None)
    points = serializers.IntegerField(min_value=0, max_value=1000, required=False,
                                      allow_null=True, default=None)  # fmt: skip
    active_from = serializers.DateField()
    active_to = serializers.DateField(required=False, allow_null=True, default=None)


class RewardVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class RewardDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RewardDecision
        fields = ["id", "number", "rule", "kind", "person", "unit", "evidence_sha256",
                  "source_ref", "amount", "reason", "status", "raised_by", "raised_at",
                  "decided_by", "decided_at", "decision_note", "spending", "fund_refusal",
                  "voided_at"]  # fmt: skip
        read_only_fields = fields


class RewardDecisionRaiseSerializer(serializers.Serializer):
    rule = serializers.IntegerField(min_value=1)
    person = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    amount = _money(min_value=0, required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=5000)
    evidence = serializers.FileField(required=False, allow_null=True, default=None)
    source_ref = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                       default="")  # fmt: skip


class RewardDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


def _get(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: "Unknown id."})
    return found


class RuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Rules of rewards and penalties (§7.2.4.2); ``?kind=`` filters, ``?voided=1`` includes the
    voided ones. ``POST`` sets a rule (the CQO in office)."""

    serializer_class = RewardRuleSerializer
    queryset = RewardRule.objects.all()
    required_perms = {
        "list": "costs.view_rewardrule",
        "retrieve": "costs.view_rewardrule",
        "metadata": "costs.view_rewardrule",
        "create": "costs.add_rewardrule",
        "void": "costs.view_rewardrule",
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        voided = params.get("voided") == "1" or self.action != "list"
        return sel.rules_visible(self.request.user, kind=params.get("kind", ""), voided=voided)

    @extend_schema(request=RewardRuleCreateSerializer, responses=RewardRuleSerializer)
    def create(self, request: Request) -> Response:
        rule = S.reward_rule_create(actor=self.actor, **self.body(RewardRuleCreateSerializer))
        return Response(RewardRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RewardVoidSerializer, responses=RewardRuleSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        rule = self.target("costs.void_rewardrule", S.CLAUSE)
        rule = S.reward_rule_void(actor=self.actor, rule=rule, **self.body(RewardVoidSerializer))
        return Response(RewardRuleSerializer(rule).data)


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Reward and penalty decisions; ``?kind=``, ``?status=``, ``?rule=`` filter. ``POST`` raises
    one (multipart with the evidence, or JSON with the source record); ``decide`` is the CQO's,
    ``void`` the CQO's or the raiser's while it awaits the CQO; ``pay`` sends a reward the fund
    refused to it again."""

    serializer_class = RewardDecisionSerializer
    queryset = RewardDecision.objects.all()
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    required_perms = {
        "list": "costs.view_rewarddecision",
        "retrieve": "costs.view_rewarddecision",
        "metadata": "costs.view_rewarddecision",
        "create": "costs.add_rewarddecision",
        "decide": "costs.view_rewarddecision",
        "void": "costs.view_rewarddecision",
        "pay": "costs.view_rewarddecision",
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return sel.decisions_visible(self.request.user, kind=params.get("kind", ""),
                                     status=params.get("status", ""),
                                     rule=params.get("rule", ""))  # fmt: skip

    @extend_schema(request={"multipart/form-data": RewardDecisionRaiseSerializer,
                            "application/json": RewardDecisionRaiseSerializer},
                   responses=RewardDecisionSerializer)  # fmt: skip
    def create(self, request: Request) -> Response:
        data = self.body(RewardDecisionRaiseSerializer)
        rule = _get(RewardRule, data.pop("rule"), "rule")
        person = _get(Person, data.pop("person"), "person")
        unit = _get(Unit, data.pop("unit"), "unit")
        decision = S.reward_decision_raise(actor=self.actor, rule=rule, person=person, unit=unit,
                                           **data)  # fmt: skip
        return Response(RewardDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RewardDecideSerializer, responses=RewardDecisionSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def decide(self, request: Request, pk: Any = None) -> Response:
        decision = self.target("costs.decide_rewarddecision", S.CLAUSE)
        decision = S.reward_decision_decide(actor=self.actor, decision=decision,
                                            **self.body(RewardDecideSerializer))  # fmt: skip
        return Response(RewardDecisionSerializer(decision).data)

    @extend_schema(request=RewardVoidSerializer, responses=RewardDecisionSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def void(self, request: Request, pk: Any = None) -> Response:
        decision = self.target("costs.void_rewarddecision", S.CLAUSE)
        decision = S.reward_decision_void(actor=self.actor, decision=decision,
                                          **self.body(RewardVoidSerializer))  # fmt: skip
        return Response(RewardDecisionSerializer(decision).data)

    @extend_schema(request=None, responses=RewardDecisionSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def pay(self, request: Request, pk: Any = None) -> Response:
        """Send a decided reward the fund refused to the fund again (the CQO)."""
        decision = self.target("costs.decide_rewarddecision", S.CLAUSE)
        decision = S.reward_decision_pay(actor=self.actor, decision=decision)
        return Response(RewardDecisionSerializer(decision).data)


router = SimpleRouter()
router.register("rewards/rules", RuleViewSet, basename="reward-rule")
router.register("rewards/decisions", DecisionViewSet, basename="reward-decision")
urlpatterns = router.urls
