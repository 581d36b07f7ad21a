"""API of the inspection app: lots part. An ERP or MES posts receipts (one or a list, all or
nothing) and reads inspection lots with their sampling."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.texts import render as render_stored
from cqo.masterdata.models import Item, Supplier

from . import selectors_lots as sel
from . import services_lots as services
from . import switching
from .models import (
    InspectionLot,
    LotSampling,
    Severity,
    SwitchingEvent,
    SwitchingStream,
    UsageDecision,
)

MAX_RECEIPTS = 1000


class LotSamplingSerializer(serializers.ModelSerializer):
    class Meta:
        model = LotSampling
        fields = [
            "defect_class", "method", "level", "aql", "severity", "code_letter", "n", "ac", "re",
            "inspect_all", "nonconforming",
        ]  # fmt: skip


class InspectionLotSerializer(serializers.ModelSerializer):
    samplings = serializers.SerializerMethodField()
    lot_number = serializers.CharField(source="lot.number", read_only=True)
    supplier_batch = serializers.CharField(source="lot.supplier_batch", read_only=True)
    stock_status = serializers.CharField(source="lot.stock_status", read_only=True)
    plan_version = serializers.IntegerField(source="plan.version", read_only=True)
    # Blank until the usage decision: the schema must say so, or a client validating answers
    # against it refuses every lot awaiting inspection.
    decision = serializers.ChoiceField(
        choices=UsageDecision.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = InspectionLot
        fields = [
            "id", "number", "lot", "lot_number", "supplier_batch", "gate", "kind", "plan",
            "plan_version", "severity", "item", "supplier", "lot_size", "status", "decision",
            "stock_status", "created_at", "samplings",
        ]  # fmt: skip
        read_only_fields = fields

    def get_samplings(self, obj: InspectionLot) -> list[dict[str, Any]]:
        rows = [s for s in obj.samplings.all() if s.voided_at is None]
        return list(LotSamplingSerializer(rows, many=True).data)


class ReceiptSerializer(serializers.Serializer):
    item = serializers.SlugRelatedField(
        slug_field="part_number", queryset=Item.objects.filter(voided_at__isnull=True)
    )
    supplier = serializers.SlugRelatedField(
        slug_field="code", queryset=Supplier.objects.filter(voided_at__isnull=True)
    )
    supplier_batch = serializers.CharField(max_length=60)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    arrived_on = serializers.DateField()
    order_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )


def _row_errors(row: int, errors: Any) -> dict[str, list[str]]:
    """A bulk post's refusal: each message names the row (from 1) and the field."""
    out: list[str] = []
    for field, messages in dict(errors).items():
        for message in messages if isinstance(messages, list) else [messages]:
            out.append(
                _("Row %(row)d, %(field)s: %(message)s")
                % {"row": row, "field": field, "message": message}
            )
    return {"receipts": out}


class InspectionLotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = InspectionLotSerializer
    queryset = InspectionLot.objects.all()
    required_perms = {
        "list": "inspection.view_inspectionlot",
        "retrieve": "inspection.view_inspectionlot",
        "metadata": "inspection.view_inspectionlot",
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        supplier = params.get("supplier", "")
        return (
            sel.lots_filtered(
                self.request.user,
                status=params.get("status", "")[:20],
                gate=params.get("gate", "")[:10],
                supplier=int(supplier)
                if supplier.isascii() and supplier.isdigit() and len(supplier) < 12
                else None,
            )
            .select_related("lot", "plan")
            .prefetch_related("samplings")
            .order_by("-created_at", "-id")
        )


class ReceiptViewSet(ServiceViewSet):
    """``POST /api/v1/inspection/receipts/``: one receipt, or a list of up to 1,000 received
    all or nothing (an error names the row, counting from 1)."""

    serializer_class = ReceiptSerializer
    queryset = InspectionLot.objects.all()
    required_perms = {"create": "inspection.add_inspectionlot"}

    @extend_schema(
        request=ReceiptSerializer(many=True), responses={201: InspectionLotSerializer(many=True)}
    )
    def create(self, request: Request) -> Response:
        data = request.data
        many = isinstance(data, list)
        rows = data if many else [data]
        if not rows:
            raise serializers.ValidationError({"receipts": [_("Give at least one receipt.")]})
        if len(rows) > MAX_RECEIPTS:
            raise serializers.ValidationError(
                {"receipts": [_("At most %(n)d receipts in one request.") % {"n": MAX_RECEIPTS}]}
            )
        parsed = []
        for i, row in enumerate(rows, start=1):
            serializer = ReceiptSerializer(data=row if isinstance(row, dict) else {})
            if not serializer.is_valid():
                if not many:
                    raise serializers.ValidationError(serializer.errors)
                raise serializers.ValidationError(_row_errors(i, serializer.errors))
            parsed.append(serializer.validated_data)
        created = []
        with transaction.atomic():
            for i, values in enumerate(parsed, start=1):
                try:
                    created.append(services.receipt_create(actor=self.actor, **values))
                except ValidationError as exc:
                    if not many:
                        raise
                    detail = (
                        exc.message_dict
                        if hasattr(exc, "error_dict")
                        else {"receipt": exc.messages}
                    )
                    raise serializers.ValidationError(_row_errors(i, detail)) from None
        out = InspectionLotSerializer(created, many=True).data
        return Response(out if many else out[0], status=status.HTTP_201_CREATED)


class SwitchingEventSerializer(serializers.ModelSerializer):
    message = serializers.SerializerMethodField()

    class Meta:
        model = SwitchingEvent
        fields = [
            "id",
            "inspection_lot",
            "from_state",
            "to_state",
            "rule",
            "message",
            "actor",
            "at",
        ]

    def get_message(self, obj: SwitchingEvent) -> str:
        return render_stored(obj.message)


class SwitchingStreamSerializer(serializers.ModelSerializer):
    score = serializers.SerializerMethodField()

    class Meta:
        model = SwitchingStream
        fields = [
            "id", "gate", "item", "supplier", "work_centre", "state", "score",
            "reduced_approved", "updated_at",
        ]  # fmt: skip

    def get_score(self, obj: SwitchingStream) -> int:
        return int((obj.machine or {}).get("score", 0) or 0)


class StreamReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class StreamReducedSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    approved = serializers.BooleanField(required=False, default=True)


class SwitchingStreamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = SwitchingStreamSerializer
    queryset = SwitchingStream.objects.all()
    required_perms = {
        "list": "inspection.view_switchingstream",
        "retrieve": "inspection.view_switchingstream",
        "metadata": "inspection.view_switchingstream",
        "events": "inspection.view_switchingstream",
        "resume": "inspection.view_switchingstream",
        "reduced": "inspection.view_switchingstream",
    }

    def get_queryset(self) -> Any:
        state = self.request.query_params.get("state", "")
        return sel.streams_filtered(
            self.request.user, state=state if state in Severity.values else ""
        )

    @extend_schema(responses=SwitchingEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request: Request, pk: Any = None) -> Response:
        stream = self.get_object()
        return Response(SwitchingEventSerializer(sel.stream_events(stream), many=True).data)

    @extend_schema(request=StreamReasonSerializer, responses=SwitchingEventSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: Any = None) -> Response:
        stream = self.target("inspection.resume_switchingstream", "§6 e)")
        data = self.body(StreamReasonSerializer)
        event = switching.stream_resume(actor=self.actor, stream=stream, reason=data["reason"])
        return Response(SwitchingEventSerializer(event).data)

    @extend_schema(request=StreamReducedSerializer, responses=SwitchingStreamSerializer)
    @action(detail=True, methods=["post"])
    def reduced(self, request: Request, pk: Any = None) -> Response:
        stream = self.target("inspection.approve_reduced_switchingstream", "§6 e)")
        data = self.body(StreamReducedSerializer)
        stream = switching.stream_reduced_approve(
            actor=self.actor, stream=stream, reason=data["reason"], approved=data["approved"]
        )
        return Response(SwitchingStreamSerializer(stream).data)


router = SimpleRouter()
router.register("streams", SwitchingStreamViewSet, basename="stream")
router.register("lots", InspectionLotViewSet, basename="lot")
router.register("receipts", ReceiptViewSet, basename="receipt")
urlpatterns = router.urls
