"""API of corrective and preventive action (§7.1.4): list (with ageing), read one with its 8D
parts, open one, add a 5-Why chain or an action, mark an action done. The signed acts (the
effectiveness check, the closure) are made on the page, where the signer enters the password."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.models import User
from cqo.accounts.viewsets import ServiceViewSet

from . import selectors_capa as sel
from . import services_capa as S
from .models_capa import (
    ActionKind,
    Capa,
    CapaAction,
    CapaKind,
    CapaStatus,
    DocumentKind,
    EffectivenessBasis,
    EffectivenessResult,
    FishboneCategory,
    WhyChain,
)


class CapaActionSerializer(serializers.ModelSerializer):
    # Blank when the action changes no document: the schema must say so.
    document_kind = serializers.ChoiceField(
        choices=DocumentKind.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = CapaAction
        fields = [
            "id", "kind", "description", "owner", "due_on", "document_kind", "document_ref",
            "status", "done_at", "done_note",
        ]  # fmt: skip
        read_only_fields = fields


class WhyChainSerializer(serializers.ModelSerializer):
    steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    category = serializers.ChoiceField(
        choices=FishboneCategory.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = WhyChain
        fields = ["id", "problem", "steps", "root_cause", "category"]
        read_only_fields = fields


class CapaSerializer(serializers.ModelSerializer):
    age_days = serializers.SerializerMethodField()
    # Blank until someone has checked the effectiveness.
    effectiveness_result = serializers.ChoiceField(
        choices=EffectivenessResult.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Capa
        fields = [
            "id", "number", "kind", "is_8d", "anomaly", "title", "item", "defect_code", "status",
            "owner", "raised_at", "due_on", "root_cause", "root_cause_verified_at",
            "effectiveness_basis", "effectiveness_lots", "effectiveness_days",
            "effectiveness_result", "effectiveness_checked_by", "effectiveness_checked_at",
            "closed_at", "reopened_count", "age_days",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_age_days(self, obj: Capa) -> int:
        return int(sel.with_age([obj])[0].age_days)


class CapaDetailSerializer(CapaSerializer):
    why_chains = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(CapaSerializer.Meta):
        fields = [*CapaSerializer.Meta.fields, "why_chains", "actions"]
        read_only_fields = fields

    @extend_schema_field(WhyChainSerializer(many=True))
    def get_why_chains(self, obj: Capa) -> list[dict[str, Any]]:
        chains = obj.why_chains.filter(voided_at__isnull=True)
        return list(WhyChainSerializer(chains, many=True).data)

    @extend_schema_field(CapaActionSerializer(many=True))
    def get_actions(self, obj: Capa) -> list[dict[str, Any]]:
        actions = obj.actions.filter(voided_at__isnull=True)
        return list(CapaActionSerializer(actions, many=True).data)


class CapaCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CapaKind.choices, default=CapaKind.CORRECTIVE)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    anomaly = serializers.IntegerField(required=False, min_value=1)
    is_8d = serializers.BooleanField(default=False)
    due_on = serializers.DateField(required=False, allow_null=True)
    effectiveness_basis = serializers.ChoiceField(
        choices=EffectivenessBasis.choices, default=EffectivenessBasis.LOTS
    )
    effectiveness_lots = serializers.IntegerField(min_value=1, max_value=1000, default=3)
    effectiveness_days = serializers.IntegerField(min_value=1, max_value=1000, default=30)


class WhyChainCreateSerializer(serializers.Serializer):
    problem = serializers.CharField(max_length=300)
    steps = serializers.ListField(
        child=serializers.CharField(max_length=300), min_length=1, max_length=S.MAX_WHYS
    )
    root_cause = serializers.CharField(max_length=300, required=False, default="")
    category = serializers.ChoiceField(choices=FishboneCategory.choices, required=False, default="")


class ActionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    description = serializers.CharField(max_length=4000)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()
    document_kind = serializers.ChoiceField(
        choices=DocumentKind.choices, required=False, default=""
    )
    document_ref = serializers.CharField(max_length=120, required=False, default="")


class ActionDoneSerializer(serializers.Serializer):
    action = serializers.IntegerField(min_value=1)
    note = serializers.CharField(max_length=4000)


class CapaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Corrective actions; ``?status=open|<status>``, ``?eight_d=1``."""

    queryset = Capa.objects.all()
    serializer_class = CapaSerializer
    lookup_value_regex = r"\d+"
    required_perms = {
        "list": "anomalies.view_capa",
        "retrieve": "anomalies.view_capa",
        "create": "anomalies.add_capa",
        "why_chains": "anomalies.view_capa",
        "actions": "anomalies.view_capa",
        "action_done": "anomalies.view_capa",
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return sel.capa_list(
            self.request.user, status=params.get("status", ""), eight_d=params.get("eight_d", "")
        )

    def get_serializer_class(self) -> Any:
        return CapaDetailSerializer if self.action == "retrieve" else CapaSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["open", *CapaStatus.values], required=False),
            OpenApiParameter("eight_d", str, enum=["1"], required=False),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CapaCreateSerializer, responses={201: CapaSerializer})
    def create(self, request: Request) -> Response:
        from django.shortcuts import get_object_or_404

        from .models import Anomaly

        data = self.body(CapaCreateSerializer)
        anomaly = None
        if data.get("anomaly"):
            anomaly = get_object_or_404(Anomaly.objects.all(), pk=data["anomaly"])
        capa = S.capa_create(
            actor=self.actor, title=data["title"], kind=data["kind"], owner=data["owner"],
            anomaly=anomaly, is_8d=data["is_8d"], due_on=data.get("due_on"),
            effectiveness_basis=data["effectiveness_basis"],
            effectiveness_lots=data["effectiveness_lots"],
            effectiveness_days=data["effectiveness_days"],
        )  # fmt: skip
        return Response(CapaSerializer(capa).data, status=201)

    @extend_schema(request=WhyChainCreateSerializer, responses={201: WhyChainSerializer})
    @action(detail=True, methods=["post"], url_path="why-chains")
    def why_chains(self, request: Request, pk: Any = None) -> Response:
        capa = self.target("anomalies.change_capa", S.CLAUSE_CAPA)
        data = self.body(WhyChainCreateSerializer)
        chain = S.why_chain_save(actor=self.actor, capa=capa, **data)
        return Response(WhyChainSerializer(chain).data, status=201)

    @extend_schema(request=ActionCreateSerializer, responses={201: CapaActionSerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request: Request, pk: Any = None) -> Response:
        capa = self.target("anomalies.change_capa", S.CLAUSE_CAPA)
        data = self.body(ActionCreateSerializer)
        created = S.action_add(actor=self.actor, capa=capa, **data)
        return Response(CapaActionSerializer(created).data, status=201)

    @extend_schema(request=ActionDoneSerializer, responses=CapaActionSerializer)
    @action(detail=True, methods=["post"], url_path="action-done")
    def action_done(self, request: Request, pk: Any = None) -> Response:
        from django.shortcuts import get_object_or_404

        capa = self.target("anomalies.view_capa", S.CLAUSE_CAPA)
        data = self.body(ActionDoneSerializer)
        item = get_object_or_404(CapaAction.objects.all(), pk=data["action"], capa=capa)
        done = S.action_complete(actor=self.actor, action=item, note=data["note"])
        return Response(CapaActionSerializer(done).data)


router = SimpleRouter()
router.register("capas", CapaViewSet, basename="capa")
urlpatterns = router.urls
