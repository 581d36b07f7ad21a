"""The recall case API (/api/v1/recall/cases/, §7.2.1.4): the same services as the pages.

``POST cases/`` opens a case; ``investigate``, ``scope``, ``defect``, ``propose``, ``agree``,
``stop``, ``plan``, ``notice``, ``reports``, ``progress``, ``close`` and ``lift`` follow the
case. A refusal answers 400 by field, 403 with the clause, 409 when the record's state refuses it.
The shipment of a lot a recall holds is refused by the gate's API with 409
(``POST /api/v1/inspection/shipments/<number>/release``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.clauses import clause
from cqo.masterdata.models import Item

from . import selectors_case as sel
from . import services_case as S
from .models_case import (
    Channel,
    CloseKind,
    DecisionKind,
    RecallCase,
    RecallReport,
    RecallTarget,
    Remedy,
    ReportKind,
    SignalKind,
)

CLAUSE = clause("§7.2.1.4")
MAX_TEXT = 20000


class TargetSerializer(serializers.ModelSerializer):
    customer_code = serializers.CharField(source="customer.code", read_only=True)

    class Meta:
        model = RecallTarget
        fields = ["id", "customer", "customer_code", "channel", "region", "planned", "sold",
                  "recovered"]  # fmt: skip


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecallReport
        fields = ["id", "kind", "text", "reference", "filed_on", "filed_by", "planned",
                  "recovered"]  # fmt: skip


class CaseSerializer(serializers.ModelSerializer):
    start_lots: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")
    # Read-only model fields lose ``allow_blank``; these are blank until the case reaches them.
    decision_kind = serializers.ChoiceField(
        choices=DecisionKind.choices, allow_blank=True, read_only=True
    )
    remedy = serializers.ChoiceField(choices=Remedy.choices, allow_blank=True, read_only=True)
    close_kind = serializers.ChoiceField(
        choices=CloseKind.choices, allow_blank=True, read_only=True
    )
    targets = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    lots_held = serializers.SerializerMethodField()

    class Meta:
        model = RecallCase
        fields = [
            "id", "number", "title", "status", "opened_at", "signal_kind", "signal_ref",
            "signal_on", "description", "item", "start_lots", "serious_harm", "investigation",
            "defect_confirmed", "defect_description", "consequences", "decision_kind",
            "decision_reasons", "decision_proposed_by", "decision_agreed_by", "stopped_at",
            "remedy", "plan_measures", "plan_start", "plan_end", "contact", "plan_filed_at",
            "notice_text", "notice_channels", "notice_published_at", "close_kind",
            "close_reasons", "closed_at", "lots_held", "targets", "reports",
        ]  # fmt: skip
        read_only_fields = fields

    def get_targets(self, case: RecallCase) -> list[dict[str, Any]]:
        return list(TargetSerializer(sel.case_targets(case), many=True).data)

    def get_reports(self, case: RecallCase) -> list[dict[str, Any]]:
        return list(ReportSerializer(sel.case_reports(case), many=True).data)

    def get_lots_held(self, case: RecallCase) -> int:
        return int(sel.case_lot_summary(case)["count"])


class OpenSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    signal_kind = serializers.ChoiceField(choices=SignalKind.choices)
    signal_ref = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                       default="")  # fmt: skip
    signal_on = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT
    )
    item = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    lot_numbers = serializers.ListField(child=serializers.CharField(max_length=60),
                                        required=False, default=list, max_length=1000)  # fmt: skip
    serious_harm = serializers.BooleanField(required=False, default=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_TEXT)


class ScopeSerializer(serializers.Serializer):
    lot_numbers = serializers.ListField(child=serializers.CharField(max_length=60),
                                        min_length=1, max_length=1000)  # fmt: skip


class DefectSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField()
    defect = serializers.CharField(max_length=MAX_TEXT)
    consequences = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT
    )


class ProposeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    reasons = serializers.CharField(max_length=MAX_TEXT)


class AgreeSerializer(serializers.Serializer):
    agree = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)


class PlanSerializer(serializers.Serializer):
    remedy = serializers.ChoiceField(choices=Remedy.choices)
    measures = serializers.CharField(max_length=MAX_TEXT)
    start = serializers.DateField()
    end = serializers.DateField()
    contact = serializers.CharField(max_length=200)
    filed_on = serializers.DateField(required=False, allow_null=True, default=None)


class RecallNoticeSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)
    channels = serializers.CharField(max_length=200)
    published_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReportFileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    text = serializers.CharField(max_length=MAX_TEXT)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                      default="")  # fmt: skip
    filed_on = serializers.DateField(required=False, allow_null=True, default=None)


class ProgressSerializer(serializers.Serializer):
    target = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class RecallCloseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CloseKind.choices)
    reasons = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT
    )


class RecallReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


class LiftedSerializer(serializers.Serializer):
    lifted = serializers.IntegerField()


def _item(pk: int | None) -> Item | None:
    if pk is None:
        return None
    found = Item.objects.filter(pk=pk, voided_at__isnull=True).first()
    if found is None:
        raise serializers.ValidationError({"item": "Unknown id."})
    return found


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Recall cases; ``?status=`` filters the list."""

    serializer_class = CaseSerializer
    queryset = RecallCase.objects.all()
    required_perms = {
        action_name: S.PERM_VIEW
        for action_name in (
            "list",
            "retrieve",
            "metadata",
            "investigate",
            "scope",
            "defect",
            "propose",
            "agree",
            "stop",
            "plan",
            "notice",
            "reports",
            "progress",
            "close",
            "lift",
        )
    } | {"create": S.PERM_OPEN}

    def get_queryset(self) -> Any:
        return sel.cases_visible(self.request.user,
                                 status=self.request.query_params.get("status", ""))  # fmt: skip

    def _answer(self, case: RecallCase, code: int = status.HTTP_200_OK) -> Response:
        return Response(CaseSerializer(RecallCase.objects.get(pk=case.pk)).data, status=code)

    @extend_schema(request=OpenSerializer, responses={201: CaseSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(OpenSerializer)
        data["item"] = _item(data["item"])
        case = S.case_open(actor=self.actor, **data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_investigate(actor=self.actor, case=case,
                                               **self.body(NoteSerializer)))  # fmt: skip

    @extend_schema(request=ScopeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def scope(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_scope_set(actor=self.actor, case=case,
                                             **self.body(ScopeSerializer)))  # fmt: skip

    @extend_schema(request=DefectSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def defect(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_defect_decide(actor=self.actor, case=case,
                                                 **self.body(DefectSerializer)))  # fmt: skip

    @extend_schema(request=ProposeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_decision_propose(actor=self.actor, case=case,
                                                    **self.body(ProposeSerializer)))  # fmt: skip

    @extend_schema(request=AgreeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_AGREE, CLAUSE)
        return self._answer(S.case_decision_agree(actor=self.actor, case=case,
                                                  **self.body(AgreeSerializer)))  # fmt: skip

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_stop(actor=self.actor, case=case))

    @extend_schema(request=PlanSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_plan_file(actor=self.actor, case=case,
                                             **self.body(PlanSerializer)))  # fmt: skip

    @extend_schema(request=RecallNoticeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_notice_publish(actor=self.actor, case=case,
                                                  **self.body(RecallNoticeSerializer)))  # fmt: skip

    @extend_schema(request=ReportFileSerializer, responses={201: ReportSerializer})
    @action(detail=True, methods=["post"])
    def reports(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        report = S.report_file(actor=self.actor, case=case, **self.body(ReportFileSerializer))
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProgressSerializer, responses={201: TargetSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        data = self.body(ProgressSerializer)
        data.pop("channel", None)
        target = RecallTarget.objects.filter(case=case, pk=data.pop("target")).first()
        if target is None:
            raise serializers.ValidationError({"target": "Unknown id."})
        S.progress_record(actor=self.actor, target=target, **data)
        target.refresh_from_db()
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecallCloseSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        return self._answer(S.case_close(actor=self.actor, case=case,
                                         **self.body(RecallCloseSerializer)))  # fmt: skip

    @extend_schema(request=RecallReasonSerializer, responses=LiftedSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: Any = None) -> Response:
        case = self.target(S.PERM_LEAD, CLAUSE)
        lifted = S.case_holds_lift(actor=self.actor, case=case, **self.body(RecallReasonSerializer))
        return Response({"lifted": lifted})


router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
urlpatterns = router.urls
