"""The lot genealogy's API (/api/v1/masterdata/, §7.2.3.2).

- ``POST genealogy-feeds/``: an MES or ERP posts links in bulk, ``{"reference": "...", "rows":
  [{"consumed": "<lot number>", "produced": "<lot number>", "quantity": "12.5"}, ...],
  "serials": [{"lot": "<lot number>", "serial": "<the unit's serial>"}, ...]}`` (either list may
  be left out, not both). All or nothing: a row naming an unknown lot, consuming more than a lot
  holds (mass balance) or making a cycle, a serial empty or already assigned to a lot, refuses
  the whole feed with a 400 ``{"rows": ["Row 3: ..."], "row": 3, "part": "rows"}`` (``part``
  ``serials`` for the serials' list). One audit event per feed, with the digests of its links
  and serials.
- ``GET genealogy-feeds/``, ``GET genealogy-feeds/{id}/``, ``POST genealogy-feeds/{id}/void/``
  (voids its links and serials).
- ``GET serials/?serial=&lot=``, ``GET serials/{id}/``, ``POST serials/`` (one by hand: ``{"lot":
  "<lot number>", "serial": "..."}``), ``POST serials/{id}/void/``.
- ``GET trace/?direction=forward|backward&batch=|lot=|shipment=|serial=&page=``: the traced lots
  a page at a time (``page_size`` up to 500), with the customers holding them and the serial
  numbers of their units (``serial_count`` and the first 100, forward) or the supplier batches in
  them (backward) on the first page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cqo.accounts.viewsets import ServiceViewSet

from . import genealogy as G
from .genealogy_feeds import (
    MAX_FEED_ROWS,
    SERIAL_MAX,
    FeedRefused,
    genealogy_feed_post,
    genealogy_feed_void,
)
from .models import FeedSource, GenealogyFeed, Lot, LotLink, LotOrigin, SerialNumber
from .serials import serial_number_record, serial_number_void
from .views_genealogy import STARTS, TraceForm, trace_of

API_SERIAL_PAGE = 100


class FeedRowSerializer(serializers.Serializer):
    consumed = serializers.CharField(max_length=60)
    produced = serializers.CharField(max_length=60)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


class SerialRowSerializer(serializers.Serializer):
    lot = serializers.CharField(max_length=60)
    serial = serializers.CharField(max_length=SERIAL_MAX)


class FeedPostSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    rows = serializers.ListField(
        child=serializers.DictField(), required=False, max_length=MAX_FEED_ROWS
    )
    serials = serializers.ListField(
        child=serializers.DictField(), required=False, max_length=MAX_FEED_ROWS
    )


class GenealogyFeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenealogyFeed
        fields = [
            "id", "source", "reference", "link_count", "serial_count", "created_by",
            "created_at", "voided_at", "void_reason",
        ]  # fmt: skip


class FeedVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TraceLotSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.part_number")
    supplier = serializers.CharField(source="supplier.code", default="")

    class Meta:
        model = Lot
        fields = [
            "id", "number", "item", "origin", "quantity", "supplier", "supplier_batch",
            "arrived_on", "stock_status",
        ]  # fmt: skip


def _feed_perms() -> dict[str, str]:
    return {
        "list": "masterdata.view_genealogyfeed",
        "retrieve": "masterdata.view_genealogyfeed",
        "metadata": "masterdata.view_genealogyfeed",
        "create": "masterdata.add_genealogyfeed",
        "void": "masterdata.view_genealogyfeed",
    }


class GenealogyFeedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ServiceViewSet
):
    queryset = GenealogyFeed.objects.all()
    serializer_class = GenealogyFeedSerializer
    required_perms = _feed_perms()

    def get_queryset(self) -> Any:
        return GenealogyFeed.objects.order_by("-created_at", "-id")

    @extend_schema(request=FeedPostSerializer, responses={201: GenealogyFeedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Post a feed of links, all or nothing (see the module's docstring)."""
        data = self.body(FeedPostSerializer)
        lists: dict[str, list[dict[str, Any]]] = {"rows": [], "serials": []}
        for part, serializer in (("rows", FeedRowSerializer), ("serials", SerialRowSerializer)):
            for index, raw in enumerate(data.get(part) or [], start=1):
                row = serializer(data=raw)
                if not row.is_valid():
                    field, errors = next(iter(row.errors.items()))
                    exc = FeedRefused(index, f"{field}: {errors[0]}", part)
                    return Response(
                        {part: exc.messages, "row": index, "part": part},
                        status=status.HTTP_400_BAD_REQUEST,
                    )
                lists[part].append(dict(row.validated_data))
        try:
            feed = genealogy_feed_post(
                actor=self.actor,
                rows=lists["rows"],
                serials=lists["serials"],
                source=FeedSource.API,
                reference=data.get("reference", ""),
            )
        except FeedRefused as exc:
            return Response(
                {exc.part: exc.messages, "row": exc.row, "part": exc.part},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(GenealogyFeedSerializer(feed).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FeedVoidSerializer, responses={200: GenealogyFeedSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        feed = self.target("masterdata.void_genealogyfeed")
        data = self.body(FeedVoidSerializer)
        feed = genealogy_feed_void(actor=self.actor, feed=feed, reason=data["reason"])
        return Response(GenealogyFeedSerializer(feed).data)


TRACE_PARAMS = [
    OpenApiParameter("direction", OpenApiTypes.STR, enum=["forward", "backward"]),
    OpenApiParameter("batch", OpenApiTypes.STR, description="a supplier batch number"),
    OpenApiParameter("lot", OpenApiTypes.STR, description="a lot number"),
    OpenApiParameter("shipment", OpenApiTypes.STR, description="a shipment number"),
    OpenApiParameter("serial", OpenApiTypes.STR, description="a unit's serial number"),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 500 (default 100)"),
]


def _int(params: Any, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "")
    try:
        value = int(raw) if str(raw).strip() else default
    except (TypeError, ValueError):
        raise serializers.ValidationError({name: ["A whole number."]}) from None
    return min(max(value, low), high)


@extend_schema_serializer(many=False)
class TraceSerializer(serializers.Serializer):
    """One trace, paged by its own ``page`` and ``page_size``: an object, not a list, though it
    answers the viewset's ``list`` (hence ``many=False`` for the schema)."""

    direction = serializers.CharField()
    starts = serializers.ListField(child=serializers.IntegerField())
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    lots = TraceLotSerializer(many=True)
    customers = serializers.ListField(child=serializers.DictField())
    serial_count = serializers.IntegerField()
    serials = serializers.ListField(child=serializers.DictField())
    supplier_batches = serializers.ListField(child=serializers.DictField())


class TraceViewSet(ServiceViewSet):
    """Forward and backward traces (``list`` only)."""

    queryset = LotLink.objects.none()
    pagination_class = None
    required_perms = {"list": "masterdata.view_lotlink", "metadata": "masterdata.view_lotlink"}

    @extend_schema(
        parameters=TRACE_PARAMS,
        responses={
            200: TraceSerializer,
        },
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        form = TraceForm(
            {
                "direction": params.get("direction", "forward"),
                **{key: params.get(key, "") for key in STARTS},
            }
        )
        if not any(params.get(k, "").strip() for k in STARTS):
            # Nothing to trace from yet: an empty trace, as the page shows before a search.
            empty = {"direction": form.data["direction"], "starts": [], "count": 0, "page": 1}
            return Response(
                {**empty, "lots": [], "customers": [], "serial_count": 0, "serials": [],
                 "supplier_batches": []}
            )  # fmt: skip
        if not form.is_valid():
            raise serializers.ValidationError(
                {k: [str(e) for e in v] for k, v in form.errors.items()}
            )
        page = _int(params, "page", 1, 1, 1_000_000)
        size = _int(params, "page_size", 100, 1, 500)
        result = trace_of(form.cleaned_data)
        page_ids = result.ids[(page - 1) * size : page * size]
        lots = Lot.objects.select_related("item", "supplier").in_bulk(page_ids)
        customers: list[dict[str, Any]] = []
        batches: list[dict[str, Any]] = []
        serials: list[dict[str, Any]] = []
        serial_count = 0
        if page == 1 and result.ids and result.direction == "forward":
            units = G.serials_of(result.ids)
            serial_count = units.count()
            serials = [
                {"serial": unit.serial, "item": unit.item.part_number, "lot": unit.lot.number}
                for unit in (units[:API_SERIAL_PAGE] if serial_count else [])
            ]
            customers = [
                {
                    "customer": line.shipment.customer.code,
                    "shipment": line.shipment.number,
                    "lot": line.lot.number,
                    "quantity": str(line.quantity),
                }
                for line in G.shipment_lines_of(result.ids)[:1000]
            ]
        elif page == 1 and result.ids:
            batches = [
                {"supplier": code or "", "supplier_batch": batch, "lot": number}
                for code, batch, number in G.trace_lots("backward", result.starts)
                .filter(origin=LotOrigin.RECEIPT)
                .order_by("supplier__code", "supplier_batch")
                .values_list("supplier__code", "supplier_batch", "number")[:1000]
            ]
        return Response(
            {
                "direction": result.direction,
                "starts": result.starts,
                "count": len(result.ids),
                "page": page,
                "lots": TraceLotSerializer(
                    [lots[pk] for pk in page_ids if pk in lots], many=True
                ).data,
                "customers": customers,
                "serial_count": serial_count,
                "serials": serials,
                "supplier_batches": batches,
            }
        )


class SerialNumberSerializer(serializers.ModelSerializer):
    lot = serializers.CharField(source="lot.number")
    item = serializers.CharField(source="item.part_number")

    class Meta:
        model = SerialNumber
        fields = [
            "id", "serial", "lot", "item", "feed", "created_by", "created_at", "voided_at",
            "void_reason",
        ]  # fmt: skip


class SerialCreateSerializer(serializers.Serializer):
    lot = serializers.CharField(max_length=60)
    serial = serializers.CharField(max_length=SERIAL_MAX)


SERIAL_PARAMS = [
    OpenApiParameter("serial", OpenApiTypes.STR, description="a unit's serial number"),
    OpenApiParameter("lot", OpenApiTypes.STR, description="a lot number"),
]


class SerialNumberViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ServiceViewSet
):
    """Units' serial numbers (every member reads; lot recorders add one by hand; keepers
    void)."""

    queryset = SerialNumber.objects.all()
    serializer_class = SerialNumberSerializer
    required_perms = {
        "list": "masterdata.view_serialnumber",
        "retrieve": "masterdata.view_serialnumber",
        "metadata": "masterdata.view_serialnumber",
        "create": "masterdata.add_serialnumber",
        "void": "masterdata.view_serialnumber",
    }

    def get_queryset(self) -> Any:
        units = SerialNumber.objects.select_related("lot", "item").order_by("serial", "id")
        params = self.request.query_params
        serial = (params.get("serial") or "").strip()
        lot = (params.get("lot") or "").strip()
        if serial:
            units = units.filter(serial=serial)
        if lot:
            units = units.filter(lot__number=lot)
        return units

    @extend_schema(parameters=SERIAL_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=SerialCreateSerializer, responses={201: SerialNumberSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Give one unit of a lot its serial number (a feed gives many)."""
        data = self.body(SerialCreateSerializer)
        lot = Lot.objects.filter(number=data["lot"], voided_at__isnull=True).first()
        if lot is None:
            raise serializers.ValidationError(
                {"lot": [_("No live lot has the number %(number)s.") % {"number": data["lot"]}]}
            )
        record = serial_number_record(actor=self.actor, lot=lot, serial=data["serial"])
        return Response(SerialNumberSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FeedVoidSerializer, responses={200: SerialNumberSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        record = self.target("masterdata.void_serialnumber")
        data = self.body(FeedVoidSerializer)
        record = serial_number_void(actor=self.actor, record=record, reason=data["reason"])
        return Response(SerialNumberSerializer(record).data)


def register(router: Any) -> None:
    router.register("genealogy-feeds", GenealogyFeedViewSet, basename="genealogy-feed")
    router.register("serials", SerialNumberViewSet, basename="serial-number")
    router.register("trace", TraceViewSet, basename="trace")
