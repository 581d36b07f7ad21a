"""The fund part's API (/api/v1/costs/): quality budgets (§6 f)) with their lines and the
principal's approval, special quality funds (§8.1) with their purposes and balances, spending
applications and their payments with vouchers. Every write calls the same service as the pages;
deciding a spending or a budget is the authorities' approval API (``/api/v1/authorities/``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.api_input import JSONParser
from cqo.organisation.models import Unit

from . import selectors_fund as sel
from . import services_fund as S
from . import services_fund_report as SR
from .models_fund import (
    BudgetLine,
    Fund,
    FundPayment,
    FundPurpose,
    FundReportJob,
    FundSpending,
    PurposeKind,
    QualityBudget,
    ReportFormat,
    ReportJobStatus,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _money(**kwargs: Any) -> serializers.DecimalField:
    """Yuan with two places."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "unit", "item_code", "amount"]


class BudgetSerializer(serializers.ModelSerializer):
    lines = serializers.SerializerMethodField()
    approved = serializers.SerializerMethodField()

    class Meta:
        model = QualityBudget
        fields = ["id", "year", "status", "approved", "alert_percent", "note", "prepared_by",
                  "prepared_at", "approval", "approved_at", "lines"]  # fmt: skip
        read_only_fields = ["status", "prepared_by", "prepared_at", "approval", "approved_at"]

    def get_lines(self, obj: QualityBudget) -> list[dict[str, Any]]:
        return BudgetLineSerializer(obj.lines.filter(voided_at__isnull=True), many=True).data  # type: ignore[return-value]

    def get_approved(self, obj: QualityBudget) -> bool:
        """True only once the principal has approved it."""
        return obj.status == "approved" and obj.voided_at is None


class BudgetCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    alert_percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=1,
                                             max_value=200, required=False, default=Decimal("90"))  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class BudgetLineSetSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    item_code = serializers.CharField(max_length=20)
    amount = _money(min_value=0)


class PurposeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundPurpose
        fields = ["id", "kind", "name", "allocation", "item_code"]


class FundSerializer(serializers.ModelSerializer):
    purposes = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ["id", "year", "amount", "plan_ref", "principal_threshold", "created_by",
                  "created_at", "purposes"]  # fmt: skip
        read_only_fields = ["created_by", "created_at"]

    def get_purposes(self, obj: Fund) -> list[dict[str, Any]]:
        """Each purpose with its allocation and balances (yuan, as text with two places)."""
        return [
            {"id": r.purpose.pk, "kind": r.purpose.kind, "name": r.purpose.title,
             "item_code": r.purpose.item_code, "allocation": str(r.allocation),
             "approved": str(r.approved), "paid": str(r.paid), "pending": str(r.pending),
             "balance": str(r.balance)}
            for r in sel.fund_balances(obj).rows
        ]  # fmt: skip


class FundCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = _money(min_value=0)
    plan_ref = serializers.CharField(max_length=100)
    principal_threshold = _money(min_value=0)


class PurposeAddSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PurposeKind.choices)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    allocation = _money(min_value=0)
    item_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)


class ReportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ReportFormat.choices, required=False, default="pdf")
    language = serializers.ChoiceField(
        choices=[("zh-hans", "中文"), ("en", "English")], required=False, default="zh-hans"
    )


class ReportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = FundReportJob
        fields = ["id", "fund", "format", "language", "status", "progress", "file_name", "size",
                  "sha256", "error", "created_by", "created_at", "finished_at", "url",
                  "file_url"]  # fmt: skip
        read_only_fields = fields

    def get_url(self, obj: FundReportJob) -> str:
        """Poll here until ``status`` is ``done`` or ``failed``."""
        return reverse("api:costs:fundreport-detail", args=[obj.pk])

    def get_file_url(self, obj: FundReportJob) -> str | None:
        """The kept file, once ``status`` is ``done``."""
        if obj.status != ReportJobStatus.DONE:
            return None
        return reverse("api:costs:fundreport-file", args=[obj.pk])

    def get_error(self, obj: FundReportJob) -> str:
        """Why the build failed (empty otherwise)."""
        if obj.status != ReportJobStatus.FAILED:
            return ""
        return f"{_('The report could not be built')}: {obj.error}"


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundPayment
        fields = ["id", "amount", "paid_on", "voucher_no", "voucher_sha256", "recorded_by",
                  "recorded_at"]  # fmt: skip


class SpendingSerializer(serializers.ModelSerializer):
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = FundSpending
        fields = ["id", "number", "fund", "purpose", "unit", "title", "justification", "amount",
                  "touches_safety", "status", "raised_by", "raised_at", "approval",
                  "decided_at", "payments"]  # fmt: skip
        read_only_fields = fields


class SpendingApplySerializer(serializers.Serializer):
    fund = serializers.IntegerField(min_value=1)
    purpose = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    justification = serializers.CharField(max_length=5000)
    amount = _money(min_value=0)
    touches_safety = serializers.BooleanField(required=False, default=False)


class PaymentRecordSerializer(serializers.Serializer):
    amount = _money(min_value=0)
    paid_on = serializers.DateField()
    voucher_no = serializers.CharField(max_length=60)
    voucher = serializers.FileField()


def _get(model: Any, pk: int, field: str) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: "Unknown id."})
    return found


class BudgetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Quality budgets; ``approved`` is true only once the principal has approved one."""

    serializer_class = BudgetSerializer
    queryset = QualityBudget.objects.all()
    required_perms = {
        "list": "costs.view_qualitybudget",
        "retrieve": "costs.view_qualitybudget",
        "metadata": "costs.view_qualitybudget",
        "create": "costs.add_qualitybudget",
        "lines": "costs.view_qualitybudget",
        "submit": "costs.view_qualitybudget",
    }

    def get_queryset(self) -> Any:
        return sel.budgets_visible(self.request.user).prefetch_related("lines")

    def create(self, request: Request) -> Response:
        budget = S.budget_create(actor=self.actor, **self.body(BudgetCreateSerializer))
        return Response(BudgetSerializer(budget).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BudgetLineSetSerializer, responses=BudgetSerializer)
    @action(detail=True, methods=["post"])
    def lines(self, request: Request, pk: Any = None) -> Response:
        budget = self.target("costs.change_qualitybudget", S.CLAUSE_BUDGET)
        data = self.body(BudgetLineSetSerializer)
        S.budget_line_set(actor=self.actor, budget=budget, unit=_get(Unit, data["unit"], "unit"),
                          item_code=data["item_code"], amount=data["amount"])  # fmt: skip
        return Response(BudgetSerializer(QualityBudget.objects.get(pk=budget.pk)).data)

    @extend_schema(request=None, responses=BudgetSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        budget = self.target("costs.submit_qualitybudget", S.CLAUSE_BUDGET)
        budget = S.budget_submit(actor=self.actor, budget=budget)
        return Response(BudgetSerializer(budget).data)


class FundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Special quality funds with each purpose's allocation and balances."""

    serializer_class = FundSerializer
    queryset = Fund.objects.all()
    required_perms = {
        "list": "costs.view_fund",
        "retrieve": "costs.view_fund",
        "metadata": "costs.view_fund",
        "create": "costs.add_fund",
        "purposes": "costs.view_fund",
        "report": "costs.view_fund",
    }

    def get_queryset(self) -> Any:
        return sel.funds_visible(self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportJobSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: Any = None) -> Response:
        """Ask for the year-end report (§8.1) as ``pdf`` or ``xlsx``: 202 with the job, built in
        the queue; poll ``url`` (its ``Location``), then download ``file_url``."""
        fund = self.get_object()
        job = SR.fund_report_request(actor=self.actor, fund=fund,
                                     **self.body(ReportRequestSerializer))  # fmt: skip
        job.refresh_from_db(fields=["status", "progress", "size", "sha256", "finished_at"])
        data = ReportJobSerializer(job).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    def create(self, request: Request) -> Response:
        fund = S.fund_create(actor=self.actor, **self.body(FundCreateSerializer))
        return Response(FundSerializer(fund).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PurposeAddSerializer, responses=FundSerializer)
    @action(detail=True, methods=["post"])
    def purposes(self, request: Request, pk: Any = None) -> Response:
        fund = self.target("costs.change_fund", S.CLAUSE_FUND)
        S.fund_purpose_add(actor=self.actor, fund=fund, **self.body(PurposeAddSerializer))
        return Response(FundSerializer(fund).data, status=status.HTTP_201_CREATED)


class SpendingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Spending applications; ``?status=`` filters. ``POST`` applies (an approval request to the
    CQO); refused over the purpose's balance or outside the fund's purposes (400, §8.1)."""

    serializer_class = SpendingSerializer
    queryset = FundSpending.objects.all()
    required_perms = {
        "list": "costs.view_fundspending",
        "retrieve": "costs.view_fundspending",
        "metadata": "costs.view_fundspending",
        "create": "costs.add_fundspending",
        "payments": "costs.view_fundspending",
    }

    def get_queryset(self) -> Any:
        return sel.spendings_visible(
            self.request.user, status=self.request.query_params.get("status", "")
        ).prefetch_related("payments")

    @extend_schema(request=SpendingApplySerializer, responses=SpendingSerializer)
    def create(self, request: Request) -> Response:
        data = self.body(SpendingApplySerializer)
        fund = _get(Fund, data.pop("fund"), "fund")
        unit = _get(Unit, data.pop("unit"), "unit")
        spending = S.fund_spending_apply(actor=self.actor, fund=fund, unit=unit, **data)
        return Response(SpendingSerializer(spending).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": PaymentRecordSerializer},
                   responses=SpendingSerializer)  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def payments(self, request: Request, pk: Any = None) -> Response:
        spending = self.target("costs.pay_fundspending", S.CLAUSE_FUND)
        S.fund_payment_record(actor=self.actor, spending=spending,
                              **self.body(PaymentRecordSerializer))  # fmt: skip
        return Response(SpendingSerializer(FundSpending.objects.get(pk=spending.pk)).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip


class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The fund year-end report's jobs (§8.1) of the funds the caller may see: ``status``
    (queued, running, done, failed), ``progress`` in %, then the file's size and SHA-256."""

    serializer_class = ReportJobSerializer
    queryset = FundReportJob.objects.all()
    required_perms = {
        "list": "costs.view_fundreportjob",
        "retrieve": "costs.view_fundreportjob",
        "metadata": "costs.view_fundreportjob",
        "file": "costs.view_fundreportjob",
    }

    def get_queryset(self) -> Any:
        return sel.fund_report_jobs_visible(self.request.user)

    def get_object(self) -> Any:
        job = super().get_object()
        if not self.request.user.has_perm("costs.view_fund", job.fund):
            self.permission_denied(self.request)
        return job

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook."),
            404: OpenApiResponse(description="No such job, or the report is not ready."),
        }
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: Any = None) -> HttpResponse:
        """The kept file (PDF or xlsx) with its SHA-256 in ``X-Content-SHA256``; 404 until the
        job is done."""
        job = self.get_object()
        if job.status != ReportJobStatus.DONE:
            raise Http404(_("The report is not ready."))
        response = HttpResponse(sel.fund_report_file(job), content_type=job.content_type)
        response["Content-Disposition"] = f'attachment; filename="{job.download_name}"'
        response["X-Content-SHA256"] = job.sha256
        return response


router = SimpleRouter()
router.register("budgets", BudgetViewSet, basename="budget")
router.register("funds", FundViewSet, basename="fund")
router.register("spendings", SpendingViewSet, basename="spending")
router.register("fund-reports", ReportJobViewSet, basename="fundreport")
urlpatterns = router.urls
