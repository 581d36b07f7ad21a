"""API of the review board and the costs (/api/v1/anomalies/...).

- ``dispositions/``: list (``?anomaly=``), propose one (POST; a concession, a critical defect or
  a cost or quantity at the policy's threshold goes to the CQO, §6 c));
  ``dispositions/<id>/done/`` marks it carried out (409 while a veto holds it, §6 i));
  ``dispositions/<id>/void/`` voids one recorded in error;
- ``opinions/``: list (``?anomaly=``), record one (POST);
- ``costs/``: list (``?record_type=&record_id=``), record one (POST, §7.1.5);
  ``costs/<id>/void/``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.costs import COST_ITEMS
from cqo.core.permissions import require

from . import selectors_mrb as sel
from . import services_costs as C
from . import services_mrb as S
from .models import Anomaly, CostEntry, Disposition, DispositionKind, OpinionStance, ReviewOpinion


def _digits(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


def _anomaly(request: Request, pk: Any) -> Anomaly:
    anomaly = get_object_or_404(Anomaly.objects.all(), pk=pk)
    require(request.user, "anomalies.view_anomaly", anomaly)
    return anomaly


class MrbDispositionSerializer(serializers.ModelSerializer):
    lot_number = serializers.CharField(source="lot.number", read_only=True, default="")

    class Meta:
        model = Disposition
        fields = [
            "id", "anomaly", "lot", "lot_number", "kind", "quantity", "reason", "conditions",
            "unit_cost", "hours", "hourly_rate", "cost", "needs_approval", "approval_grounds",
            "status", "approval", "raised_by", "raised_at", "decided_at", "lot_released",
            "done_by", "done_at", "done_note", "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = fields


class MrbDispositionProposeSerializer(serializers.Serializer):
    anomaly = serializers.IntegerField(min_value=1, max_value=2**62)
    kind = serializers.ChoiceField(choices=DispositionKind.choices)
    quantity = serializers.CharField(max_length=30)
    reason = serializers.CharField(max_length=5000)
    conditions = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                       default="")  # fmt: skip
    lot = serializers.IntegerField(min_value=1, max_value=2**62, required=False, allow_null=True,
                                   default=None)  # fmt: skip
    unit_cost = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                      default="")  # fmt: skip
    hours = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    hourly_rate = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                        default="")  # fmt: skip
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class MrbCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class MrbVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReviewOpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewOpinion
        fields = [
            "id", "anomaly", "member", "role", "recommendation", "stance", "text",
            "recorded_at", "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = fields


class ReviewOpinionRecordSerializer(serializers.Serializer):
    anomaly = serializers.IntegerField(min_value=1, max_value=2**62)
    text = serializers.CharField(max_length=5000)
    stance = serializers.ChoiceField(choices=OpinionStance.choices, default=OpinionStance.AGREE)
    recommendation = serializers.ChoiceField(
        choices=[("", ""), *DispositionKind.choices], required=False, default=""
    )
    role = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class CostEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CostEntry
        fields = [
            "id", "record_type", "record_id", "record_label", "item_code", "quantity", "rate",
            "amount", "incurred_on", "note", "disposition", "created_by", "created_at",
            "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = fields


class CostEntryAddSerializer(serializers.Serializer):
    record_type = serializers.CharField(max_length=40, help_text="anomalies.anomaly, …")
    record_id = serializers.IntegerField(min_value=1, max_value=2**62)
    item_code = serializers.ChoiceField(choices=[(i.code, i.code) for i in COST_ITEMS])
    quantity = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    rate = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    amount = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    incurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DispositionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = MrbDispositionSerializer
    queryset = Disposition.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "anomalies.view_disposition",
        "retrieve": "anomalies.view_disposition",
        "metadata": "anomalies.view_disposition",
        "create": "anomalies.add_disposition",
        "done": "anomalies.view_disposition",
        "void": "anomalies.view_disposition",
    }

    def get_queryset(self) -> Any:
        qs = sel.dispositions_visible(self.request.user)
        raw = self.request.query_params.get("anomaly", "")
        if raw:
            pk = _digits(raw)
            qs = qs.filter(anomaly=pk) if pk is not None else qs.none()
        return qs.order_by("pk")

    @extend_schema(
        request=MrbDispositionProposeSerializer, responses={201: MrbDispositionSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.body(MrbDispositionProposeSerializer)
        anomaly = _anomaly(request, data.pop("anomaly"))
        disposition = S.disposition_propose(
            actor=self.actor, anomaly=anomaly, due=data.pop("due_date"), **data
        )
        return Response(MrbDispositionSerializer(disposition).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MrbCompleteSerializer, responses=MrbDispositionSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: Any = None) -> Response:
        disposition = self.target("anomalies.complete_disposition", S.CLAUSE_MRB)
        data = self.body(MrbCompleteSerializer)
        done = S.disposition_complete(actor=self.actor, disposition=disposition, **data)
        return Response(MrbDispositionSerializer(done).data)

    @extend_schema(request=MrbVoidSerializer, responses=MrbDispositionSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        disposition = self.target("anomalies.void_disposition", S.CLAUSE_MRB)
        data = self.body(MrbVoidSerializer)
        voided = S.disposition_void(actor=self.actor, disposition=disposition, **data)
        return Response(MrbDispositionSerializer(voided).data)


class ReviewOpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = ReviewOpinionSerializer
    queryset = ReviewOpinion.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "anomalies.view_reviewopinion",
        "retrieve": "anomalies.view_reviewopinion",
        "metadata": "anomalies.view_reviewopinion",
        "create": "anomalies.add_reviewopinion",
    }

    def get_queryset(self) -> Any:
        qs = sel.opinions_visible(self.request.user)
        raw = self.request.query_params.get("anomaly", "")
        if raw:
            pk = _digits(raw)
            qs = qs.filter(anomaly=pk) if pk is not None else qs.none()
        return qs.order_by("pk")

    @extend_schema(request=ReviewOpinionRecordSerializer, responses={201: ReviewOpinionSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(ReviewOpinionRecordSerializer)
        anomaly = _anomaly(request, data.pop("anomaly"))
        opinion = S.opinion_record(actor=self.actor, anomaly=anomaly, **data)
        return Response(ReviewOpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class CostEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = CostEntrySerializer
    queryset = CostEntry.objects.all()
    lookup_value_regex = "[0-9]+"
    required_perms = {
        "list": "anomalies.view_costentry",
        "retrieve": "anomalies.view_costentry",
        "metadata": "anomalies.view_costentry",
        "create": "anomalies.add_costentry",
        "void": "anomalies.view_costentry",
    }

    def get_queryset(self) -> Any:
        qs = sel.costs_visible(self.request.user)
        params = self.request.query_params
        record_type = params.get("record_type", "")
        if record_type:
            qs = qs.filter(record_type=record_type[:40])
        raw = params.get("record_id", "")
        if raw:
            pk = _digits(raw)
            qs = qs.filter(record_id=pk) if pk is not None else qs.none()
        return qs.order_by("pk")

    @extend_schema(request=CostEntryAddSerializer, responses={201: CostEntrySerializer})
    def create(self, request: Request) -> Response:
        data = self.body(CostEntryAddSerializer)
        record_type = data.pop("record_type")
        record_id = data.pop("record_id")
        if record_type not in C.cost_record_types():
            raise ValidationError(
                {"record_type": _("Costs are not recorded on this kind of record.")}
            )
        model = apps.get_model(*record_type.split(".", 1))
        record = get_object_or_404(model._default_manager.all(), pk=record_id)
        require(request.user, f"{record_type.split('.', 1)[0]}.view_{model._meta.model_name}",
                record)  # fmt: skip
        entry = C.cost_entry_add(actor=self.actor, record=record, **data)
        return Response(CostEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MrbVoidSerializer, responses=CostEntrySerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        entry = self.target("anomalies.void_costentry", C.CLAUSE_COSTS)
        data = self.body(MrbVoidSerializer)
        voided = C.cost_entry_void(actor=self.actor, entry=entry, **data)
        return Response(CostEntrySerializer(voided).data)


router = SimpleRouter()
router.register("dispositions", DispositionViewSet, basename="disposition")
router.register("opinions", ReviewOpinionViewSet, basename="opinion")
router.register("costs", CostEntryViewSet, basename="cost")
urlpatterns = router.urls
