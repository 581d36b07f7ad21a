"""API of the inspection app: lots part. An ERP or MES posts receipts (one or a list, all or
nothing) and reads inspection lots with their sampling."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.masterdata.models import Item, Supplier

from . import selectors_lots as sel
from . import services_lots as services
from .models import InspectionLot, LotSampling

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


router = SimpleRouter()
router.register("lots", InspectionLotViewSet, basename="lot")
router.register("receipts", ReceiptViewSet, basename="receipt")
urlpatterns = router.urls
