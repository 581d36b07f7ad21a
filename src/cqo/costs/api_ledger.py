"""The ledger part's API (/api/v1/costs/): lines (list, read, add, reverse), the chart of cost
items, finance's figures, the monthly close and the cost report (§7.1.5, §7.2.3.7). Every write
calls the same service as the pages; amounts travel as decimal strings in yuan (two places),
never as floats, and a body the service refuses is a 400 naming the field and the clause."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.clauses import clause

from . import selectors_ledger as sel
from . import services_ledger as S
from .models_ledger import BaseFigure, ChartItem, LedgerLine, LineOrigin, MonthClose

CLAUSE = clause("§7.1.5")
READ = "costs.view_ledgerline"


class LedgerLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)
    # Plain text: prevention, appraisal, internal, external, external_qa (the chart's categories).
    category = serializers.CharField(read_only=True)
    origin = serializers.CharField(read_only=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = LedgerLine
        fields = [
            "id", "month", "date", "item_code", "category", "amount", "unit", "product",
            "supplier", "customer", "origin", "source", "source_key", "source_record",
            "source_url", "source_date", "note", "reverses", "reversed_by", "job", "created_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_reversed_by(self, obj: LedgerLine) -> int | None:
        reversal = getattr(obj, "reversed_by", None)
        return reversal.pk if reversal is not None else None


class LedgerLineInSerializer(serializers.Serializer):
    """Text fields on purpose: the service reads the amount and date and names the clause when
    they are not a number or a date."""

    date = serializers.CharField(max_length=20)
    item_code = serializers.CharField(max_length=30)
    amount = serializers.CharField(max_length=40, help_text='yuan, e.g. "1250.50"')
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    product = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    supplier = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        min_value=1)  # fmt: skip
    customer = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        min_value=1)  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, default="", max_length=40
    )
    source_key = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=120)  # fmt: skip
    source_record = serializers.CharField(required=False, allow_blank=True, default="",
                                          max_length=200)  # fmt: skip
    source_url = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=300)  # fmt: skip


class LedgerReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    date = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("first", str),
            OpenApiParameter("last", str),
            OpenApiParameter("category", str),
            OpenApiParameter("item_code", str),
            OpenApiParameter("unit", int),
            OpenApiParameter("product", int),
            OpenApiParameter("source", str),
            OpenApiParameter("origin", str),
        ],
    )
)
class LineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The ledger's lines; ``POST`` adds one (origin ``api``); ``reverse`` corrects one."""

    serializer_class = LedgerLineSerializer
    queryset = LedgerLine.objects.all()
    required_perms = {
        "list": READ,
        "retrieve": READ,
        "metadata": READ,
        "create": "costs.add_ledgerline",
        "reverse": READ,
    }

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return sel.lines_filtered(
            first=_day(p.get("first")), last=_day(p.get("last")),
            category=p.get("category", "")[:20], item_code=p.get("item_code", "")[:30],
            unit_id=_int(p.get("unit")), product_id=_int(p.get("product")),
            source=p.get("source", "")[:40], origin=p.get("origin", "")[:20],
        )  # fmt: skip

    @extend_schema(request=LedgerLineInSerializer, responses={201: LedgerLineSerializer})
    def create(self, request: Request) -> Response:
        line = S.ledger_line_add(actor=self.actor, origin=LineOrigin.API,
                                 **self.body(LedgerLineInSerializer))  # fmt: skip
        return Response(LedgerLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LedgerReverseSerializer, responses={201: LedgerLineSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: Any = None) -> Response:
        line = self.target("costs.add_ledgerline", CLAUSE)
        data = self.body(LedgerReverseSerializer)
        reversal = S.ledger_line_reverse(actor=self.actor, line=line, reason=data["reason"],
                                         date=data["date"] or None)  # fmt: skip
        return Response(LedgerLineSerializer(reversal).data, status=status.HTTP_201_CREATED)


class LedgerChartEntrySerializer(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    seeded = serializers.BooleanField()


class LedgerChartItemInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    category = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ChartViewSet(ServiceViewSet):
    """The chart of cost items: seeded (GB/T 13339-style) and added; ``POST`` adds one."""

    serializer_class = LedgerChartEntrySerializer
    queryset = ChartItem.objects.all()
    pagination_class = None
    required_perms = {"list": READ, "create": "costs.change_chartitem", "metadata": READ}

    @extend_schema(responses=LedgerChartEntrySerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response([LedgerChartEntrySerializer(e).data for e in sel.chart()])

    @extend_schema(request=LedgerChartItemInSerializer, responses={201: LedgerChartEntrySerializer})
    def create(self, request: Request) -> Response:
        item = S.chart_item_add(actor=self.actor, **self.body(LedgerChartItemInSerializer))
        entry = sel.ChartEntry(item.code, item.category, item.name, False, item.pk)
        return Response(LedgerChartEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class LedgerFigureSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True)
    kind = serializers.CharField(read_only=True)  # sales, output or profit

    class Meta:
        model = BaseFigure
        fields = ["id", "month", "kind", "amount", "note", "entered_by", "entered_at"]
        read_only_fields = fields


class LedgerFigureInSerializer(serializers.Serializer):
    month = serializers.CharField(max_length=10, help_text="YYYY-MM")
    kind = serializers.CharField(max_length=10, help_text="sales, output or profit")
    amount = serializers.CharField(max_length=40, help_text='yuan, e.g. "3250000.00"')
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class FigureViewSet(mixins.ListModelMixin, ServiceViewSet):
    """Finance's figures in force per month; ``POST`` enters one (finance keepers)."""

    serializer_class = LedgerFigureSerializer
    queryset = BaseFigure.objects.all()
    required_perms = {"list": READ, "create": "costs.add_basefigure", "metadata": READ}

    def get_queryset(self) -> Any:
        return BaseFigure.objects.active().order_by("-month", "kind")

    @extend_schema(request=LedgerFigureInSerializer, responses={201: LedgerFigureSerializer})
    def create(self, request: Request) -> Response:
        figure = S.base_figure_set(actor=self.actor, **self.body(LedgerFigureInSerializer))
        return Response(LedgerFigureSerializer(figure).data, status=status.HTTP_201_CREATED)


class LedgerMonthSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = MonthClose
        fields = ["id", "month", "total", "lines", "closed_by", "closed_at"]
        read_only_fields = fields


class LedgerMonthInSerializer(serializers.Serializer):
    month = serializers.CharField(max_length=10, help_text="YYYY-MM")


class MonthViewSet(mixins.ListModelMixin, ServiceViewSet):
    """Closed months; ``POST`` closes one that has ended (its sources pulled first)."""

    serializer_class = LedgerMonthSerializer
    queryset = MonthClose.objects.all()
    required_perms = {"list": READ, "create": "costs.close_month", "metadata": READ}

    @extend_schema(request=LedgerMonthInSerializer, responses={201: LedgerMonthSerializer})
    def create(self, request: Request) -> Response:
        closed = S.month_close(actor=self.actor, **self.body(LedgerMonthInSerializer))
        return Response(LedgerMonthSerializer(closed).data, status=status.HTTP_201_CREATED)


class ReportViewSet(ServiceViewSet):
    """The cost report by month × category × unit (``?first=&last=``, default this year);
    totals are decimal strings in yuan."""

    queryset = LedgerLine.objects.none()
    pagination_class = None
    required_perms = {"list": READ}

    @extend_schema(
        parameters=[OpenApiParameter("first", str), OpenApiParameter("last", str)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        today = timezone.localdate()
        first = _day(request.query_params.get("first")) or today.replace(month=1, day=1)
        last = _day(request.query_params.get("last")) or today
        last = min(last, today)
        if first > last or (last - first).days > 3700:
            first, last = today.replace(month=1, day=1), today
        data = sel.report(first=first, last=last)
        return Response(report_json(data))


def report_json(data: dict[str, Any]) -> dict[str, Any]:
    def money(value: Any) -> str | None:
        return None if value is None else f"{value:.2f}"

    return {
        "first": data["first"].isoformat(),
        "last": data["last"].isoformat(),
        "total": money(data["total"]),
        "lines": data["count"],
        "categories": sel.CATEGORY_ORDER,
        "by_category": {k: money(v) for k, v in data["by_category"].items()},
        "months": [
            {
                "month": r["month"].strftime("%Y-%m"),
                "total": money(r["total"]),
                "by_category": dict(
                    zip(sel.CATEGORY_ORDER, [money(c) for c in r["cells"]], strict=True)
                ),
                "figures": {k: money(f.amount) if f else None for k, f in r["figures"].items()},
                "ratios": {k: money(v) for k, v in r["ratios"].items()},
            }
            for r in data["month_rows"]
        ],
        "by_item": [{**r, "total": money(r["total"])} for r in data["by_item"]],
        "by_unit": [{**r, "total": money(r["total"])} for r in data["by_unit"]],
        "by_product": [{**r, "total": money(r["total"])} for r in data["by_product"]],
        "structure": {k: money(v) for k, v in data["structure"].items()},
        "bases": {k: money(v) for k, v in data["bases"].items()},
        "ratios_per_100_yuan": {k: money(v) for k, v in data["ratios"].items()},
        "pareto": [
            {**r, "total": money(r["total"]), "cumulative": money(r["cumulative"])}
            for r in data["pareto"]
        ],
        "matrix": [
            {
                "month": r["month"].strftime("%Y-%m"),
                "category": r["category"],
                "unit": r["unit_id"],
                "total": money(r["total"]),
                "lines": r["lines"],
            }
            for r in sel.report_matrix(first=data["first"], last=data["last"])
        ],
    }


router = SimpleRouter()
router.register("lines", LineViewSet, basename="ledger-line")
router.register("items", ChartViewSet, basename="ledger-item")
router.register("figures", FigureViewSet, basename="ledger-figure")
router.register("months", MonthViewSet, basename="ledger-month")
router.register("report", ReportViewSet, basename="ledger-report")
urlpatterns = router.urls
