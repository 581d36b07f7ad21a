"""API of the inspection app: SPC (§7.2.3.2) — a characteristic's chart data and capability,
freezing phase I limits, the limits and the alarms."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.masterdata.models import Characteristic

from . import documents_spc, services_spc
from . import selectors_spc as sel
from .models import AlarmStatus, ChartKind, ControlLimits, SpcAlarm

CLAUSE = services_spc.CLAUSE_SPC


class ControlLimitsSerializer(serializers.ModelSerializer):
    class Meta:
        model = ControlLimits
        fields = [
            "id", "characteristic", "chart", "subgroups", "phase_start", "phase_end", "centre",
            "sigma", "limits", "reason", "frozen_by", "frozen_at", "superseded_at",
        ]  # fmt: skip
        read_only_fields = fields


class FreezeSerializer(serializers.Serializer):
    chart = serializers.ChoiceField(choices=ChartKind.choices)
    first = serializers.IntegerField(min_value=1, max_value=10_000_000)
    last = serializers.IntegerField(min_value=1, max_value=10_000_000)
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


class SpcAlarmSerializer(serializers.ModelSerializer):
    chart = serializers.CharField(source="limits.chart", read_only=True)

    class Meta:
        model = SpcAlarm
        fields = [
            "id", "characteristic", "limits", "chart", "inspection_lot", "point_label", "rules",
            "status", "raised_at", "handled_by", "handled_at", "note",
        ]  # fmt: skip
        read_only_fields = fields


class AlarmNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


def _capability_json(cap: sel.Capability) -> dict[str, Any]:
    r = cap.result
    out: dict[str, Any] = {
        "characteristic": cap.characteristic.pk,
        "values": int(cap.values.shape[0]),
        "subgroups": cap.subgroups,
        "error": cap.error,
        "tone": cap.tone,
    }
    if r is None:
        return out
    out.update(
        {
            "mean": r.mean,
            "sigma_within": r.sigma_within,
            "sigma_overall": r.sigma_overall,
            "sigma_method": r.sigma_method,
            "lsl": r.lsl,
            "usl": r.usl,
            "target": r.target,
            **{name: getattr(r, name) for name in documents_spc.INDICES},
            "confidence": r.confidence,
            "intervals": {k: list(v) for k, v in r.intervals.items()},
            "normality": r.normality.as_dict(),
        }
    )
    return out


class SpcCharacteristicViewSet(ServiceViewSet):
    """A variable characteristic's SPC: ``chart``, ``capability``, ``limits`` (GET the history,
    POST to freeze phase I limits: quality engineers)."""

    queryset = Characteristic.objects.all()
    serializer_class = ControlLimitsSerializer
    lookup_value_regex = r"\d+"
    required_perms = {
        "chart": "inspection.view_spc",
        "capability": "inspection.view_spc",
        "limits": "inspection.view_spc",
    }

    def get_queryset(self) -> Any:
        return sel.spc_characteristics(self.request.user)

    def _characteristic(self) -> Characteristic:
        obj: Characteristic = self.get_object()
        return obj

    @extend_schema(
        parameters=[
            OpenApiParameter("chart", str, enum=list(ChartKind.values), required=False),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def chart(self, request: Request, pk: Any = None) -> Response:
        characteristic = self._characteristic()
        chart = sel.spc_chart(characteristic, request.query_params.get("chart", ""))
        out = chart.as_json()
        out.update(
            {
                "characteristic": characteristic.pk,
                "suggested": chart.suggested,
                "limits_id": chart.limits.pk if chart.limits else None,
                "values_count": chart.values_count,
            }
        )
        return Response(out)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def capability(self, request: Request, pk: Any = None) -> Response:
        return Response(_capability_json(sel.capability_of(self._characteristic())))

    @extend_schema(
        request=FreezeSerializer,
        responses={200: ControlLimitsSerializer(many=True), 201: ControlLimitsSerializer},
    )
    # The whole history, unpaged (a characteristic's limits are frozen a few times a year);
    # pagination_class=None keeps the schema saying so, as the fuzz checks.
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def limits(self, request: Request, pk: Any = None) -> Response:
        characteristic = self._characteristic()
        if request.method == "GET":
            rows = sel.limits_history(characteristic.pk)
            return Response(ControlLimitsSerializer(rows, many=True).data)
        self.target("inspection.freeze_controllimits", CLAUSE)
        data = self.body(FreezeSerializer)
        limits = services_spc.control_limits_freeze(
            actor=self.actor, characteristic=characteristic, **data
        )
        return Response(ControlLimitsSerializer(limits).data, status=status.HTTP_201_CREATED)


class ControlLimitsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    queryset = ControlLimits.objects.all()
    serializer_class = ControlLimitsSerializer

    def get_queryset(self) -> Any:
        return sel.limits_visible(self.request.user)


class SpcAlarmViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """SPC alarms; ``?status=open|acknowledged|closed``. Acknowledge or close with a note."""

    queryset = SpcAlarm.objects.all()
    serializer_class = SpcAlarmSerializer
    required_perms = {
        "list": "inspection.view_spcalarm",
        "retrieve": "inspection.view_spcalarm",
        "metadata": "inspection.view_spcalarm",
        "acknowledge": "inspection.view_spcalarm",
        "close": "inspection.view_spcalarm",
    }

    def get_queryset(self) -> Any:
        wanted = self.request.query_params.get("status", "")
        return sel.alarms_visible(
            self.request.user, status=wanted if wanted in AlarmStatus.values else ""
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(AlarmStatus.values), required=False),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AlarmNoteSerializer, responses=SpcAlarmSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        alarm = self.target("inspection.handle_spcalarm", CLAUSE)
        data = self.body(AlarmNoteSerializer)
        alarm = services_spc.spc_alarm_acknowledge(actor=self.actor, alarm=alarm, note=data["note"])
        return Response(SpcAlarmSerializer(alarm).data)

    @extend_schema(request=AlarmNoteSerializer, responses=SpcAlarmSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        alarm = self.target("inspection.handle_spcalarm", CLAUSE)
        data = self.body(AlarmNoteSerializer)
        alarm = services_spc.spc_alarm_close(actor=self.actor, alarm=alarm, note=data["note"])
        return Response(SpcAlarmSerializer(alarm).data)


router = SimpleRouter()
router.register("spc/characteristics", SpcCharacteristicViewSet, basename="spc-characteristic")
router.register("spc/limits", ControlLimitsViewSet, basename="spc-limits")
router.register("spc/alarms", SpcAlarmViewSet, basename="spc-alarm")

urlpatterns = router.urls
