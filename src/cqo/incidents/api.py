"""The incidents API (/api/v1/incidents/): incidents with their investigation, and penalties by
procedure (§6 d)). Every write calls the same service as the pages."""

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

from . import selectors, services_incidents, services_penalties
from .models import (
    HearingOutcome,
    Incident,
    Measure,
    Penalty,
    PenaltyDecision,
    ResponsibilityKind,
    Verdict,
)

CLAUSE = clause("§6 d)")


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id", "number", "title", "description", "occurred_at", "place", "unit", "item",
            "loss", "injuries", "deaths", "harm", "level", "level_by_rules", "level_reason",
            "rules", "reported_by", "reported_at", "report_due_at", "reported_onward_at",
            "reported_onward_to", "status", "lead", "investigation_opened_at", "facts", "causes",
            "conclusion", "concluded_at", "ncr_ref",
        ]  # fmt: skip
        read_only_fields = [
            "number", "level", "level_by_rules", "level_reason", "rules", "reported_by",
            "reported_at", "report_due_at", "reported_onward_at", "reported_onward_to", "status",
            "lead", "investigation_opened_at", "facts", "causes", "conclusion", "concluded_at",
            "ncr_ref",
        ]  # fmt: skip


class TimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField(max_length=5000)


class FindingsSerializer(serializers.Serializer):
    facts = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    causes = serializers.CharField(required=False, allow_blank=True, default="",
                                   max_length=20000)  # fmt: skip


class ResponsibilitySerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    kind = serializers.ChoiceField(choices=ResponsibilityKind.choices)
    finding = serializers.CharField(max_length=5000)


class ConcludeSerializer(serializers.Serializer):
    conclusion = serializers.CharField(max_length=20000)


class LeadSerializer(serializers.Serializer):
    lead = serializers.IntegerField(min_value=1)


class PenaltyDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PenaltyDecision
        fields = ["id", "verdict", "measure", "amount", "reasons", "decided_by", "decided_at",
                  "supersedes"]  # fmt: skip


class PenaltySerializer(serializers.ModelSerializer):
    decisions = PenaltyDecisionSerializer(many=True, read_only=True)
    # Blank until the hearing ends; declared so the schema admits the blank value it answers.
    hearing_outcome = serializers.ChoiceField(
        choices=HearingOutcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Penalty
        fields = [
            "id", "number", "incident", "person", "unit", "basis", "measure", "amount",
            "measure_text", "status", "decider_role", "proposed_by", "proposed_at", "notice",
            "notified_at", "hearing_until", "statement", "hearing_outcome", "heard_at",
            "decisions",
        ]  # fmt: skip
        read_only_fields = [
            "number", "status", "decider_role", "proposed_by", "proposed_at", "notice",
            "notified_at", "hearing_until", "statement", "hearing_outcome", "heard_at",
        ]  # fmt: skip


class NoticeSerializer(serializers.Serializer):
    notice = serializers.CharField(max_length=5000)


class HearSerializer(serializers.Serializer):
    statement = serializers.CharField(required=False, allow_blank=True, default="",
                                      max_length=20000)  # fmt: skip


class PenaltyDecideSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    measure = serializers.ChoiceField(choices=Measure.choices, required=False, allow_blank=True,
                                      default="")  # fmt: skip
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False,
                                      allow_null=True, default=None, min_value=0)  # fmt: skip
    reasons = serializers.CharField(max_length=5000)


def _pk(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: "Unknown id."})
    return found


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """``?status=`` and ``?level=`` filter the list."""

    serializer_class = IncidentSerializer
    queryset = Incident.objects.all()
    required_perms = {
        "list": "incidents.view_incident",
        "retrieve": "incidents.view_incident",
        "metadata": "incidents.view_incident",
        "create": "incidents.add_incident",
        "investigation": "incidents.view_incident",
        "timeline": "incidents.view_incident",
        "findings": "incidents.view_incident",
        "responsibility": "incidents.view_incident",
        "conclude": "incidents.view_incident",
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.incidents_visible(
            self.request.user, status=params.get("status", ""), level=params.get("level", "")
        )

    def create(self, request: Request) -> Response:
        data = self.body(IncidentSerializer)
        incident = services_incidents.incident_report(actor=self.actor, **data)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LeadSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def investigation(self, request: Request, pk: Any = None) -> Response:
        from cqo.accounts.models import User

        incident = self.target("incidents.investigate_incident", CLAUSE)
        data = self.body(LeadSerializer)
        incident = services_incidents.investigation_open(
            actor=self.actor, incident=incident, lead=_pk(User, data["lead"], "lead")
        )
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=TimelineSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def timeline(self, request: Request, pk: Any = None) -> Response:
        incident = self.target("incidents.add_timelineentry", CLAUSE)
        services_incidents.timeline_add(actor=self.actor, incident=incident,
                                        **self.body(TimelineSerializer))  # fmt: skip
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FindingsSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: Any = None) -> Response:
        incident = self.target("incidents.investigate_incident", CLAUSE)
        incident = services_incidents.findings_record(actor=self.actor, incident=incident,
                                                      **self.body(FindingsSerializer))  # fmt: skip
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=ResponsibilitySerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def responsibility(self, request: Request, pk: Any = None) -> Response:
        from cqo.organisation.models import Person, Unit

        incident = self.target("incidents.investigate_incident", CLAUSE)
        data = self.body(ResponsibilitySerializer)
        services_incidents.responsibility_add(
            actor=self.actor, incident=incident, kind=data["kind"], finding=data["finding"],
            person=_pk(Person, data["person"], "person"), unit=_pk(Unit, data["unit"], "unit"),
        )  # fmt: skip
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConcludeSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk: Any = None) -> Response:
        incident = self.target("incidents.investigate_incident", CLAUSE)
        incident = services_incidents.investigation_conclude(
            actor=self.actor, incident=incident, **self.body(ConcludeSerializer)
        )
        return Response(IncidentSerializer(incident).data)


class PenaltyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Penalties the caller may read; ``?status=`` filters. ``POST`` proposes one on an
    incident; ``notify``, ``hear``, ``decide`` and ``revise`` follow the procedure."""

    serializer_class = PenaltySerializer
    queryset = Penalty.objects.all()
    required_perms = {
        "list": "incidents.view_incident",
        "retrieve": "incidents.view_penalty",
        "metadata": "incidents.view_incident",
        "create": "incidents.propose_penalty",
        "notify": "incidents.view_incident",
        "hear": "incidents.view_incident",
        "decide": "incidents.view_incident",
        "revise": "incidents.view_incident",
    }

    def get_queryset(self) -> Any:
        return selectors.penalties_visible(
            self.request.user, status=self.request.query_params.get("status", "")
        )

    def create(self, request: Request) -> Response:
        data = self.body(PenaltySerializer)
        penalty = services_penalties.penalty_propose(actor=self.actor, **data)
        return Response(PenaltySerializer(penalty).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoticeSerializer, responses=PenaltySerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: Any = None) -> Response:
        penalty = self.target("incidents.hear_penalty", CLAUSE)
        penalty = services_penalties.penalty_notify(actor=self.actor, penalty=penalty,
                                                    **self.body(NoticeSerializer))  # fmt: skip
        return Response(PenaltySerializer(penalty).data)

    @extend_schema(request=HearSerializer, responses=PenaltySerializer)
    @action(detail=True, methods=["post"])
    def hear(self, request: Request, pk: Any = None) -> Response:
        penalty = self.target("incidents.state_case_penalty", CLAUSE)
        penalty = services_penalties.penalty_hear(actor=self.actor, penalty=penalty,
                                                  **self.body(HearSerializer))  # fmt: skip
        return Response(PenaltySerializer(penalty).data)

    @extend_schema(request=PenaltyDecideSerializer, responses=PenaltySerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        penalty = self.target("incidents.decide_penalty", CLAUSE)
        services_penalties.penalty_decide(actor=self.actor, penalty=penalty,
                                          **self.body(PenaltyDecideSerializer))  # fmt: skip
        return Response(PenaltySerializer(Penalty.objects.get(pk=penalty.pk)).data)

    @extend_schema(request=PenaltyDecideSerializer, responses=PenaltySerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: Any = None) -> Response:
        penalty = self.target("incidents.decide_penalty", CLAUSE)
        services_penalties.penalty_revise(actor=self.actor, penalty=penalty,
                                          **self.body(PenaltyDecideSerializer))  # fmt: skip
        return Response(PenaltySerializer(Penalty.objects.get(pk=penalty.pk)).data)


router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("penalties", PenaltyViewSet, basename="penalty")
urlpatterns = router.urls
