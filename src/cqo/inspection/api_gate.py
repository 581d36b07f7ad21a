"""API of the gate (§6 e)), for an ERP or MES as much as for people.

- ``GET  lots/<number>/release-status`` — may this lot be used or shipped, and if not, why;
- ``POST lots/<number>/release`` — ask for a release: 200 with the new status, or 409 with the
  reason (not accepted on a block item, held, rejected, vetoed under §6 i));
- ``GET  shipments/<number>/release-status``, ``POST shipments/<number>/release`` — the same
  for a shipment, which goes only when every lot in it is released and none is held or vetoed;
- ``holds/`` (list, place, lift) and ``shipments/`` (list, create, add lots, release, ship).

A lot or a shipment is named by its number (an id works too). The reasons come in the caller's
language (``Accept-Language``, or ``?lang=``). Decisions are also pushed by webhook: ``lot.*``
and ``shipment.*`` events (``cqo.masterdata.stock.WEBHOOK_EVENTS``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.permissions import require
from cqo.masterdata import stock
from cqo.masterdata.models import Customer, Lot, LotHold, Shipment, ShipmentStatus

from . import selectors_gate as sel

CLAUSE_GATE = stock.CLAUSE_GATE

# --- serialisers --------------------------------------------------------------------------------


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    clause = serializers.CharField()


class GateVetoSerializer(serializers.Serializer):
    reason = serializers.CharField()
    clause = serializers.CharField()
    vetoed_at = serializers.DateTimeField()
    vetoed_by = serializers.CharField()


class HoldBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    clause = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    placed_at = serializers.DateTimeField()
    placed_by = serializers.CharField()


class LotReleaseStatusSerializer(serializers.Serializer):
    lot = serializers.CharField(help_text="The lot number.")
    item = serializers.CharField(help_text="The item's part number.")
    gate = serializers.CharField(help_text="The lot's own gate: iqc (a receipt) or ipqc.")
    gate_behaviour = serializers.CharField(help_text="block or warn, for the item at that gate.")
    status = serializers.CharField(help_text="quarantine, conditional, released, rejected or held.")
    status_label = serializers.CharField()
    released = serializers.BooleanField(help_text="Released or conditionally released.")
    conditional = serializers.BooleanField(help_text="Released under a concession (§6 c)).")
    vetoed = serializers.BooleanField(help_text="A one-vote veto (§6 i)) holds the release.")
    veto = GateVetoSerializer(allow_null=True)
    holds = HoldBriefSerializer(many=True)
    decision = serializers.CharField(
        help_text="The usage decision at the lot's gate: accept, conditional, reject or empty."
    )
    inspection = serializers.CharField(help_text="The inspection lot that decided it.")
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it may not be released, in your language."
    )
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="What a release would be recorded with (an item set to warn).",
    )
    may_release = serializers.BooleanField()


class ShipmentLotStatusSerializer(serializers.Serializer):
    lot = serializers.CharField()
    item = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    status = serializers.CharField()
    released = serializers.BooleanField()


class ShipmentReleaseStatusSerializer(serializers.Serializer):
    shipment = serializers.CharField()
    customer = serializers.CharField()
    order_number = serializers.CharField()
    planned_on = serializers.DateField()
    status = serializers.CharField(help_text="draft, released or shipped.")
    status_label = serializers.CharField()
    released = serializers.BooleanField()
    shipped = serializers.BooleanField()
    vetoed = serializers.BooleanField()
    veto = GateVetoSerializer(allow_null=True)
    lots = ShipmentLotStatusSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    may_release = serializers.BooleanField()


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class LiftSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class HoldSerializer(serializers.ModelSerializer):
    lot = serializers.CharField(source="lot.number", read_only=True)
    reason = serializers.SerializerMethodField()
    placed_by = serializers.CharField(read_only=True)
    lifted_by = serializers.CharField(read_only=True, allow_null=True)
    lift_reason = serializers.SerializerMethodField()

    class Meta:
        model = LotHold
        fields = [
            "id", "lot", "reason", "clause", "source", "status_before", "placed_by", "placed_at",
            "lifted_by", "lifted_at", "lift_reason",
        ]  # fmt: skip

    def get_reason(self, hold: LotHold) -> str:
        return stock.hold_text(hold)

    def get_lift_reason(self, hold: LotHold) -> str:
        from cqo.core.texts import render

        return render(hold.lift_reason)


class HoldPlaceSerializer(serializers.Serializer):
    lot = serializers.CharField(max_length=60, help_text="The lot number (or its id).")
    reason = serializers.CharField(max_length=2000)
    clause = serializers.CharField(max_length=20, help_text="The clause, e.g. §6 e).")
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=60, required=False, allow_blank=True, default=""
    )


class ShipmentLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    lot = serializers.CharField(source="lot.number", read_only=True)
    item = serializers.CharField(source="lot.item.part_number", read_only=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)
    stock_status = serializers.CharField(source="lot.stock_status", read_only=True)


class ShipmentSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.code", read_only=True)
    released_by = serializers.CharField(read_only=True, allow_null=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Shipment
        fields = [
            "id", "number", "customer", "order_number", "planned_on", "status", "released_by",
            "released_at", "created_at", "lines",
        ]  # fmt: skip

    @extend_schema_field(ShipmentLineSerializer(many=True))
    def get_lines(self, shipment: Shipment) -> list[dict[str, Any]]:
        return list(ShipmentLineSerializer(stock.shipment_lines(shipment), many=True).data)


class ShipmentCreateSerializer(serializers.Serializer):
    customer = serializers.CharField(max_length=30, help_text="The customer's code (or its id).")
    planned_on = serializers.DateField()
    order_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="",
        help_text="Left blank, the next number of the planned day is given.",
    )  # fmt: skip


class ShipmentLineAddSerializer(serializers.Serializer):
    lot = serializers.CharField(max_length=60, help_text="The lot number (or its id).")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


def _customer(key: str) -> Customer:
    text = (key or "").strip()
    customers = Customer.objects.filter(voided_at__isnull=True)
    customer = customers.filter(code=text).first()
    if customer is None and text.isdigit():
        customer = customers.filter(pk=int(text)).first()
    if customer is None:
        raise serializers.ValidationError({"customer": [_("No customer has this code.")]})
    return customer


def _lot_named(user: Any, key: str, field: str = "lot") -> Lot:
    lot = sel.lot_by_key(user, key)
    if lot is None:
        raise serializers.ValidationError({field: [_("No lot has this number.")]})
    return lot


# --- examples for the schema ----------------------------------------------------------------------

_BLOCKED_REASON = (
    "Not accepted at the Incoming (IQC) gate yet; item P-10021 is set to block, so it cannot be "
    "released until it is accepted (§6 e))."
)
_LOT_RELEASED = {
    "lot": "LOT-20261206-0007", "item": "P-10021", "gate": "iqc", "gate_behaviour": "block",
    "status": "released", "status_label": "Released", "released": True, "conditional": False,
    "vetoed": False, "veto": None, "holds": [], "decision": "accept",
    "inspection": "IL-20261206-0007", "reasons": [], "warnings": [], "may_release": False,
}  # fmt: skip
_LOT_BLOCKED = {
    **_LOT_RELEASED, "status": "quarantine", "status_label": "Quarantine", "released": False,
    "decision": "", "inspection": "", "may_release": False,
    "reasons": [_BLOCKED_REASON],
}  # fmt: skip
_LOT_VETOED = {
    **_LOT_BLOCKED, "status": "held", "status_label": "Held", "vetoed": True,
    "veto": {"reason": "Salt-spray test not done", "clause": "§6 i)",
             "vetoed_at": "2026-12-06T08:30:00+08:00", "vetoed_by": "Chen Jing"},
    "holds": [{"id": 12, "reason": "One-vote veto by the CQO: Salt-spray test not done",
               "clause": "§6 i)", "source": "veto:4", "placed_at": "2026-12-06T08:30:00+08:00",
               "placed_by": "Chen Jing"}],
    "reasons": ["The CQO has vetoed this lot's release (§6 i)): Salt-spray test not done"],
}  # fmt: skip
_SHIPMENT_VETOED = {
    "shipment": "SH20261206-001", "customer": "K0001", "order_number": "SO-88",
    "planned_on": "2026-12-08", "status": "draft", "status_label": "Draft", "released": False,
    "shipped": False, "vetoed": True,
    "veto": {"reason": "Brake caliper batch under investigation", "clause": "§6 i)",
             "vetoed_at": "2026-12-06T09:00:00+08:00", "vetoed_by": "Chen Jing"},
    "lots": [{"lot": "LOT-20261206-0007", "item": "P-10021", "quantity": "100.000",
              "status": "released", "released": True}],
    "reasons": ["The CQO has vetoed this shipment (§6 i)): Brake caliper batch under "
                "investigation"],
    "warnings": [], "may_release": False,
}  # fmt: skip
_CONFLICT_VETO = {
    "detail": "This decision is held by a one-vote veto on quality safety (§6 i)): it cannot go "
    "forward until the CQO lifts the veto. Reason for the veto: Salt-spray test not done",
    "clause": "§6 i)",
}
_CONFLICT_GATE = {"detail": _BLOCKED_REASON, "clause": "§6 e)"}

_NUMBER = OpenApiParameter(
    "number", str, OpenApiParameter.PATH, description="The lot number (or the lot's id)."
)
_SHIPMENT_NUMBER = OpenApiParameter(
    "number", str, OpenApiParameter.PATH, description="The shipment number (or its id)."
)
_CONFLICT = OpenApiResponse(
    ConflictSerializer,
    description="Refused by the lot's or shipment's state: the reason and the clause.",
    examples=[
        OpenApiExample("Vetoed", value=_CONFLICT_VETO),
        OpenApiExample("Not accepted, block item", value=_CONFLICT_GATE),
    ],
)


# --- lots -----------------------------------------------------------------------------------------


class LotGateViewSet(ServiceViewSet):
    """A lot's release, asked by its number."""

    queryset = Lot.objects.all()
    required_perms = {
        "release_status": "masterdata.view_lot",
        "release": "masterdata.release_lot",
    }

    def _lot(self, number: str) -> Lot:
        lot = sel.lot_by_key(self.request.user, number)
        if lot is None:
            raise Http404
        return lot

    @extend_schema(
        operation_id="inspection_lot_release_status",
        parameters=[_NUMBER],
        responses={200: OpenApiResponse(
            LotReleaseStatusSerializer,
            examples=[
                OpenApiExample("Released", value=_LOT_RELEASED),
                OpenApiExample("Blocked at the gate", value=_LOT_BLOCKED),
                OpenApiExample("Vetoed by the CQO", value=_LOT_VETOED),
            ],
        )},
    )  # fmt: skip
    def release_status(self, request: Request, number: str) -> Response:
        lot = self._lot(number)
        return Response(LotReleaseStatusSerializer(stock.lot_release_status(lot)).data)

    @extend_schema(
        operation_id="inspection_lot_release",
        parameters=[_NUMBER],
        request=ReleaseSerializer,
        responses={200: LotReleaseStatusSerializer, 409: _CONFLICT},
    )
    def release(self, request: Request, number: str) -> Response:
        lot = self._lot(number)
        require(request.user, "masterdata.release_lot", lot, clause=CLAUSE_GATE)
        data = self.body(ReleaseSerializer)
        lot = stock.lot_release(actor=self.actor, lot=lot, reason=data["reason"])
        return Response(LotReleaseStatusSerializer(stock.lot_release_status(lot)).data)


# --- holds ----------------------------------------------------------------------------------------


class HoldViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Holds on lots (an anomaly, a recall, a veto): open ones by default, or a lot's all."""

    serializer_class = HoldSerializer
    queryset = LotHold.objects.all()
    required_perms = {
        "list": "masterdata.view_lothold",
        "retrieve": "masterdata.view_lothold",
        "create": "masterdata.add_lothold",
        "lift": "masterdata.lift_lothold",
    }

    def get_queryset(self) -> Any:
        if self.action == "list":
            lot = (self.request.query_params.get("lot") or "").strip()
            if lot:
                return sel.holds_visible(self.request.user).filter(lot__number=lot)
            return sel.holds_open(self.request.user)
        return sel.holds_visible(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("lot", str, description="A lot number: all its holds.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=HoldPlaceSerializer, responses={201: HoldSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(HoldPlaceSerializer)
        lot = _lot_named(request.user, data["lot"])
        hold = stock.lot_hold_place(
            actor=self.actor, lot=lot, reason=data["reason"], clause=data["clause"],
            source=data["source"],
        )  # fmt: skip
        return Response(HoldSerializer(hold).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LiftSerializer, responses={200: HoldSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: Any = None) -> Response:
        hold = self.target("masterdata.lift_lothold", CLAUSE_GATE)
        data = self.body(LiftSerializer)
        hold = stock.lot_hold_lift(actor=self.actor, hold=hold, reason=data["reason"])
        return Response(HoldSerializer(hold).data)


# --- shipments ------------------------------------------------------------------------------------


class ShipmentViewSet(mixins.ListModelMixin, ServiceViewSet):
    """Shipments (OQC): made in draft, lots added, released only when every lot is, shipped."""

    serializer_class = ShipmentSerializer
    queryset = Shipment.objects.all()
    # Named by number (an id works too); "pk" in an API address must be a whole number.
    lookup_url_kwarg = "number"
    lookup_value_regex = "[^/]+"
    required_perms = {
        "list": "masterdata.view_shipment",
        "retrieve": "masterdata.view_shipment",
        "release_status": "masterdata.view_shipment",
        "create": "masterdata.add_shipment",
        "lines": "masterdata.change_shipment",
        "release": "masterdata.release_shipment",
        "ship": "masterdata.ship_shipment",
    }

    def get_queryset(self) -> Any:
        wanted = (self.request.query_params.get("status") or "").strip()
        return sel.shipments_visible(self.request.user, status=wanted)

    def _shipment(self, perm: str = "") -> Shipment:
        shipment = sel.shipment_by_key(self.request.user, self.kwargs["number"])
        if shipment is None:
            raise Http404
        if perm:
            require(self.request.user, perm, shipment, clause=CLAUSE_GATE)
        return shipment

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ShipmentStatus.values, description="Only these.")
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[_SHIPMENT_NUMBER])
    def retrieve(self, request: Request, number: str = "") -> Response:
        return Response(ShipmentSerializer(self._shipment()).data)

    @extend_schema(request=ShipmentCreateSerializer, responses={201: ShipmentSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(ShipmentCreateSerializer)
        shipment = stock.shipment_create(
            actor=self.actor, customer=_customer(data["customer"]),
            planned_on=data["planned_on"], order_number=data["order_number"],
            number=data["number"],
        )  # fmt: skip
        return Response(ShipmentSerializer(shipment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[_SHIPMENT_NUMBER],
        request=ShipmentLineAddSerializer,
        responses={201: ShipmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def lines(self, request: Request, number: str = "") -> Response:
        shipment = self._shipment("masterdata.change_shipment")
        data = self.body(ShipmentLineAddSerializer)
        lot = _lot_named(request.user, data["lot"])
        stock.shipment_line_add(
            actor=self.actor, shipment=shipment, lot=lot, quantity=data["quantity"]
        )
        return Response(ShipmentSerializer(shipment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="inspection_shipment_release_status",
        parameters=[_SHIPMENT_NUMBER],
        responses={200: OpenApiResponse(
            ShipmentReleaseStatusSerializer,
            examples=[OpenApiExample("Vetoed by the CQO", value=_SHIPMENT_VETOED)],
        )},
    )  # fmt: skip
    @action(detail=True, methods=["get"], url_path="release-status")
    def release_status(self, request: Request, number: str = "") -> Response:
        shipment = self._shipment()
        data = stock.shipment_release_status(shipment)
        return Response(ShipmentReleaseStatusSerializer(data).data)

    @extend_schema(
        parameters=[_SHIPMENT_NUMBER],
        request=ReleaseSerializer,
        responses={200: ShipmentReleaseStatusSerializer, 409: _CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, number: str = "") -> Response:
        shipment = self._shipment("masterdata.release_shipment")
        data = self.body(ReleaseSerializer)
        shipment = stock.shipment_release(
            actor=self.actor, shipment=shipment, reason=data["reason"]
        )
        return Response(ShipmentReleaseStatusSerializer(
            stock.shipment_release_status(shipment)).data)  # fmt: skip

    @extend_schema(
        parameters=[_SHIPMENT_NUMBER], request=None,
        responses={200: ShipmentSerializer, 409: _CONFLICT},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, number: str = "") -> Response:
        shipment = self._shipment("masterdata.ship_shipment")
        shipment = stock.shipment_ship(actor=self.actor, shipment=shipment)
        return Response(ShipmentSerializer(shipment).data)


router = SimpleRouter()
# An ERP may ask with or without the final slash.
router.trailing_slash = "/?"
router.register("holds", HoldViewSet, basename="hold")
router.register("shipments", ShipmentViewSet, basename="shipment")

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(
        r"^lots/(?P<number>[^/]+)/release-status/?$",
        LotGateViewSet.as_view({"get": "release_status"}),
        name="lot-release-status",
    ),
    re_path(
        r"^lots/(?P<number>[^/]+)/release/?$",
        LotGateViewSet.as_view({"post": "release"}),
        name="lot-release",
    ),
    *router.urls,
]
