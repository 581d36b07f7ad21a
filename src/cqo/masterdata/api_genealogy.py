"""The lot genealogy's API (/api/v1/masterdata/, §7.2.3.2).

- ``POST genealogy-feeds/``: an MES or ERP posts links in bulk, ``{"reference": "...", "rows":
  [{"consumed": "<lot number>", "produced": "<lot number>", "quantity": "12.5"}, ...]}``. All or
  nothing: a row naming an unknown lot, consuming more than a lot holds (mass balance) or making
  a cycle refuses the whole feed with a 400 ``{"rows": ["Row 3: ..."], "row": 3}``. One audit
  event per feed, with the digest of its links.
- ``GET genealogy-feeds/``, ``GET genealogy-feeds/{id}/``, ``POST genealogy-feeds/{id}/void/``.
- ``GET trace/?direction=forward|backward&batch=|lot=|shipment=&page=``: the traced lots a page
  at a time (``page_size`` up to 500), with the customers holding them (forward) or the supplier
  batches in them (backward) on the first page.
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
from .genealogy_feeds import MAX_FEED_ROWS, FeedRefused, genealogy_feed_post, genealogy_feed_void
from .models import FeedSource, GenealogyFeed, Lot, LotLink, LotOrigin
from .views_genealogy import TraceForm, trace_of


class FeedRowSerializer(serializers.Serializer):
    consumed = serializers.CharField(max_length=60)
    produced = serializers.CharField(max_length=60)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


class FeedPostSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    rows = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=MAX_FEED_ROWS
    )


class GenealogyFeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = GenealogyFeed
        fields = [
            "id", "source", "reference", "link_count", "created_by", "created_at", "voided_at",
            "void_reason",
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
        rows = []
        for index, raw in enumerate(data["rows"], start=1):
            row = FeedRowSerializer(data=raw)
            if not row.is_valid():
                field, errors = next(iter(row.errors.items()))
                problem = f"{field}: {errors[0]}"
                message = _("Row %(row)d: %(problem)s") % {"row": index, "problem": problem}
                return Response({"rows": [message], "row": index}, status=400)
            rows.append(dict(row.validated_data))
        try:
            feed = genealogy_feed_post(
                actor=self.actor,
                rows=rows,
                source=FeedSource.API,
                reference=data.get("reference", ""),
            )
        except FeedRefused as exc:
            return Response(
                {"rows": exc.messages, "row": exc.row}, status=status.HTTP_400_BAD_REQUEST
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
                "batch": params.get("batch", ""),
                "lot": params.get("lot", ""),
                "shipment": params.get("shipment", ""),
            }
        )
        if not any(params.get(k, "").strip() for k in ("batch", "lot", "shipment")):
            # Nothing to trace from yet: an empty trace, as the page shows before a search.
            empty = {"direction": form.data["direction"], "starts": [], "count": 0, "page": 1}
            return Response({**empty, "lots": [], "customers": [], "supplier_batches": []})
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
        if page == 1 and result.ids and result.direction == "forward":
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
                "supplier_batches": batches,
            }
        )


def register(router: Any) -> None:
    router.register("genealogy-feeds", GenealogyFeedViewSet, basename="genealogy-feed")
    router.register("trace", TraceViewSet, basename="trace")
