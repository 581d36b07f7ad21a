"""The registers part's API (/api/v1/safety/): requirement sources (a new version opens an
impact review), requirements per product family, impact reviews, risks and their controls, the
published risk-control lists with the controls in force, and the key posts' state (§7.2.1.1–
§7.2.1.3). Every write calls the same service as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.models import User
from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.clauses import clause

from . import selectors_registers as sel
from . import services_registers as svc
from .models_registers import (
    ControlFrequency,
    ControlList,
    ImpactOutcome,
    ImpactReview,
    Requirement,
    RequirementSource,
    Risk,
    RiskControl,
    SourceKind,
)

CLAUSE_REQ = clause("§7.2.1.1")
CLAUSE_RISK = clause("§7.2.1.2")
CLAUSE_POSTS = clause("§7.2.1.3")

TEXT = 20000


def _user(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: "Unknown id."})
    return found


def _date_in_range(value: Any) -> None:
    if value is not None and not datetime.date(1900, 1, 1) <= value <= datetime.date(2999, 12, 31):
        raise serializers.ValidationError("Give a date between 1900 and 2999.")


class SourceSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    effective_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         validators=[_date_in_range])  # fmt: skip
    owner = serializers.IntegerField(source="owner_id", min_value=1)

    class Meta:
        model = RequirementSource
        fields = ["id", "kind", "code", "title", "title_en", "version", "effective_on", "issuer",
                  "owner", "note"]  # fmt: skip


class VersionSerializer(serializers.Serializer):
    version = serializers.CharField(max_length=40)
    effective_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         validators=[_date_in_range])  # fmt: skip
    owner = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    due_on = serializers.DateField(required=False, allow_null=True, default=None,
                                   validators=[_date_in_range])  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)


class ReviewSerializer(serializers.ModelSerializer):
    # Blank while the review is open; one of ImpactOutcome once closed.
    outcome = serializers.CharField(read_only=True)

    class Meta:
        model = ImpactReview
        fields = ["id", "source", "version_from", "version_to", "owner", "due_on", "opened_by",
                  "opened_at", "outcome", "outcome_text", "closed_by", "closed_at"]  # fmt: skip
        read_only_fields = fields


class CloseSerializer(serializers.Serializer):
    # Named apart from the other apps' "outcome" fields, whose choices differ.
    review_outcome = serializers.ChoiceField(source="outcome", choices=ImpactOutcome.choices)
    outcome_text = serializers.CharField(max_length=TEXT)


class RequirementSerializer(serializers.ModelSerializer):
    source = serializers.IntegerField(source="source_id", min_value=1)  # type: ignore[assignment]
    owner = serializers.IntegerField(source="owner_id", min_value=1)
    review_on = serializers.DateField(validators=[_date_in_range])
    text = serializers.CharField(max_length=TEXT)
    applicability = serializers.CharField(required=False, allow_blank=True, default="",
                                          max_length=TEXT)  # fmt: skip

    class Meta:
        model = Requirement
        fields = ["id", "source", "family", "source_clause", "text", "applicability", "owner",
                  "review_on"]  # fmt: skip


class ControlSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True)

    class Meta:
        model = RiskControl
        fields = ["id", "key", "text", "frequency", "owner"]
        read_only_fields = fields


class ControlAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT)
    frequency = serializers.ChoiceField(choices=ControlFrequency.choices,
                                        default=ControlFrequency.DAILY)  # fmt: skip
    owner = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class RiskSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="owner_id", min_value=1)
    hazard = serializers.CharField(max_length=TEXT)
    cause = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)
    consequence = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=TEXT)  # fmt: skip
    likelihood = serializers.IntegerField(min_value=1, max_value=20)
    severity = serializers.IntegerField(min_value=1, max_value=20)
    residual_likelihood = serializers.IntegerField(min_value=1, max_value=20)
    residual_severity = serializers.IntegerField(min_value=1, max_value=20)
    controls = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = ["id", "code", "family", "process", "hazard", "cause", "consequence",
                  "likelihood", "severity", "residual_likelihood", "residual_severity", "owner",
                  "controls"]  # fmt: skip
        read_only_fields = ["code"]

    @extend_schema(responses=ControlSerializer(many=True))  # type: ignore[misc]
    def get_controls(self, risk: Risk) -> list[dict[str, Any]]:
        live = [c for c in risk.controls.all() if c.voided_at is None]
        return list(ControlSerializer(live, many=True).data)


class ControlListSerializer(serializers.ModelSerializer):
    class Meta:
        model = ControlList
        fields = ["id", "version", "effective_on", "published_by", "published_at", "note",
                  "matrix", "rows", "digest"]  # fmt: skip
        read_only_fields = fields


class PublishSerializer(serializers.Serializer):
    effective_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         validators=[_date_in_range])  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT)


class ControlItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    text = serializers.CharField()
    frequency = serializers.CharField()
    risk_code = serializers.CharField()
    unit_id = serializers.IntegerField(allow_null=True)
    owner_user_id = serializers.IntegerField(allow_null=True)


class HolderSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class KeyPostSerializer(serializers.Serializer):
    post = serializers.IntegerField(source="post.pk")
    code = serializers.CharField(source="post.code")
    name = serializers.CharField(source="post.name")
    written = serializers.BooleanField()
    vacant = serializers.BooleanField()
    acknowledged = serializers.BooleanField()
    holders = HolderSerializer(many=True)


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """``?kind=`` filters. ``POST …/{id}/version/`` records a new version and answers the
    impact review it opens."""

    serializer_class = SourceSerializer
    queryset = RequirementSource.objects.all()
    required_perms = {
        "list": "safety.view_requirementsource",
        "retrieve": "safety.view_requirementsource",
        "metadata": "safety.view_requirementsource",
        "create": "safety.add_requirementsource",
        "version": "safety.view_requirementsource",
    }

    def get_queryset(self) -> Any:
        kind = self.request.query_params.get("kind", "")
        return sel.sources_visible(self.request.user,
                                   kind=kind if kind in SourceKind.values else "")  # fmt: skip

    def create(self, request: Request) -> Response:
        data = self.body(SourceSerializer)
        data["owner"] = _user(data.pop("owner_id"), "owner")
        source = svc.source_add(actor=self.actor, **data)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionSerializer, responses={201: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def version(self, request: Request, pk: Any = None) -> Response:
        source = self.target("safety.change_requirementsource", CLAUSE_REQ)
        data = self.body(VersionSerializer)
        data["owner"] = _user(data["owner"], "owner")
        review = svc.source_version_new(actor=self.actor, source=source, **data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class RequirementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """``?family=`` filters by product family."""

    serializer_class = RequirementSerializer
    queryset = Requirement.objects.all()
    required_perms = {
        "list": "safety.view_requirement",
        "retrieve": "safety.view_requirement",
        "metadata": "safety.view_requirement",
        "create": "safety.add_requirement",
    }

    def get_queryset(self) -> Any:
        return sel.requirements_visible(self.request.user,
                                        family=self.request.query_params.get("family", "")[:60])  # fmt: skip

    def create(self, request: Request) -> Response:
        data = self.body(RequirementSerializer)
        source = RequirementSource.objects.filter(pk=data.pop("source_id")).first()
        if source is None:
            raise serializers.ValidationError({"source": "Unknown id."})
        data["owner"] = _user(data.pop("owner_id"), "owner")
        requirement = svc.requirement_add(actor=self.actor, source=source, **data)
        return Response(RequirementSerializer(requirement).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """``?open=1`` lists the open reviews only."""

    serializer_class = ReviewSerializer
    queryset = ImpactReview.objects.all()
    required_perms = {
        "list": "safety.view_impactreview",
        "retrieve": "safety.view_impactreview",
        "metadata": "safety.view_impactreview",
        "close": "safety.view_impactreview",
    }

    def get_queryset(self) -> Any:
        return sel.reviews_visible(self.request.user,
                                   open_only=self.request.query_params.get("open") == "1")  # fmt: skip

    @extend_schema(request=CloseSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        review = self.target("safety.close_impactreview", CLAUSE_REQ)
        review = svc.review_close(actor=self.actor, review=review, **self.body(CloseSerializer))
        return Response(ReviewSerializer(review).data)


class RiskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """``?family=`` filters. ``PATCH`` re-rates or re-describes a risk; ``POST …/controls/``
    adds a control."""

    serializer_class = RiskSerializer
    queryset = Risk.objects.all()
    required_perms = {
        "list": "safety.view_risk",
        "retrieve": "safety.view_risk",
        "metadata": "safety.view_risk",
        "create": "safety.add_risk",
        "partial_update": "safety.view_risk",
        "controls": "safety.view_risk",
    }

    def get_queryset(self) -> Any:
        return sel.risks_visible(
            self.request.user, family=self.request.query_params.get("family", "")[:60]
        ).prefetch_related("controls")

    def create(self, request: Request) -> Response:
        data = self.body(RiskSerializer)
        data["owner"] = _user(data.pop("owner_id"), "owner")
        risk = svc.risk_add(actor=self.actor, **data)
        return Response(RiskSerializer(risk).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        risk = self.target("safety.change_risk", CLAUSE_RISK)
        serializer = RiskSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "owner_id" in data:
            data["owner"] = _user(data.pop("owner_id"), "owner")
        risk = svc.risk_update(actor=self.actor, risk=risk, **data)
        return Response(RiskSerializer(risk).data)

    @extend_schema(request=ControlAddSerializer, responses={201: ControlSerializer})
    @action(detail=True, methods=["post"])
    def controls(self, request: Request, pk: Any = None) -> Response:
        risk = self.target("safety.add_riskcontrol", CLAUSE_RISK)
        data = self.body(ControlAddSerializer)
        data["owner"] = _user(data["owner"], "owner")
        control = svc.control_add(actor=self.actor, risk=risk, **data)
        return Response(ControlSerializer(control).data, status=status.HTTP_201_CREATED)


class ControlListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The published versions, newest first. ``POST`` publishes a new version from the register;
    ``GET …/controls/?on=YYYY-MM-DD&frequency=daily`` lists the controls in force."""

    serializer_class = ControlListSerializer
    queryset = ControlList.objects.all()
    required_perms = {
        "list": "safety.view_controllist",
        "retrieve": "safety.view_controllist",
        "metadata": "safety.view_controllist",
        "create": "safety.publish_controllist",
        "controls": "safety.view_controllist",
    }

    def get_queryset(self) -> Any:
        return sel.control_lists_visible(self.request.user)

    @extend_schema(request=PublishSerializer, responses={201: ControlListSerializer})
    def create(self, request: Request) -> Response:
        published = svc.control_list_publish(actor=self.actor, **self.body(PublishSerializer))
        return Response(ControlListSerializer(published).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="YYYY-MM-DD (today by default)"),
            OpenApiParameter("frequency", str, enum=ControlFrequency.values),
        ],
        responses=ControlItemSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)  # the whole list, unpaged
    def controls(self, request: Request) -> Response:
        params = request.query_params
        try:
            on = datetime.date.fromisoformat(params["on"]) if params.get("on") else (
                timezone.localdate())  # fmt: skip
        except ValueError:
            raise serializers.ValidationError({"on": "Give a date as YYYY-MM-DD."}) from None
        frequency = params.get("frequency", ControlFrequency.DAILY)
        if frequency not in ControlFrequency.values:
            raise serializers.ValidationError({"frequency": "daily, weekly or monthly."})
        items = sel.controls_for_records(on=on, frequency=frequency)
        return Response(ControlItemSerializer(items, many=True).data)


class KeyPostViewSet(ServiceViewSet):
    """Each key post: responsibilities written, vacant, acknowledged by every holder."""

    serializer_class = KeyPostSerializer
    queryset = ControlList.objects.none()
    pagination_class = None  # every key post, unpaged
    required_perms = {"list": "organisation.view_post", "metadata": "organisation.view_post"}

    @extend_schema(responses=KeyPostSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(KeyPostSerializer(sel.key_posts(request.user), many=True).data)


router = SimpleRouter()
router.register("sources", SourceViewSet, basename="source")
router.register("requirements", RequirementViewSet, basename="requirement")
router.register("reviews", ReviewViewSet, basename="review")
router.register("risks", RiskViewSet, basename="risk")
router.register("control-lists", ControlListViewSet, basename="control-list")
router.register("key-posts", KeyPostViewSet, basename="key-post")
urlpatterns = router.urls

__all__ = ["CLAUSE_POSTS", "urlpatterns"]
