"""The reports' API (/api/v1/reports/): list and read the CQO's reports, request one (the
generation is queued; poll ``status`` and ``progress``), fetch its PDF, sign it (the CQO in office),
acknowledge it (the principal) and void a draft. Every write calls the same service as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.post.api import PDF_RENDERERS, PDF_RESPONSE

from . import selectors as sel
from . import services as S
from .models import CqoReport, ReportKind, ReportLanguage, ReportStatus


class CqoReportSerializer(serializers.ModelSerializer):
    integrity = serializers.SerializerMethodField()

    class Meta:
        model = CqoReport
        fields = ["id", "number", "kind", "period_start", "period_end", "language", "status",
                  "progress", "error", "sha256", "pages", "size", "seconds", "created_by",
                  "created_at", "generated_at", "signed_by", "signed_at", "acknowledged_by",
                  "acknowledged_at", "acknowledgement_note", "voided_at", "void_reason",
                  "integrity"]  # fmt: skip
        read_only_fields = fields

    def get_integrity(self, obj: CqoReport) -> bool | None:
        """True when the stored PDF matches its hash and signatures; null before there is one."""
        return sel.report_integrity(obj).ok


class CqoReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=9999)
    part = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True,
                                    default=None)  # fmt: skip
    language = serializers.ChoiceField(choices=ReportLanguage.choices)


class CqoReportSignSerializer(serializers.Serializer):
    password = serializers.CharField(allow_blank=True, style={"input_type": "password"})


class CqoReportAcknowledgeSerializer(CqoReportSignSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CqoReportVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The CQO's reports to the decision layer (§7.1.6)."""

    serializer_class = CqoReportSerializer
    queryset = CqoReport.objects.all()
    required_perms = {
        "list": "reports.view_cqoreport",
        "retrieve": "reports.view_cqoreport",
        "metadata": "reports.view_cqoreport",
        "create": "reports.add_cqoreport",
        "pdf": "reports.view_cqoreport",
        "sign": "reports.view_cqoreport",
        "acknowledge": "reports.view_cqoreport",
        "void": "reports.view_cqoreport",
    }

    def get_queryset(self) -> Any:
        return sel.reports_visible(self.request.user)

    @extend_schema(request=CqoReportRequestSerializer, responses=CqoReportSerializer)
    def create(self, request: Request) -> Response:
        report = S.report_request(actor=self.actor, **self.body(CqoReportRequestSerializer))
        report.refresh_from_db()
        return Response(CqoReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def pdf(self, request: Request, pk: Any = None) -> HttpResponse:
        """The stored PDF, byte for byte as generated (its SHA-256 in ``X-Content-SHA256``)."""
        report = self.get_object()
        if report.status in (ReportStatus.QUEUED, ReportStatus.FAILED):
            raise NotFound("The report has no PDF yet.")
        data = CqoReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).get()
        response = HttpResponse(bytes(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
        response["X-Content-SHA256"] = report.sha256
        return response

    @extend_schema(request=CqoReportSignSerializer, responses=CqoReportSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: Any = None) -> Response:
        report = self.target("reports.sign_cqoreport", S.CLAUSE)
        report = S.report_sign(
            actor=self.actor, report=report, **self.body(CqoReportSignSerializer)
        )
        return Response(CqoReportSerializer(report).data)

    @extend_schema(request=CqoReportAcknowledgeSerializer, responses=CqoReportSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        report = self.target("reports.acknowledge_cqoreport", S.CLAUSE)
        report = S.report_acknowledge(actor=self.actor, report=report,
                                      **self.body(CqoReportAcknowledgeSerializer))  # fmt: skip
        return Response(CqoReportSerializer(report).data)

    @extend_schema(request=CqoReportVoidSerializer, responses=CqoReportSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        report = self.target("reports.void_cqoreport", S.CLAUSE)
        report = S.report_void(
            actor=self.actor, report=report, **self.body(CqoReportVoidSerializer)
        )
        return Response(CqoReportSerializer(report).data)


router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
urlpatterns = router.urls
