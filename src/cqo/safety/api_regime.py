"""The regime part's API (/api/v1/safety/regime/...): daily control records, weekly check
reports, monthly dispatches, rectification tasks and the missing records (§7.2.1, §7.2.1.2).
Every write calls the same service as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.models import User
from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.clauses import clause

from . import selectors_regime as sel
from . import services_regime as svc
from .models_regime import (
    DailyCheck,
    DailyRecord,
    MonthlyDispatch,
    RectificationTask,
    TaskStatus,
    WeeklyReport,
)

CLAUSE = clause("§7.2.1.2")
CLAUSE_MONTHLY = clause("§7.2.1")
MAX_TEXT = 20000


class DailyCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyCheck
        fields = ["id", "control_key", "control_code", "control_text", "risk_code", "done",
                  "finding"]  # fmt: skip


class DailyRecordSerializer(serializers.ModelSerializer):
    checks = DailyCheckSerializer(many=True, read_only=True)

    class Meta:
        model = DailyRecord
        fields = ["id", "day", "recorded_by", "recorded_at", "note", "checks"]


class DailyCheckInSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=80)
    done = serializers.BooleanField()
    finding = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=MAX_TEXT)  # fmt: skip


class DailyRecordInSerializer(serializers.Serializer):
    day = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)
    checks = serializers.ListField(child=DailyCheckInSerializer(), max_length=500)


class RectificationTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationTask
        fields = ["id", "number", "weekly", "monthly", "problem", "action", "owner", "deadline",
                  "status", "raised_by", "raised_at", "evidence", "closed_at", "closed_by"]  # fmt: skip


class RectificationTaskInSerializer(serializers.Serializer):
    problem = serializers.CharField(max_length=MAX_TEXT)
    action = serializers.CharField(max_length=MAX_TEXT)
    owner = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    deadline = serializers.DateField()


class TaskCloseSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=MAX_TEXT)


class WeeklyReportSerializer(serializers.ModelSerializer):
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = WeeklyReport
        fields = ["id", "week_start", "written_by", "written_at", "summary", "problems",
                  "conclusion", "figures", "tasks"]  # fmt: skip

    def get_tasks(self, obj: WeeklyReport) -> list[int]:
        return [t.pk for t in obj.tasks.all() if t.voided_at is None]


class WeeklyReportInSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    summary = serializers.CharField(max_length=MAX_TEXT)
    problems = serializers.CharField(required=False, allow_blank=True, default="",
                                     max_length=MAX_TEXT)  # fmt: skip
    conclusion = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=MAX_TEXT)  # fmt: skip


class MonthlyDispatchSerializer(serializers.ModelSerializer):
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyDispatch
        fields = ["id", "month", "status", "report", "reported_by", "reported_at", "figures",
                  "held_on", "chaired_by", "attendees", "decisions", "recorded_at", "tasks"]  # fmt: skip

    def get_tasks(self, obj: MonthlyDispatch) -> list[int]:
        return [t.pk for t in obj.tasks.all() if t.voided_at is None]


class MonthlyReportInSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month; the first is kept.")
    report = serializers.CharField(max_length=MAX_TEXT)


class DispatchHoldSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    attendees = serializers.CharField(max_length=MAX_TEXT)
    decisions = serializers.CharField(max_length=MAX_TEXT)


@extend_schema_serializer(many=False)
class RegimeGapsSerializer(serializers.Serializer):
    days = serializers.ListField(child=serializers.DateField())
    weeks = serializers.ListField(child=serializers.DateField())
    months = serializers.ListField(child=serializers.DateField())


def _owner(pk: int) -> User:
    owner = User.objects.filter(pk=pk).first()
    if owner is None:
        raise serializers.ValidationError({"owner": "Unknown id."})
    return owner


def _month_param(request: Request) -> datetime.date | None:
    raw = request.query_params.get("month", "")
    try:
        return datetime.datetime.strptime(raw, "%Y-%m").date() if raw else None
    except ValueError:
        return None


MONTH = OpenApiParameter("month", str, description="YYYY-MM", required=False)


@extend_schema(parameters=[MONTH])
class DailyRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Daily control records; ``?month=YYYY-MM`` filters. ``POST`` records a day: every daily
    control of the list in force answered once (§7.2.1.2)."""

    serializer_class = DailyRecordSerializer
    queryset = DailyRecord.objects.all()
    required_perms = {
        "list": "safety.view_dailyrecord",
        "retrieve": "safety.view_dailyrecord",
        "metadata": "safety.view_dailyrecord",
        "create": "safety.add_dailyrecord",
    }

    def get_queryset(self) -> Any:
        qs = sel.dailies_visible(self.request.user).prefetch_related("checks")
        month = _month_param(self.request)
        if month is not None:
            qs = qs.filter(day__year=month.year, day__month=month.month)
        return qs

    @extend_schema(request=DailyRecordInSerializer, responses=DailyRecordSerializer)
    def create(self, request: Request) -> Response:
        data = self.body(DailyRecordInSerializer)
        record = svc.daily_record_add(actor=self.actor, day=data["day"], note=data["note"],
                                      checks=[dict(c) for c in data["checks"]])  # fmt: skip
        return Response(DailyRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class WeeklyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Weekly check reports by the quality-safety director; ``tasks`` raises a rectification
    task on one (§7.2.1.2)."""

    serializer_class = WeeklyReportSerializer
    queryset = WeeklyReport.objects.all()
    required_perms = {
        "list": "safety.view_weeklyreport",
        "retrieve": "safety.view_weeklyreport",
        "metadata": "safety.view_weeklyreport",
        "create": "safety.add_weeklyreport",
        "tasks": "safety.view_weeklyreport",
    }

    def get_queryset(self) -> Any:
        return sel.weeklies_visible(self.request.user).prefetch_related("tasks")

    @extend_schema(request=WeeklyReportInSerializer, responses=WeeklyReportSerializer)
    def create(self, request: Request) -> Response:
        report = svc.weekly_report_add(actor=self.actor, **self.body(WeeklyReportInSerializer))
        return Response(WeeklyReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RectificationTaskInSerializer, responses={201: RectificationTaskSerializer}
    )
    @action(detail=True, methods=["post"])
    def tasks(self, request: Request, pk: Any = None) -> Response:
        report = self.target("safety.add_rectificationtask", CLAUSE)
        data = self.body(RectificationTaskInSerializer)
        task = svc.task_raise(actor=self.actor, source=report, problem=data["problem"],
                              action=data["action"], owner=_owner(data["owner"]),
                              deadline=data["deadline"])  # fmt: skip
        return Response(RectificationTaskSerializer(task).data, status=status.HTTP_201_CREATED)


class MonthlyDispatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Monthly dispatches: ``POST`` submits the CQO's report on a month; ``hold`` records the
    principal's meeting and decisions; ``tasks`` raises a rectification task (§7.2.1)."""

    serializer_class = MonthlyDispatchSerializer
    queryset = MonthlyDispatch.objects.all()
    required_perms = {
        "list": "safety.view_monthlydispatch",
        "retrieve": "safety.view_monthlydispatch",
        "metadata": "safety.view_monthlydispatch",
        "create": "safety.add_monthlydispatch",
        "hold": "safety.view_monthlydispatch",
        "tasks": "safety.view_monthlydispatch",
    }

    def get_queryset(self) -> Any:
        return sel.monthlies_visible(self.request.user).prefetch_related("tasks")

    @extend_schema(request=MonthlyReportInSerializer, responses=MonthlyDispatchSerializer)
    def create(self, request: Request) -> Response:
        dispatch = svc.monthly_report_submit(actor=self.actor,
                                             **self.body(MonthlyReportInSerializer))  # fmt: skip
        return Response(MonthlyDispatchSerializer(dispatch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DispatchHoldSerializer, responses=MonthlyDispatchSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: Any = None) -> Response:
        dispatch = self.target("safety.record_monthlydispatch", CLAUSE_MONTHLY)
        dispatch = svc.monthly_dispatch_record(actor=self.actor, dispatch=dispatch,
                                               **self.body(DispatchHoldSerializer))  # fmt: skip
        return Response(MonthlyDispatchSerializer(dispatch).data)

    @extend_schema(
        request=RectificationTaskInSerializer, responses={201: RectificationTaskSerializer}
    )
    @action(detail=True, methods=["post"])
    def tasks(self, request: Request, pk: Any = None) -> Response:
        dispatch = self.target("safety.add_rectificationtask", CLAUSE_MONTHLY)
        data = self.body(RectificationTaskInSerializer)
        task = svc.task_raise(actor=self.actor, source=dispatch, problem=data["problem"],
                              action=data["action"], owner=_owner(data["owner"]),
                              deadline=data["deadline"])  # fmt: skip
        return Response(RectificationTaskSerializer(task).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("status", str, enum=TaskStatus.values,
                                            required=False)])  # fmt: skip
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Rectification tasks; ``?status=open|closed`` filters; ``close`` closes one with its
    evidence (the owner, or the director)."""

    serializer_class = RectificationTaskSerializer
    queryset = RectificationTask.objects.all()
    required_perms = {
        "list": "safety.view_rectificationtask",
        "retrieve": "safety.view_rectificationtask",
        "metadata": "safety.view_rectificationtask",
        "close": "safety.view_rectificationtask",
    }

    def get_queryset(self) -> Any:
        status_ = self.request.query_params.get("status", "")
        return sel.tasks_visible(self.request.user,
                                 status=status_ if status_ in TaskStatus.values else "")  # fmt: skip

    @extend_schema(request=TaskCloseSerializer, responses=RectificationTaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        task = self.target("safety.close_rectificationtask", CLAUSE)
        task = svc.task_close(actor=self.actor, task=task, **self.body(TaskCloseSerializer))
        return Response(RectificationTaskSerializer(task).data)


class GapsViewSet(ServiceViewSet):
    """The days, weeks and months whose record is missing and overdue (what is being chased)."""

    serializer_class = RegimeGapsSerializer
    queryset = DailyRecord.objects.none()
    pagination_class = None  # one object, not a page
    required_perms = {"list": "safety.view_dailyrecord", "metadata": "safety.view_dailyrecord"}

    @extend_schema(responses=RegimeGapsSerializer)
    def list(self, request: Request) -> Response:
        found = sel.gaps()
        return Response(RegimeGapsSerializer({"days": found.days, "weeks": found.weeks,
                                        "months": found.months}).data)  # fmt: skip


router = SimpleRouter()
router.register("regime/daily-records", DailyRecordViewSet, basename="regime-daily")
router.register("regime/weekly-reports", WeeklyReportViewSet, basename="regime-weekly")
router.register("regime/monthly-dispatches", MonthlyDispatchViewSet, basename="regime-monthly")
router.register("regime/tasks", TaskViewSet, basename="regime-task")
router.register("regime/gaps", GapsViewSet, basename="regime-gaps")
urlpatterns = router.urls
