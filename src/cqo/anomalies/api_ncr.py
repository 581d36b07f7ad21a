"""API of the NCR core (§6 c)): ``/api/v1/anomalies/ncrs/`` to list, read and raise NCRs, and
their containment (hold, lift, sorting), closure and voiding; ``/api/v1/anomalies/defects/``
for the catalogue. Every write goes through the same services as the pages; a write refused by
the record's state (a closed or voided NCR, a lot still held) answers 409."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.clauses import clause
from cqo.masterdata.models import DefectClass, Item, Lot

from . import selectors_ncr as sel
from . import services_defects
from . import services_ncr as services
from .models_ncr import Anomaly, AnomalyLot, AnomalySource, AnomalyStatus, DefectCode, FoundAt

CLAUSE_NCR = clause("§6 c)")
MAX_LINES = 50


class AnomalyLotSerializer(serializers.ModelSerializer):
    lot_number = serializers.CharField(source="lot.number", read_only=True)
    stock_status = serializers.CharField(source="lot.stock_status", read_only=True)
    held = serializers.SerializerMethodField()

    class Meta:
        model = AnomalyLot
        fields = [
            "id", "lot", "lot_number", "stock_status", "quantity", "quarantined", "held",
            "sorted_quantity", "bad_quantity", "sorted_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_held(self, obj: AnomalyLot) -> bool:
        return bool(obj.hold_id and obj.hold is not None and obj.hold.lifted_at is None)


class AnomalyDefectSerializer(serializers.Serializer):
    code = serializers.CharField()
    family = serializers.CharField()
    defect_class = serializers.ChoiceField(choices=DefectClass.choices)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


class AnomalySerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="item.part_number", read_only=True, default="")
    supplier_code = serializers.CharField(source="supplier.code", read_only=True, default="")
    # Blank until a defect is known: the schema must say so.
    defect_class = serializers.ChoiceField(
        choices=DefectClass.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Anomaly
        fields = [
            "id", "number", "title", "description", "source", "source_ref", "item",
            "part_number", "supplier", "supplier_code", "customer", "work_centre", "found_at",
            "found_on", "quantity", "defect_class", "status", "owner", "raised_by", "raised_at",
            "contained_at", "closed_at", "closed_by",
        ]  # fmt: skip
        read_only_fields = fields


class AnomalyDetailSerializer(AnomalySerializer):
    lots = serializers.SerializerMethodField()
    defects = serializers.SerializerMethodField()

    class Meta(AnomalySerializer.Meta):
        fields = [*AnomalySerializer.Meta.fields, "lots", "defects"]
        read_only_fields = fields

    @extend_schema_field(AnomalyLotSerializer(many=True))
    def get_lots(self, obj: Anomaly) -> list[dict[str, Any]]:
        return list(AnomalyLotSerializer(sel.anomaly_lots(obj), many=True).data)

    @extend_schema_field(AnomalyDefectSerializer(many=True))
    def get_defects(self, obj: Anomaly) -> list[dict[str, Any]]:
        return [
            {"code": d.defect.code, "family": d.defect.family, "defect_class": d.defect_class,
             "quantity": str(d.quantity)}
            for d in sel.anomaly_defects(obj)
        ]  # fmt: skip


class NcrLotInSerializer(serializers.Serializer):
    lot = serializers.CharField(max_length=60, help_text="The lot number.")
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, allow_null=True
    )


class NcrDefectInSerializer(serializers.Serializer):
    defect = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, default=Decimal(0)
    )


class AnomalyRaiseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    item = serializers.SlugRelatedField(
        slug_field="part_number",
        queryset=Item.objects.filter(voided_at__isnull=True),
        required=False,
        allow_null=True,
        default=None,
    )
    found_at = serializers.ChoiceField(choices=FoundAt.choices, default=FoundAt.OTHER)
    found_on = serializers.DateField(required=False, allow_null=True, default=None)
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    lots = NcrLotInSerializer(many=True, required=False, default=list)
    defects = NcrDefectInSerializer(many=True, required=False, default=list)

    def validate_lots(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_LINES:
            raise serializers.ValidationError(_("At most %(n)d lots at once.") % {"n": MAX_LINES})
        return value

    def validate_defects(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_LINES:
            raise serializers.ValidationError(
                _("At most %(n)d defects at once.") % {"n": MAX_LINES}
            )
        return value


class NcrReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NcrVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class NcrLiftSerializer(serializers.Serializer):
    lot = serializers.CharField(max_length=60, help_text="The lot number on the NCR.")
    reason = serializers.CharField(max_length=2000)


class NcrSortingSerializer(serializers.Serializer):
    lot = serializers.CharField(max_length=60, help_text="The lot number on the NCR.")
    sorted_quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    bad_quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NcrCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _lots(lines: list[dict[str, Any]]) -> list[services.LotLine]:
    numbers = [line["lot"] for line in lines]
    found = {lot.number: lot for lot in Lot.objects.filter(number__in=numbers)}
    out = []
    for index, line in enumerate(lines, start=1):
        lot = found.get(line["lot"])
        if lot is None:
            raise ValidationError(
                {"lots": _("Line %(n)d: no lot with number “%(v)s”.")
                 % {"n": index, "v": line["lot"][:60]}}
            )  # fmt: skip
        out.append(services.LotLine(lot=lot, quantity=line.get("quantity")))
    return out


def _defects(lines: list[dict[str, Any]]) -> list[services.DefectLine]:
    found = DefectCode.objects.in_bulk([line["defect"] for line in lines])
    out = []
    for index, line in enumerate(lines, start=1):
        defect = found.get(line["defect"])
        if defect is None:
            raise ValidationError(
                {"defects": _("Line %(n)d: no defect code with id %(v)d.")
                 % {"n": index, "v": line["defect"]}}
            )  # fmt: skip
        out.append(services.DefectLine(defect=defect, quantity=line["quantity"]))
    return out


def _row(anomaly: Anomaly, number: str) -> AnomalyLot:
    row = next((r for r in sel.anomaly_lots(anomaly) if r.lot.number == number), None)
    if row is None:
        raise ValidationError({"lot": _("This lot is not on the NCR.")})
    return row


def _digits(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


class AnomalyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """NCRs newest first; filter with ``status`` (or ``open_any``), ``item``, ``supplier`` (ids),
    ``age`` (7, 30, 90, older) and ``source``."""

    serializer_class = AnomalySerializer
    queryset = Anomaly.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "anomalies.view_anomaly",
        "retrieve": "anomalies.view_anomaly",
        "metadata": "anomalies.view_anomaly",
        "create": "anomalies.add_anomaly",
        "contain": "anomalies.view_anomaly",
        "lift": "anomalies.view_anomaly",
        "sorting": "anomalies.view_anomaly",
        "close": "anomalies.view_anomaly",
        "void": "anomalies.view_anomaly",
    }

    def get_serializer_class(self) -> Any:
        return AnomalyDetailSerializer if self.action == "retrieve" else AnomalySerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        status_ = params.get("status", "")
        age = params.get("age", "")
        source = params.get("source", "")
        qs = sel.anomalies_filtered(
            self.request.user,
            status=status_ if status_ in AnomalyStatus.values or status_ == sel.OPEN_ANY else "",
            item=_digits(params.get("item", "")),
            supplier=_digits(params.get("supplier", "")),
            age=age if age in sel.AGES else "",
            source=source if source in AnomalySource.values else "",
        )
        return sel.list_rows(qs)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[sel.OPEN_ANY, *AnomalyStatus.values]),
            OpenApiParameter("item", int),
            OpenApiParameter("supplier", int),
            OpenApiParameter("age", str, enum=list(sel.AGES)),
            OpenApiParameter("source", str, enum=list(AnomalySource.values)),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AnomalyRaiseSerializer, responses={201: AnomalyDetailSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(AnomalyRaiseSerializer)
        ncr = services.anomaly_raise(
            actor=self.actor,
            title=data["title"],
            description=data["description"],
            item=data["item"],
            found_at=data["found_at"],
            found_on=data["found_on"],
            quantity=data.get("quantity"),
            lots=_lots(data["lots"]),
            defects=_defects(data["defects"]),
        )
        return Response(AnomalyDetailSerializer(ncr).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NcrReasonSerializer, responses=AnomalyDetailSerializer)
    @action(detail=True, methods=["post"])
    def contain(self, request: Request, pk: Any = None) -> Response:
        """Hold every lot of the NCR at the gate (§6 e))."""
        ncr = self.target("anomalies.contain_anomaly", CLAUSE_NCR)
        data = self.body(NcrReasonSerializer)
        services.containment_hold(actor=self.actor, anomaly=ncr, reason=data["reason"])
        ncr.refresh_from_db()
        return Response(AnomalyDetailSerializer(ncr).data)

    @extend_schema(request=NcrLiftSerializer, responses=AnomalyLotSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: Any = None) -> Response:
        ncr = self.target("anomalies.contain_anomaly", CLAUSE_NCR)
        data = self.body(NcrLiftSerializer)
        row = services.containment_lift(
            actor=self.actor, anomaly_lot=_row(ncr, data["lot"]), reason=data["reason"]
        )
        row.refresh_from_db()
        return Response(AnomalyLotSerializer(row).data)

    @extend_schema(request=NcrSortingSerializer, responses=AnomalyLotSerializer)
    @action(detail=True, methods=["post"])
    def sorting(self, request: Request, pk: Any = None) -> Response:
        ncr = self.target("anomalies.contain_anomaly", CLAUSE_NCR)
        data = self.body(NcrSortingSerializer)
        row = services.sorting_record(
            actor=self.actor, anomaly_lot=_row(ncr, data["lot"]),
            sorted_quantity=data["sorted_quantity"], bad_quantity=data["bad_quantity"],
            note=data["note"],
        )  # fmt: skip
        return Response(AnomalyLotSerializer(row).data)

    @extend_schema(request=NcrCloseSerializer, responses=AnomalySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close the NCR; 409 while a lot it holds is still held."""
        ncr = self.target("anomalies.close_anomaly", CLAUSE_NCR)
        data = self.body(NcrCloseSerializer)
        ncr = services.anomaly_close(actor=self.actor, anomaly=ncr, note=data["note"])
        return Response(AnomalySerializer(ncr).data)

    @extend_schema(request=NcrVoidSerializer, responses=AnomalySerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        ncr = self.target("anomalies.void_anomaly", CLAUSE_NCR)
        data = self.body(NcrVoidSerializer)
        ncr = services.anomaly_void(actor=self.actor, anomaly=ncr, reason=data["reason"])
        return Response(AnomalySerializer(ncr).data)


class DefectCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DefectCode
        fields = ["id", "family", "code", "name", "name_en", "defect_class", "description"]
        read_only_fields = ["id"]
        # The service checks uniqueness among codes in use (a voided code frees its code).
        validators: list[Any] = []


class DefectCodeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The defect catalogue; filter with ``family``."""

    serializer_class = DefectCodeSerializer
    queryset = DefectCode.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "anomalies.view_defectcode",
        "retrieve": "anomalies.view_defectcode",
        "metadata": "anomalies.view_defectcode",
        "create": "anomalies.add_defectcode",
    }

    def get_queryset(self) -> Any:
        family = self.request.query_params.get("family", "")[:60]
        return sel.defect_codes_filtered(self.request.user, family=family)

    @extend_schema(parameters=[OpenApiParameter("family", str)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DefectCodeSerializer, responses={201: DefectCodeSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(DefectCodeSerializer)
        code = services_defects.defect_code_create(actor=self.actor, **data)
        return Response(DefectCodeSerializer(code).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("ncrs", AnomalyViewSet, basename="ncr")
router.register("defects", DefectCodeViewSet, basename="defect")
urlpatterns = router.urls
