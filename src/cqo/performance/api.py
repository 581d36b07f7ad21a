# mypy: disable-error-code="union-attr"
"""The performance app's API (/api/v1/performance/): quality objectives with their actual and
light (§7.1.2), set through the same service as the page; appraisals for the enterprise's HR or
performance system (§6 g), §7.1.7) — the round readers see every round's scores, anyone else
only their own signed ones."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.metrics import Direction
from cqo.organisation.models import Unit

from . import selectors as sel
from . import services as S
from .models import Appraisal, Objective


class ObjectiveSerializer(serializers.ModelSerializer):
    actual = serializers.SerializerMethodField()
    basis = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField()

    class Meta:
        model = Objective
        fields = ["id", "number", "title", "parent", "unit", "metric", "measure_name",
                  "measure_unit", "direction", "target", "tolerance", "first", "last", "owner",
                  "actual", "basis", "light"]  # fmt: skip

    def _status(self, obj: Objective) -> Any:
        cache = self.__dict__.setdefault("_status_cache", {})
        if obj.pk not in cache:
            cache[obj.pk] = sel.objective_status(obj)["overall"]
        return cache[obj.pk]

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True))
    def get_actual(self, obj: Objective) -> Any:
        value = self._status(obj).value
        return None if value is None else str(value)

    def get_basis(self, obj: Objective) -> str:
        return str(self._status(obj).basis)

    def get_light(self, obj: Objective) -> str:
        return str(self._status(obj).light)


class ObjectiveCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Objective.objects.all(), required=False, allow_null=True
    )
    metric = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    measure_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    measure_unit = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    direction = serializers.ChoiceField(choices=[("", ""), *list(Direction.choices)], required=False,
                                        default="")  # fmt: skip
    target = serializers.CharField(max_length=30)
    tolerance = serializers.CharField(max_length=30, required=False, default="0")
    first = serializers.DateField()
    last = serializers.DateField()
    owner = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())


class ObjectiveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Quality objectives with the period's actual so far (computed or entered), its basis and
    its light; ``actual`` is null and ``light`` "missing" when the period has no data."""

    serializer_class = ObjectiveSerializer
    queryset = Objective.objects.all()
    required_perms = {
        "list": "performance.view_objective",
        "retrieve": "performance.view_objective",
        "metadata": "performance.view_objective",
        "create": "performance.add_objective",
    }

    def get_queryset(self) -> Any:
        return sel.objectives_visible(self.request.user).filter(voided_at__isnull=True)

    def create(self, request: Request) -> Response:
        found = S.objective_create(actor=self.actor, **self.body(ObjectiveCreateSerializer))
        return Response(ObjectiveSerializer(found).data, status=status.HTTP_201_CREATED)


class AppraisalSerializer(serializers.ModelSerializer):
    round_number = serializers.CharField(source="round.number", read_only=True)
    round_status = serializers.CharField(source="round.status", read_only=True)
    first = serializers.DateField(source="round.first", read_only=True)
    last = serializers.DateField(source="round.last", read_only=True)
    username = serializers.SerializerMethodField()

    class Meta:
        model = Appraisal
        fields = ["id", "round", "round_number", "round_status", "first", "last", "unit",
                  "person", "username", "objective_points", "deductions", "credits", "score",
                  "breakdown", "computed_at"]  # fmt: skip

    def get_username(self, obj: Appraisal) -> str:
        return obj.person.get_username() if obj.person_id else ""


class AppraisalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Appraisal scores for HR: every round's to its readers, one's own signed ones to anyone."""

    serializer_class = AppraisalSerializer
    queryset = Appraisal.objects.all()
    required_perms = {
        "list": "performance.read_appraisal",
        "retrieve": "performance.read_appraisal",
        "metadata": "performance.read_appraisal",
    }

    def get_queryset(self) -> Any:
        user = self.request.user
        qs = Appraisal.objects.select_related("round", "person").order_by("round_id", "id")
        if user.has_perm("performance.export_appraisal"):
            return qs
        return qs.filter(Q(pk__in=sel.appraisals_of(user).values("pk")))


router = SimpleRouter()
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("appraisals", AppraisalViewSet, basename="appraisal")
urlpatterns = router.urls
