"""The clocks part's API (/api/v1/recall/): clock profiles (versioned), the clocks of recall cases
with the case events that start and stop them, and the working-day calendar (§7.2.1.4). Every
write calls the same service as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core import workdays
from cqo.core.models import CalendarDay, CalendarDayKind

from . import selectors_clocks as sel
from . import services_clocks as svc
from .models_case import RecallCase
from .models_clocks import ClockDeadline, ClockProfile, ClockRegime, ClockUnit, RecallClock

CLAUSE = svc.CLAUSE
EVENTS = [(e, e) for e in svc.CLOCK_EVENTS]


class ClockDeadlineSerializer(serializers.ModelSerializer):
    start_event = serializers.ChoiceField(choices=EVENTS)
    # One of the events, or blank (stopped by hand); the service checks it.
    stop_event = serializers.CharField(max_length=30, allow_blank=True, required=False, default="")
    count = serializers.IntegerField(min_value=1, max_value=365)
    warn_days = serializers.IntegerField(min_value=0, max_value=365, required=False, default=1)
    unit = serializers.ChoiceField(choices=ClockUnit.choices, required=False,
                                   default=ClockUnit.WORKDAYS)  # fmt: skip

    class Meta:
        model = ClockDeadline
        fields = ["key", "label", "label_en", "start_event", "stop_event", "count", "unit",
                  "warn_days", "source", "verified", "condition"]  # fmt: skip
        extra_kwargs: dict[str, Any] = {"key": {"validators": []}}


class ClockProfileSerializer(serializers.ModelSerializer):
    version = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = ClockProfile
        fields = ["id", "code", "name", "name_en", "regime", "is_default", "version",
                  "deadlines"]  # fmt: skip

    def get_version(self, obj: ClockProfile) -> int | None:
        current = obj.current()
        return current.number if current else None

    @extend_schema(responses=ClockDeadlineSerializer(many=True))
    def get_deadlines(self, obj: ClockProfile) -> list[dict[str, Any]]:
        current = obj.current()
        rows = current.deadlines.all() if current else []
        return list(ClockDeadlineSerializer(rows, many=True).data)


class ClockProfileCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    regime = serializers.ChoiceField(choices=ClockRegime.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    deadlines = ClockDeadlineSerializer(many=True)


class ClockProfileReviseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    deadlines = ClockDeadlineSerializer(many=True)


class ClockSerializer(serializers.ModelSerializer):
    left = serializers.SerializerMethodField()
    warn = serializers.SerializerMethodField()

    class Meta:
        model = RecallClock
        fields = ["id", "case", "key", "label", "label_en", "start_event", "stop_event", "count",
                  "unit", "warn_days", "source", "verified", "condition", "started_on", "due_on",
                  "provisional", "status", "stopped_on", "stopped_by_event", "note", "left",
                  "warn"]  # fmt: skip
        read_only_fields = fields

    def get_left(self, obj: RecallClock) -> int | None:
        return sel._row(obj, timezone.localdate()).left

    def get_warn(self, obj: RecallClock) -> bool:
        return sel._row(obj, timezone.localdate()).warn


class ClockEventSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    # One of the start_event choices; the service refuses any other.
    event = serializers.CharField(max_length=30)
    on = serializers.DateField()


class ClockCaseProfileSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    profile = serializers.IntegerField(min_value=1)


class ClockStopSerializer(serializers.Serializer):
    on = serializers.DateField()
    note = serializers.CharField(max_length=2000)


class ClockWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _pk(model: Any, pk: int, field: str) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: "Unknown id."})
    return found


class ClockProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The clock profiles with their current version's deadlines. ``POST`` adds a profile;
    ``revise`` adds a version (clocks already started keep their due dates)."""

    serializer_class = ClockProfileSerializer
    queryset = ClockProfile.objects.all()
    required_perms = {
        "list": "recall.view_clockprofile",
        "retrieve": "recall.view_clockprofile",
        "metadata": "recall.view_clockprofile",
        "create": "recall.change_clockprofile",
        "revise": "recall.view_clockprofile",
    }

    def get_queryset(self) -> Any:
        return sel.profiles_visible(self.request.user).order_by("id")

    @extend_schema(request=ClockProfileCreateSerializer, responses=ClockProfileSerializer)
    def create(self, request: Request) -> Response:
        data = self.body(ClockProfileCreateSerializer)
        profile = svc.profile_create(actor=self.actor, **data)
        return Response(ClockProfileSerializer(profile).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClockProfileReviseSerializer, responses=ClockProfileSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: Any = None) -> Response:
        profile = self.target("recall.change_clockprofile", CLAUSE)
        data = self.body(ClockProfileReviseSerializer)
        svc.profile_revise(actor=self.actor, profile=profile, **data)
        return Response(ClockProfileSerializer(ClockProfile.objects.get(pk=profile.pk)).data)


class RecallClockViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The clocks of recall cases (``?case=`` filters). ``event`` records a case event (starts
    and stops clocks), ``profile`` chooses a case's profile, ``stop`` and ``waive`` act on one
    clock."""

    serializer_class = ClockSerializer
    queryset = RecallClock.objects.all()
    required_perms = {
        "list": "recall.view_recallclock",
        "retrieve": "recall.view_recallclock",
        "metadata": "recall.view_recallclock",
        "event": "recall.run_recallclock",
        "profile": "recall.run_recallclock",
        "stop": "recall.view_recallclock",
        "waive": "recall.view_recallclock",
    }

    def get_queryset(self) -> Any:
        case = self.request.query_params.get("case", "")
        return sel.clocks_visible(
            self.request.user, case=int(case) if case.isdigit() and len(case) < 18 else None
        )

    @extend_schema(request=ClockEventSerializer, responses=ClockSerializer(many=True))
    @action(detail=False, methods=["post"])
    def event(self, request: Request) -> Response:
        data = self.body(ClockEventSerializer)
        case = _pk(RecallCase, data["case"], "case")
        svc.clock_event_record(actor=self.actor, case=case, event=data["event"], on=data["on"])
        return Response(ClockSerializer(sel.clocks_visible(request.user, case=case.pk),
                                        many=True).data)  # fmt: skip

    @extend_schema(request=ClockCaseProfileSerializer, responses=ClockProfileSerializer)
    @action(detail=False, methods=["post"])
    def profile(self, request: Request) -> Response:
        data = self.body(ClockCaseProfileSerializer)
        case = _pk(RecallCase, data["case"], "case")
        profile = _pk(ClockProfile, data["profile"], "profile")
        svc.case_profile_set(actor=self.actor, case=case, profile=profile)
        return Response(ClockProfileSerializer(profile).data)

    @extend_schema(request=ClockStopSerializer, responses=ClockSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: Any = None) -> Response:
        clock = self.target("recall.run_recallclock", CLAUSE)
        clock = svc.clock_stop(actor=self.actor, clock=clock, **self.body(ClockStopSerializer))
        return Response(ClockSerializer(clock).data)

    @extend_schema(request=ClockWaiveSerializer, responses=ClockSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: Any = None) -> Response:
        clock = self.target("recall.run_recallclock", CLAUSE)
        clock = svc.clock_waive(actor=self.actor, clock=clock, **self.body(ClockWaiveSerializer))
        return Response(ClockSerializer(clock).data)


class WorkCalendarDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    workday = serializers.BooleanField()
    name = serializers.CharField()
    origin = serializers.CharField()


class WorkCalendarSetSerializer(serializers.Serializer):
    day = serializers.DateField()
    kind_of_day = serializers.ChoiceField(choices=CalendarDayKind.choices)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000)


class WorkCalendarSetResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "day", "name", "reason"]


class WorkCalendarViewSet(ServiceViewSet):
    """``GET /calendar/{year}/``: every day of the year that is not an ordinary Monday–Friday
    working day or Saturday–Sunday rest day (holidays, make-up working days, the administrator's
    days), with whether the year is covered. ``POST /calendar/`` (administrator) sets one day."""

    queryset = CalendarDay.objects.all()
    serializer_class = WorkCalendarDaySerializer
    required_perms = {
        "GET": "recall.view_workcalendar",
        "retrieve": "recall.view_workcalendar",
        "metadata": "recall.view_workcalendar",
        "create": "recall.change_workcalendar",
    }

    @extend_schema(responses=WorkCalendarDaySerializer(many=True))
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        text = str(pk or "")
        if not text.isdigit() or not 2000 <= int(text) <= 2100:
            raise Http404
        days = [
            {"day": d.day, "workday": d.workday, "name": d.name, "origin": d.source}
            for d in workdays.year_days(int(text))
            if d.name or d.source == "admin" or d.makeup or (d.holiday and not d.weekend)
        ]
        return Response(WorkCalendarDaySerializer(days, many=True).data,
                        headers={"X-Calendar-Covered": "yes" if workdays.covered(int(text))
                                 else "no"})  # fmt: skip

    @extend_schema(request=WorkCalendarSetSerializer, responses=WorkCalendarSetResultSerializer)
    def create(self, request: Request) -> Response:
        data = self.body(WorkCalendarSetSerializer)
        data["kind"] = data.pop("kind_of_day")
        row = svc.calendar_day_set(actor=self.actor, **data)
        return Response(WorkCalendarSetResultSerializer(row).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("clock-profiles", ClockProfileViewSet, basename="clockprofile")
router.register("clocks", RecallClockViewSet, basename="clock")
router.register("calendar", WorkCalendarViewSet, basename="calendar")
urlpatterns = router.urls
