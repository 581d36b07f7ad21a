"""API of the inspection app: suppliers part — supplier quality scorecards (read only).

``GET /api/v1/inspection/supplier-scorecards/``: every supplier with incoming lots in the
period, ranked; ``GET /api/v1/inspection/supplier-scorecards/{id}/``: one supplier's monthly
scorecard, period total, items and switching state. Figures as on the pages (definitions in
``selectors_suppliers``).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.core.api_permissions import ObjectPermission
from cqo.masterdata.models import Supplier

from . import selectors_suppliers as sel

SORT_CHOICES = sorted([*sel.SORTS, *(f"-{k}" for k in sel.SORTS)])


class PeriodSerializer(serializers.Serializer):
    months = serializers.ChoiceField(
        choices=list(sel.PERIODS), required=False, default=sel.MONTHS,
        help_text="The period: this month and the months before it.",
    )  # fmt: skip


class RankingQuerySerializer(PeriodSerializer):
    sort = serializers.ChoiceField(
        choices=SORT_CHOICES, required=False, default=sel.DEFAULT_SORT,
        help_text="Sort key; a leading minus sorts descending. Suppliers without a value last.",
    )  # fmt: skip


class MetricsSerializer(serializers.Serializer):
    lots = serializers.IntegerField()
    decided = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    conditional = serializers.IntegerField()
    acceptance_rate = serializers.FloatField(
        allow_null=True, help_text=str(sel.DEFINITIONS["acceptance"])
    )
    nonconforming_units = serializers.IntegerField()
    inspected_units = serializers.FloatField()
    ppm = serializers.FloatField(allow_null=True, help_text=str(sel.DEFINITIONS["ppm"]))
    decided_quantity = serializers.FloatField()
    rejected_quantity = serializers.FloatField()
    rejected_quantity_ppm = serializers.FloatField(
        allow_null=True, help_text=str(sel.DEFINITIONS["rejected_ppm"])
    )
    lead_time_median_hours = serializers.FloatField(
        allow_null=True, help_text=str(sel.DEFINITIONS["lead_time"])
    )
    lead_time_p90_hours = serializers.FloatField(allow_null=True)


class SupplierRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    blocked = serializers.BooleanField(help_text="Suspended or disqualified: receipts refused.")


class SwitchingSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="The worst state of the supplier's streams.")
    streams = serializers.DictField(child=serializers.IntegerField())


PARTS_HELP = (
    "What other domains registered about the supplier (masterdata.scores), by part and figure: "
    '{"scar": {"open": 1, "issued": 2, "late": 0, "returned": 1}}.'
)


def _parts() -> serializers.DictField:
    return serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()), help_text=PARTS_HELP
    )


class RankingRowSerializer(MetricsSerializer):
    supplier = SupplierRefSerializer()
    switching = SwitchingSerializer()
    parts = _parts()


class MonthSerializer(MetricsSerializer):
    month = serializers.CharField(help_text="YYYY-MM")


class ItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    part_number = serializers.CharField()
    name = serializers.CharField()


class ItemRowSerializer(MetricsSerializer):
    item = ItemRefSerializer()
    switching = serializers.CharField()


class StreamSerializer(serializers.Serializer):
    item = serializers.CharField()
    state = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ScorecardSerializer(serializers.Serializer):
    supplier = SupplierRefSerializer()
    months_in_period = serializers.IntegerField()
    total = MetricsSerializer()
    months = MonthSerializer(many=True)
    items = ItemRowSerializer(many=True)
    switching = SwitchingSerializer()
    streams = StreamSerializer(many=True)
    parts = _parts()


def _query(serializer_class: type[serializers.Serializer], params: Any) -> dict[str, Any]:
    body = serializer_class(data={k: params.get(k) for k in params if params.get(k) != ""})
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@extend_schema_view(
    list=extend_schema(
        parameters=[RankingQuerySerializer],
        responses={200: RankingRowSerializer(many=True)},
        description="Suppliers with incoming inspection lots in the period, ranked (§6 e)).",
    ),
    retrieve=extend_schema(
        parameters=[PeriodSerializer],
        responses={200: ScorecardSerializer},
        description="A supplier's monthly scorecard, period total and items (§6 e), §7.1.5).",
    ),
)
class SupplierScorecardViewSet(viewsets.GenericViewSet):
    permission_classes = [ObjectPermission]
    required_perms = {"list": sel.PERM, "retrieve": sel.PERM}
    perm_model = Supplier
    queryset = Supplier.objects.none()
    pagination_class = None

    def get_queryset(self) -> Any:
        return sel.suppliers_visible(self.request.user)

    def list(self, request: Request) -> Response:
        query = _query(RankingQuerySerializer, request.query_params)
        rows = sel.supplier_ranking(request.user, months=query["months"], sort=query["sort"])
        return Response([r.as_dict() for r in rows])

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        query = _query(PeriodSerializer, request.query_params)
        supplier = get_object_or_404(self.get_queryset(), pk=_pk(pk))
        self.check_object_permissions(request, supplier)
        card = sel.supplier_scorecard(request.user, supplier, months=query["months"])
        items = sel.supplier_items(
            request.user, supplier, months=query["months"], streams=card.streams
        )
        return Response(
            {
                **card.as_dict(),
                "months_in_period": query["months"],
                "items": [r.as_dict() for r in items],
            }
        )


def _pk(raw: str | None) -> int:
    from django.http import Http404

    try:
        value = int(raw or "")
    except ValueError:
        raise Http404 from None
    if not 0 < value < 2**63:
        raise Http404
    return value


router = SimpleRouter()
router.register(
    "supplier-scorecards", SupplierScorecardViewSet, basename="inspection-supplier-scorecard"
)
urlpatterns = router.urls
