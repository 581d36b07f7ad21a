"""The master-data API (/api/v1/masterdata/): items, characteristics, suppliers, the
approved-supplier list, customers, work centres, operations, instruments and lots.

Reads go through the selectors; writes through the same services as the pages (same permission,
checks and audit event). An ERP or MES posts receipts here (``POST lots/`` is ``lot_create``): a
receipt from a blocked supplier, one off the item's approved-supplier list, a quantity not above
zero or a supplier batch received before is a 400 naming the field.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.api_input import MAX_ID

from . import api_genealogy
from . import selectors as sel
from . import services as S
from .models import (
    ApprovedSupplier,
    Characteristic,
    Customer,
    Instrument,
    Item,
    Lot,
    LotOrigin,
    Operation,
    StockStatus,
    Supplier,
    SupplierStatus,
    WorkCentre,
)

VOIDED = ["voided_at", "void_reason"]

# --- serializers ----------------------------------------------------------------------------


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", *sorted(S.ITEM_FIELDS), "created_at", *VOIDED]
        read_only_fields = ["created_at", *VOIDED]


class CharacteristicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Characteristic
        fields = ["id", "item", *sorted(S.CHARACTERISTIC_FIELDS), *VOIDED]
        read_only_fields = VOIDED


class CharacteristicUpdateSerializer(CharacteristicSerializer):
    class Meta(CharacteristicSerializer.Meta):
        read_only_fields = ["item", *VOIDED]


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", *sorted(S.SUPPLIER_FIELDS), "status", "created_at", *VOIDED]
        read_only_fields = ["status", "created_at", *VOIDED]


class SupplierApproveSerializer(serializers.Serializer):
    reason = serializers.CharField()
    conditional = serializers.BooleanField(required=False, default=False)


class SupplierStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in S.STATUS_SETTABLE])
    reason = serializers.CharField()


class ApprovedSupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovedSupplier
        fields = ["id", "item", "supplier", "since", "note", *VOIDED]
        read_only_fields = VOIDED


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", *sorted(S.CUSTOMER_FIELDS), *VOIDED]
        read_only_fields = VOIDED


class WorkCentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkCentre
        fields = ["id", *sorted(S.WORK_CENTRE_FIELDS), *VOIDED]
        read_only_fields = VOIDED


class OperationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Operation
        fields = ["id", "item", *sorted(S.OPERATION_FIELDS), *VOIDED]
        read_only_fields = VOIDED


class InstrumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instrument
        fields = ["id", *sorted(S.INSTRUMENT_FIELDS), *VOIDED]
        read_only_fields = VOIDED


class LotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lot
        fields = [
            "id", "number", "item", "origin", "quantity", "supplier", "supplier_batch",
            "order_number", "operation", "work_centre", "arrived_on", "stock_status",
            "created_by", "created_at", *VOIDED,
        ]  # fmt: skip
        read_only_fields = fields


class LotCreateSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    origin = serializers.ChoiceField(choices=LotOrigin.choices, default=LotOrigin.RECEIPT)
    arrived_on = serializers.DateField()
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(), required=False, allow_null=True, default=None
    )
    supplier_batch = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    order_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    operation = serializers.PrimaryKeyRelatedField(
        queryset=Operation.objects.all(), required=False, allow_null=True, default=None
    )
    work_centre = serializers.PrimaryKeyRelatedField(
        queryset=WorkCentre.objects.all(), required=False, allow_null=True, default=None
    )
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class MasterdataVoidSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- views ----------------------------------------------------------------------------------


def _text_param(params: Any, name: str) -> str:
    # A NUL byte cannot reach PostgreSQL in a query; no code or name holds one.
    return str(params.get(name, "") or "").replace("\x00", "")[:100]


def _id_param(params: Any, name: str) -> int | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    if not (str(raw).isascii() and str(raw).isdigit()) or int(raw) > MAX_ID:
        raise serializers.ValidationError({name: [_("Give a whole number.")]})
    return int(raw)


def _choice_param(params: Any, name: str, choices: Any) -> str:
    raw = _text_param(params, name)
    if raw and raw not in choices.values:
        raise serializers.ValidationError({name: [_("Choose a value from the list.")]})
    return raw


def _perms(model: str, **extra: str) -> dict[str, str]:
    view = f"masterdata.view_{model}"
    return {
        "list": view,
        "retrieve": view,
        "metadata": view,
        "create": f"masterdata.add_{model}",
        "update": f"masterdata.change_{model}",
        "partial_update": f"masterdata.change_{model}",
        "void": view,
        **extra,
    }


Q_PARAM = OpenApiParameter("q", OpenApiTypes.STR, description="search in codes and names")


class _Kept(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ServiceViewSet,
):
    """A list kept through services: create, update and void call them; the list hides voided
    records, a record read by its id shows them."""

    create_service: Any = None
    update_service: Any = None
    update_arg = ""
    void_service: Any = None
    void_clause = S.CLAUSE_GATE

    def visible(self, **filters: Any) -> Any:
        raise NotImplementedError

    def get_queryset(self) -> Any:
        params = self.request.query_params
        if self.action != "list":
            return self.visible(include_voided=True)
        return self.visible(q=_text_param(params, "q"), **self.list_filters(params))

    def list_filters(self, params: Any) -> dict[str, Any]:
        return {}

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = type(self).create_service(
            actor=self.actor, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = type(self).update_service(
            actor=self.actor, **{self.update_arg: serializer.instance}, **serializer.validated_data
        )

    @extend_schema(request=MasterdataVoidSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        queryset: Any = type(self).queryset
        obj = self.target(f"masterdata.void_{queryset.model._meta.model_name}", self.void_clause)
        data = self.body(MasterdataVoidSerializer)
        obj = type(self).void_service(actor=self.actor, obj=obj, reason=data["reason"])
        return Response(self.get_serializer_class()(obj).data)


@extend_schema_view(list=extend_schema(parameters=[Q_PARAM]))
class ItemViewSet(_Kept):
    serializer_class = ItemSerializer
    queryset = Item.objects.all()
    required_perms = _perms("item")
    create_service = staticmethod(S.item_create)
    update_service = staticmethod(S.item_update)
    update_arg = "item"
    void_service = staticmethod(S.item_void)

    def visible(self, **filters: Any) -> Any:
        return sel.items_visible(self.request.user, **filters)


@extend_schema_view(
    list=extend_schema(
        parameters=[Q_PARAM, OpenApiParameter("item", OpenApiTypes.INT, description="item id")]
    )
)
class CharacteristicViewSet(_Kept):
    queryset = Characteristic.objects.all()
    required_perms = _perms("characteristic")
    create_service = staticmethod(S.characteristic_create)
    update_service = staticmethod(S.characteristic_update)
    update_arg = "characteristic"
    void_service = staticmethod(S.characteristic_void)

    def get_serializer_class(self) -> Any:
        if self.action in ("update", "partial_update"):
            return CharacteristicUpdateSerializer
        return CharacteristicSerializer

    def visible(self, **filters: Any) -> Any:
        return sel.characteristics_visible(self.request.user, **filters)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        item_id = _id_param(self.request.query_params, "item") if self.action == "list" else None
        return qs if item_id is None else qs.filter(item_id=item_id)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_PARAM,
            OpenApiParameter("status", OpenApiTypes.STR, enum=SupplierStatus.values),
        ]
    )
)
class SupplierViewSet(_Kept):
    queryset = Supplier.objects.all()
    required_perms = _perms(
        "supplier", approve="masterdata.view_supplier", status="masterdata.view_supplier"
    )
    create_service = staticmethod(S.supplier_create)
    update_service = staticmethod(S.supplier_update)
    update_arg = "supplier"
    void_service = staticmethod(S.supplier_void)

    def get_serializer_class(self) -> Any:
        return {
            "approve": SupplierApproveSerializer,
            "status": SupplierStatusSerializer,
        }.get(self.action or "", SupplierSerializer)

    def visible(self, **filters: Any) -> Any:
        return sel.suppliers_visible(self.request.user, **filters)

    def list_filters(self, params: Any) -> dict[str, Any]:
        return {"status": _choice_param(params, "status", SupplierStatus)}

    @extend_schema(request=SupplierApproveSerializer, responses=SupplierSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Approve a candidate supplier (§6 e)); 409 while the CQO's veto holds it (§6 i))."""
        supplier = self.target("masterdata.approve_supplier", S.CLAUSE_GATE)
        data = self.body(SupplierApproveSerializer)
        supplier = S.supplier_approve(actor=self.actor, supplier=supplier, **data)
        return Response(SupplierSerializer(supplier).data)

    @extend_schema(request=SupplierStatusSerializer, responses=SupplierSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: Any = None) -> Response:
        supplier = self.target("masterdata.set_status_supplier", S.CLAUSE_GATE)
        data = self.body(SupplierStatusSerializer)
        supplier = S.supplier_status_set(actor=self.actor, supplier=supplier, **data)
        return Response(SupplierSerializer(supplier).data)


class ApprovedSupplierViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ServiceViewSet
):
    serializer_class = ApprovedSupplierSerializer
    queryset = ApprovedSupplier.objects.all()
    required_perms = _perms("approvedsupplier")

    def get_queryset(self) -> Any:
        return sel.approved_suppliers_visible(
            self.request.user, include_voided=self.action != "list"
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = S.approved_supplier_add(actor=self.actor, **serializer.validated_data)

    @extend_schema(request=MasterdataVoidSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        entry = self.target("masterdata.void_approvedsupplier", S.CLAUSE_GATE)
        data = self.body(MasterdataVoidSerializer)
        entry = S.approved_supplier_remove(actor=self.actor, approved=entry, reason=data["reason"])
        return Response(ApprovedSupplierSerializer(entry).data)


@extend_schema_view(list=extend_schema(parameters=[Q_PARAM]))
class CustomerViewSet(_Kept):
    serializer_class = CustomerSerializer
    queryset = Customer.objects.all()
    required_perms = _perms("customer")
    create_service = staticmethod(S.customer_create)
    update_service = staticmethod(S.customer_update)
    update_arg = "customer"
    void_service = staticmethod(S.customer_void)

    def visible(self, **filters: Any) -> Any:
        return sel.customers_visible(self.request.user, **filters)


@extend_schema_view(list=extend_schema(parameters=[Q_PARAM]))
class WorkCentreViewSet(_Kept):
    serializer_class = WorkCentreSerializer
    queryset = WorkCentre.objects.all()
    required_perms = _perms("workcentre")
    create_service = staticmethod(S.work_centre_create)
    update_service = staticmethod(S.work_centre_update)
    update_arg = "work_centre"
    void_service = staticmethod(S.work_centre_void)

    def visible(self, **filters: Any) -> Any:
        return sel.work_centres_visible(self.request.user, **filters)


@extend_schema_view(list=extend_schema(parameters=[Q_PARAM]))
class OperationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ServiceViewSet
):
    serializer_class = OperationSerializer
    queryset = Operation.objects.all()
    required_perms = _perms("operation")

    def get_queryset(self) -> Any:
        if self.action != "list":
            return sel.operations_visible(self.request.user, include_voided=True)
        return sel.operations_visible(
            self.request.user, q=_text_param(self.request.query_params, "q")
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = S.operation_create(actor=self.actor, **serializer.validated_data)


@extend_schema_view(list=extend_schema(parameters=[Q_PARAM]))
class InstrumentViewSet(_Kept):
    serializer_class = InstrumentSerializer
    queryset = Instrument.objects.all()
    required_perms = _perms("instrument")
    create_service = staticmethod(S.instrument_create)
    update_service = staticmethod(S.instrument_update)
    update_arg = "instrument"
    void_service = staticmethod(S.instrument_void)
    void_clause = S.CLAUSE_METROLOGY

    def visible(self, **filters: Any) -> Any:
        return sel.instruments_visible(self.request.user, **filters)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="lot number or supplier batch"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=StockStatus.values),
            OpenApiParameter("supplier", OpenApiTypes.INT, description="supplier id"),
            OpenApiParameter("item", OpenApiTypes.INT, description="item id"),
        ]
    )
)
class LotViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ServiceViewSet
):
    queryset = Lot.objects.all()
    required_perms = _perms("lot")

    def get_serializer_class(self) -> Any:
        return LotCreateSerializer if self.action == "create" else LotSerializer

    def get_queryset(self) -> Any:
        if self.action != "list":
            return sel.lots_visible(self.request.user, include_voided=True)
        params = self.request.query_params
        qs = sel.lots_visible(
            self.request.user,
            q=_text_param(params, "q"),
            status=_choice_param(params, "status", StockStatus),
        )
        supplier_id = _id_param(params, "supplier")
        if supplier_id is not None:
            qs = qs.filter(supplier_id=supplier_id)
        item_id = _id_param(params, "item")
        if item_id is not None:
            qs = qs.filter(item_id=item_id)
        return qs

    @extend_schema(request=LotCreateSerializer, responses={201: LotSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a lot at the gate (a receipt from an ERP, a lot from a MES), §6 e)."""
        data = self.body(LotCreateSerializer)
        lot = S.lot_create(actor=self.actor, **data)
        return Response(LotSerializer(lot).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("items", ItemViewSet, basename="item")
router.register("characteristics", CharacteristicViewSet, basename="characteristic")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("approved-suppliers", ApprovedSupplierViewSet, basename="approved-supplier")
router.register("customers", CustomerViewSet, basename="customer")
router.register("work-centres", WorkCentreViewSet, basename="work-centre")
router.register("operations", OperationViewSet, basename="operation")
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("lots", LotViewSet, basename="lot")
api_genealogy.register(router)
urlpatterns = router.urls
