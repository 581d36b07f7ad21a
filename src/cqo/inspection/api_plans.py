"""API of the inspection app: plans part (/api/v1/inspection/plans/)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.authorities.api import ApprovalRequestSerializer
from cqo.masterdata.models import Characteristic, DefectClass, Gate, Item, Supplier

from . import selectors_plans as sel
from . import services_plans as services
from .models import InspectionPlan, PlanCharacteristic, PlanSampling, SamplingMethod


class PlanSamplingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanSampling
        fields = ["defect_class", "method", "level", "aql", "fixed_n", "fixed_ac"]


class PlanCharacteristicSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="characteristic.code", read_only=True)

    class Meta:
        model = PlanCharacteristic
        fields = ["characteristic", "code", "sequence"]


class InspectionPlanSerializer(serializers.ModelSerializer):
    samplings = serializers.SerializerMethodField()
    characteristics = serializers.SerializerMethodField()
    part_number = serializers.CharField(source="item.part_number", read_only=True)

    class Meta:
        model = InspectionPlan
        fields = [
            "id", "item", "part_number", "gate", "supplier", "version", "status",
            "first_article", "patrol_interval_minutes", "last_piece", "note", "owner",
            "approved_by", "approved_at", "samplings", "characteristics",
        ]  # fmt: skip
        read_only_fields = fields

    def get_samplings(self, obj: InspectionPlan) -> list[dict[str, Any]]:
        rows = [s for s in obj.samplings.all() if s.voided_at is None]
        return list(PlanSamplingSerializer(rows, many=True).data)

    def get_characteristics(self, obj: InspectionPlan) -> list[dict[str, Any]]:
        rows = [c for c in obj.characteristics.all() if c.voided_at is None]
        return list(PlanCharacteristicSerializer(rows, many=True).data)


class PlanCreateSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.filter(voided_at__isnull=True))
    gate = serializers.ChoiceField(choices=Gate.choices)
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.filter(voided_at__isnull=True), required=False, allow_null=True,
        default=None,
    )  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    first_article = serializers.BooleanField(required=False, default=False)
    patrol_interval_minutes = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=1440
    )
    last_piece = serializers.BooleanField(required=False, default=False)


class SamplingSetSerializer(serializers.Serializer):
    defect_class = serializers.ChoiceField(choices=DefectClass.choices)
    method = serializers.ChoiceField(choices=SamplingMethod.choices)
    level = serializers.CharField(required=False, allow_blank=True, default="", max_length=4)
    aql = serializers.CharField(required=False, allow_blank=True, default="", max_length=8)
    fixed_n = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=100000
    )
    fixed_ac = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=100000
    )


class CharacteristicsSetSerializer(serializers.Serializer):
    characteristics = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Characteristic.objects.filter(voided_at__isnull=True)
    )


class SubmitSerializer(serializers.Serializer):
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class InspectionPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = InspectionPlanSerializer
    queryset = InspectionPlan.objects.all()
    required_perms = {
        "list": "inspection.view_inspectionplan",
        "retrieve": "inspection.view_inspectionplan",
        "metadata": "inspection.view_inspectionplan",
        "create": "inspection.add_inspectionplan",
        "sampling": "inspection.view_inspectionplan",
        "characteristics": "inspection.view_inspectionplan",
        "submit": "inspection.view_inspectionplan",
        "new_version": "inspection.view_inspectionplan",
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        gate = params.get("gate", "")
        return sel.plans_filtered(
            self.request.user, gate=gate if gate in Gate.values else ""
        ).prefetch_related("samplings", "characteristics__characteristic")

    @extend_schema(request=PlanCreateSerializer, responses={201: InspectionPlanSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(PlanCreateSerializer)
        plan = services.plan_create(actor=self.actor, **data)
        return Response(InspectionPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SamplingSetSerializer, responses=InspectionPlanSerializer)
    @action(detail=True, methods=["post"])
    def sampling(self, request: Request, pk: Any = None) -> Response:
        plan = self.target("inspection.change_inspectionplan", "§6 e)")
        data = self.body(SamplingSetSerializer)
        services.plan_sampling_set(actor=self.actor, plan=plan, **data)
        return Response(InspectionPlanSerializer(plan).data)

    @extend_schema(request=CharacteristicsSetSerializer, responses=InspectionPlanSerializer)
    @action(detail=True, methods=["post"])
    def characteristics(self, request: Request, pk: Any = None) -> Response:
        plan = self.target("inspection.change_inspectionplan", "§6 e)")
        data = self.body(CharacteristicsSetSerializer)
        services.plan_characteristics_set(
            actor=self.actor, plan=plan, characteristics=data["characteristics"]
        )
        return Response(InspectionPlanSerializer(plan).data)

    @extend_schema(request=SubmitSerializer, responses={201: ApprovalRequestSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        plan = self.target("inspection.submit_inspectionplan", "§6 e)")
        data = self.body(SubmitSerializer)
        approval = services.plan_submit(actor=self.actor, plan=plan, due=data["due_date"])
        return Response(ApprovalRequestSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: InspectionPlanSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: Any = None) -> Response:
        plan = self.target("inspection.add_inspectionplan", "§6 e)")
        copy = services.plan_version_new(actor=self.actor, plan=plan)
        return Response(InspectionPlanSerializer(copy).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("plans", InspectionPlanViewSet, basename="plan")
urlpatterns = router.urls
