"""The strategy and plans API (/api/v1/authorities/strategies|plans|plan-items/, kept where it
was)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.authorities.api import (
    ApprovalRequestSerializer,
    AuthorityReasonSerializer,
    _Base,
    _view,
)

from . import selectors, services
from .models import PlanItem, QualityPlan, QualityStrategy, StrategyStatus


class StrategyStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=StrategyStatus.choices)
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "plan", "title", "owner", "due_date", "progress", "note"]
        read_only_fields = ["plan", "progress"]


class PlanItemProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class QualityStrategySerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityStrategy
        fields = [
            "id", "title", "title_en", "summary", "start_year", "end_year", "status", "owner",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["status", "owner", "created_at"]


class QualityPlanSerializer(serializers.ModelSerializer):
    items = PlanItemSerializer(many=True, read_only=True)
    progress = serializers.IntegerField(read_only=True)

    class Meta:
        model = QualityPlan
        fields = [
            "id", "strategy", "title", "title_en", "year", "unit", "owner", "status", "progress",
            "items", "created_at",
        ]  # fmt: skip
        read_only_fields = ["owner", "status", "created_at"]


class PlanSubmitSerializer(serializers.Serializer):
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class QualityStrategyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = QualityStrategySerializer
    queryset = QualityStrategy.objects.all()
    required_perms = _view(
        "qualitystrategy",
        app="plans",
        create="plans.add_qualitystrategy",
        set_status="plans.view_qualitystrategy",
    )

    def get_queryset(self) -> Any:
        return selectors.strategies_visible(self.request.user)

    def create(self, request: Request) -> Response:
        serializer = QualityStrategySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        strategy = services.strategy_create(actor=self.actor, **serializer.validated_data)
        return Response(QualityStrategySerializer(strategy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StrategyStatusSerializer, responses=QualityStrategySerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: Any = None) -> Response:
        strategy = self.target("plans.change_qualitystrategy", "§6 a)")
        data = self.body(StrategyStatusSerializer)
        strategy = services.strategy_set_status(
            actor=self.actor, strategy=strategy, status=data["status"], reason=data["reason"]
        )
        return Response(QualityStrategySerializer(strategy).data)


class QualityPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = QualityPlanSerializer
    queryset = QualityPlan.objects.all()
    required_perms = _view(
        "qualityplan",
        app="plans",
        create="plans.add_qualityplan",
        items="plans.view_qualityplan",
        submit="plans.view_qualityplan",
        close="plans.view_qualityplan",
    )

    def get_queryset(self) -> Any:
        return selectors.plans_visible(self.request.user)

    def create(self, request: Request) -> Response:
        serializer = QualityPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_create(actor=self.actor, **serializer.validated_data)
        return Response(QualityPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanItemSerializer, responses={201: PlanItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: Any = None) -> Response:
        plan = self.target("plans.add_planitem", "§6 a)")
        serializer = PlanItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.plan_item_add(actor=self.actor, plan=plan, **serializer.validated_data)
        return Response(PlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanSubmitSerializer, responses={201: ApprovalRequestSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        plan = self.target("plans.submit_qualityplan", "§6 a)")
        data = self.body(PlanSubmitSerializer)
        approval = services.plan_submit(actor=self.actor, plan=plan, due=data["due_date"])
        return Response(ApprovalRequestSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AuthorityReasonSerializer, responses=QualityPlanSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        plan = self.target("plans.change_qualityplan", "§6 a)")
        data = self.body(AuthorityReasonSerializer)
        plan = services.plan_close(actor=self.actor, plan=plan, reason=data["reason"])
        return Response(QualityPlanSerializer(plan).data)


class PlanItemViewSet(mixins.RetrieveModelMixin, _Base):
    serializer_class = PlanItemSerializer
    queryset = PlanItem.objects.all()
    required_perms = {
        "retrieve": "plans.view_qualityplan",
        "progress": "plans.view_qualityplan",
    }

    def get_queryset(self) -> Any:
        return PlanItem.objects.filter(plan__in=selectors.plans_visible(self.request.user))

    @extend_schema(request=PlanItemProgressSerializer, responses=PlanItemSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        item = self.target("plans.update_planitem", "§6 a)")
        data = self.body(PlanItemProgressSerializer)
        item = services.plan_item_progress(
            actor=self.actor, item=item, progress=data["progress"], note=data["note"]
        )
        return Response(PlanItemSerializer(item).data)


router = SimpleRouter()
router.register("strategies", QualityStrategyViewSet, basename="strategy")
router.register("plans", QualityPlanViewSet, basename="plan")
router.register("plan-items", PlanItemViewSet, basename="plan-item")
urlpatterns = router.urls
