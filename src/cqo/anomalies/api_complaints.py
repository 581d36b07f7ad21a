"""API of customer complaints (/api/v1/anomalies/complaints/, /complaint-policies/): read
them, record one (which opens its NCR), take its steps, set the response policies. Every write
goes through the same services as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.masterdata.models import Customer, DefectClass, Item, Lot

from . import selectors_complaints as sel
from . import services_complaints as services
from .models_complaints import Complaint, ComplaintPolicy, ComplaintStatus


class DeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    due = serializers.DateTimeField(allow_null=True)
    done = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField()


class ComplaintSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    part_number = serializers.CharField(source="item.part_number", read_only=True)
    lot_number = serializers.SerializerMethodField()
    anomaly_number = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    # "" when no class was given: a plain text in the schema, so the answer matches it.
    defect_class = serializers.CharField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id", "number", "customer", "customer_code", "item", "part_number", "lot",
            "lot_number", "serial", "customer_ref", "description", "defect_class", "quantity",
            "claim_amount", "received_at", "status", "containment_due", "contained_at",
            "containment_note", "eightd_required", "eightd_due", "eightd_submitted_at",
            "eightd_note", "closed_at", "closed_by", "outcome", "anomaly", "anomaly_number",
            "owner", "raised_by", "raised_at", "deadlines",
        ]  # fmt: skip
        read_only_fields = fields

    def get_lot_number(self, obj: Complaint) -> str:
        return obj.lot.number if obj.lot_id and obj.lot else ""

    def get_anomaly_number(self, obj: Complaint) -> str:
        return obj.anomaly.number if obj.anomaly_id and obj.anomaly else ""

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj: Complaint) -> list[dict[str, Any]]:
        return [
            {"key": d.key, "due": d.due, "done": d.done, "state": d.state}
            for d in sel.complaint_deadlines(obj)
        ]


class ComplaintCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.filter(voided_at__isnull=True)
    )
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.filter(voided_at__isnull=True))
    lot = serializers.PrimaryKeyRelatedField(
        queryset=Lot.objects.all(), required=False, allow_null=True, default=None
    )
    serial = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    customer_ref = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=80
    )
    description = serializers.CharField(max_length=4000)
    defect_class = serializers.ChoiceField(
        choices=DefectClass.choices, required=False, allow_blank=True, default=""
    )
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, default=None,
        allow_null=True,
    )  # fmt: skip
    claim_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, default=None,
        allow_null=True,
    )  # fmt: skip
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class StepSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = ComplaintSerializer
    queryset = Complaint.objects.all()
    required_perms = {
        "list": sel.PERM_VIEW,
        "retrieve": sel.PERM_VIEW,
        "metadata": sel.PERM_VIEW,
        "create": services.PERM_ADD,
        "contain": sel.PERM_VIEW,
        "eightd": sel.PERM_VIEW,
        "close": sel.PERM_VIEW,
        "reject": sel.PERM_VIEW,
        "withdraw": sel.PERM_VIEW,
        "void": sel.PERM_VIEW,
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        status_ = params.get("status", "")
        due = params.get("due", "")
        return sel.complaints_filtered(
            self.request.user,
            status=status_ if status_ in ComplaintStatus.values else "",
            due=due if due in sel.DUE_FILTERS else "",
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ComplaintStatus.values),
            OpenApiParameter("due", str, enum=list(sel.DUE_FILTERS)),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(ComplaintCreateSerializer)
        complaint = services.complaint_record(actor=self.actor, **data)
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)

    def _step(self, perm: str, service: Any, keyword: str) -> Response:
        complaint = self.target(perm, services.CLAUSE)
        data = self.body(StepSerializer)
        done = service(actor=self.actor, complaint=complaint, **{keyword: data["note"]})
        return Response(ComplaintSerializer(done).data)

    @extend_schema(request=StepSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def contain(self, request: Request, pk: Any = None) -> Response:
        return self._step(services.PERM_CHANGE, services.complaint_contain, "note")

    @extend_schema(request=StepSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def eightd(self, request: Request, pk: Any = None) -> Response:
        return self._step(services.PERM_CHANGE, services.complaint_eightd_submit, "note")

    @extend_schema(request=StepSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self._step(services.PERM_CLOSE, services.complaint_close, "outcome")

    @extend_schema(request=StepSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self._step(services.PERM_CHANGE, services.complaint_reject, "reason")

    @extend_schema(request=StepSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        return self._step(services.PERM_CHANGE, services.complaint_withdraw, "reason")

    @extend_schema(request=StepSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        return self._step(services.PERM_VOID, services.complaint_void, "reason")


class ComplaintPolicySerializer(serializers.ModelSerializer):
    customer_code = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintPolicy
        fields = [
            "id", "customer", "customer_code", "containment_hours", "eightd_days",
            "eightd_always", "note", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_customer_code(self, obj: ComplaintPolicy) -> str:
        return obj.customer.code if obj.customer_id and obj.customer else ""


class PolicySetSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.filter(voided_at__isnull=True), required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    containment_hours = serializers.IntegerField(min_value=1, max_value=720)
    eightd_days = serializers.IntegerField(min_value=1, max_value=365)
    eightd_always = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ComplaintPolicyViewSet(mixins.ListModelMixin, ServiceViewSet):
    serializer_class = ComplaintPolicySerializer
    queryset = ComplaintPolicy.objects.all()
    pagination_class = None
    required_perms = {
        "list": "anomalies.view_complaintpolicy",
        "metadata": "anomalies.view_complaintpolicy",
        "create": services.PERM_POLICY,
    }

    def get_queryset(self) -> Any:
        return sel.policies_visible(self.request.user)

    @extend_schema(request=PolicySetSerializer, responses={201: ComplaintPolicySerializer})
    def create(self, request: Request) -> Response:
        data = self.body(PolicySetSerializer)
        policy = services.complaint_policy_set(actor=self.actor, **data)
        return Response(ComplaintPolicySerializer(policy).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("complaint-policies", ComplaintPolicyViewSet, basename="complaint-policy")
urlpatterns = router.urls
