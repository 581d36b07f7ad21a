"""The organisation API (/api/v1/org/): enterprise, units, people, posts and assignments.

Reads go through the selectors; writes through the same services as the pages, so the
permission, validation and audit event are the same whichever door a change comes in by.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.api_input import MAX_ID

from . import roles as R
from . import selectors as sel
from . import services as S
from .models import (
    AuthorityChange,
    AuthorityChangeMode,
    Enterprise,
    Person,
    Post,
    PostAssignment,
    Unit,
)

# --- serializers --------------------------------------------------------------------------


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "name_en", "credit_code", "size_class", "industry_code", "industry_name",
            "region_code", "region_name", "address", "address_en", "legal_representative",
            "principal", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id", "enterprise", "parent", "kind", "code", "name", "name_en", "head", "sort_order",
            "path", "depth", "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = ["enterprise", "path", "depth", "voided_at", "void_reason"]


class UnitMoveSerializer(serializers.Serializer):
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Unit.objects.all(), allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField()


class PersonSerializer(serializers.ModelSerializer):
    # None for a person without an account; the schema says so (issue 8 §4).
    username = serializers.CharField(
        source="user.username", read_only=True, default=None, allow_null=True
    )
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "employee_no", "name", "name_en", "unit", "job_title", "job_title_en",
            "education", "title_level", "quality_years", "email", "phone", "status", "left_on",
            "username", "roles",
        ]  # fmt: skip
        read_only_fields = ["employee_no", "status", "left_on"]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=R.ROLE_CHOICES))
    )
    def get_roles(self, obj: Person) -> list[str]:
        return sel.person_roles(obj)


class PersonCreateSerializer(PersonSerializer):
    username = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    password = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    roles = serializers.ListField(  # type: ignore[assignment]
        child=serializers.ChoiceField(choices=R.ROLE_CHOICES),
        required=False,
        default=list,
        write_only=True,
    )

    class Meta(PersonSerializer.Meta):
        # Status and leaving are not set on creation; leaving them out keeps the person-status
        # enum in one schema component.
        fields = [f for f in PersonSerializer.Meta.fields if f not in {"status", "left_on"}] + [
            "password"
        ]
        read_only_fields: list[str] = []


class PersonLeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RolesSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=R.ROLE_CHOICES))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PostAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostAssignment
        fields = ["id", "person", "post", "start_date", "end_date", "note", "end_reason"]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    holders = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id", "enterprise", "unit", "code", "name", "name_en", "kind", "single_holder",
            "responsibilities", "responsibilities_en", "holders", "voided_at", "void_reason",
        ]  # fmt: skip
        read_only_fields = ["enterprise", "voided_at", "void_reason"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_holders(self, obj: Post) -> list[int]:
        current = getattr(obj, "current_assignments", None)
        if current is None:
            current = list(obj.assignments.current())
        return [a.person_id for a in current]


class AssignSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignmentEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- views --------------------------------------------------------------------------------


def _int_param(params: Any, name: str) -> int | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    # Beyond a 64-bit id no row can match, and SQLite cannot even compare such a number.
    if not (str(raw).isascii() and str(raw).isdigit()) or int(raw) > MAX_ID:
        raise serializers.ValidationError({name: [_("Give a whole number.")]})
    return int(raw)


def _perms(model: str, **extra: str) -> dict[str, str]:
    view = f"organisation.view_{model}"
    return {
        "list": view,
        "retrieve": view,
        "metadata": view,
        "create": f"organisation.add_{model}",
        "update": f"organisation.change_{model}",
        "partial_update": f"organisation.change_{model}",
        **extra,
    }


class _Base(ServiceViewSet):
    """Every action the organisation API offers is listed in ``required_perms``."""


class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _Base,
):
    serializer_class = EnterpriseSerializer
    queryset = Enterprise.objects.all()
    required_perms = _perms("enterprise")

    def get_queryset(self) -> Any:
        return (
            Enterprise.objects.all()
            if self.request.user.has_perm("organisation.view_enterprise")
            else Enterprise.objects.none()
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("legal_representative", None)
        data.pop("principal", None)
        serializer.instance = S.enterprise_create(actor=self.actor, **data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = S.enterprise_update(
            actor=self.actor, enterprise=serializer.instance, **serializer.validated_data
        )


class UnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _Base,
):
    queryset = Unit.objects.all()
    required_perms = _perms("unit", move="organisation.move_unit", void="organisation.void_unit")

    def get_serializer_class(self) -> Any:
        if self.action == "move":
            return UnitMoveSerializer
        if self.action == "void":
            return VoidSerializer
        return UnitSerializer

    def get_queryset(self) -> Any:
        return sel.units_visible(self.request.user, include_voided=self.action != "list").order_by(
            "path"
        )

    def perform_create(self, serializer: Any) -> None:
        enterprise = sel.enterprise_current(self.request.user)
        if enterprise is None:
            raise serializers.ValidationError(
                {"enterprise": [_("No enterprise has been set up yet.")]}
            )
        data = dict(serializer.validated_data)
        parent = data.get("parent")
        if parent is not None:
            enterprise = parent.enterprise
        serializer.instance = S.unit_create(actor=self.actor, enterprise=enterprise, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "parent" in data and data.pop("parent") != serializer.instance.parent:
            raise serializers.ValidationError(
                {
                    "parent": [
                        _("Use the move action to change the parent unit; it checks for loops.")
                    ]
                }
            )
        serializer.instance = S.unit_update(actor=self.actor, unit=serializer.instance, **data)

    @extend_schema(request=UnitMoveSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: Any = None) -> Response:
        unit = self.get_object()
        body = UnitMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = S.unit_move(
            actor=self.actor,
            unit=unit,
            new_parent=body.validated_data["parent"],
            reason=body.validated_data["reason"],
        )
        return Response(UnitSerializer(moved).data)

    @extend_schema(request=VoidSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        unit = self.get_object()
        body = VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(
            UnitSerializer(S.unit_void(actor=self.actor, unit=unit, **body.validated_data)).data
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="search in names, numbers, titles, accounts"
            ),
            OpenApiParameter(
                "unit", OpenApiTypes.INT, description="only this unit and the units below it"
            ),
            OpenApiParameter(
                "include_left", OpenApiTypes.BOOL, description="include people who left"
            ),
        ]
    )
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _Base,
):
    queryset = Person.objects.all()
    required_perms = _perms(
        "person",
        leave="organisation.leave_person",
        roles="organisation.set_person_roles",
    )

    def get_serializer_class(self) -> Any:
        return {
            "create": PersonCreateSerializer,
            "leave": PersonLeaveSerializer,
            "roles": RolesSerializer,
        }.get(self.action or "", PersonSerializer)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        unit = None
        unit_id = _int_param(params, "unit")
        if unit_id is not None:
            unit = sel.units_visible(self.request.user).filter(pk=unit_id).first()
        return sel.people_visible(
            self.request.user,
            q=params.get("q", ""),
            unit=unit,
            include_left=self.action != "list" or params.get("include_left") in {"1", "true"},
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = S.person_create(actor=self.actor, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = S.person_update(
            actor=self.actor, person=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(PersonSerializer(serializer.instance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonLeaveSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        body = PersonLeaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(
            PersonSerializer(
                S.person_leave(actor=self.actor, person=person, **body.validated_data)
            ).data
        )

    @extend_schema(request=RolesSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def roles(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        body = RolesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        S.person_roles_set(actor=self.actor, person=person, **body.validated_data)
        person.refresh_from_db()
        return Response(PersonSerializer(person).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, description="post kind")]
    )
)
class PostViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _Base,
):
    queryset = Post.objects.all()
    required_perms = _perms(
        "post", assign="organisation.assign_post", void="organisation.void_post"
    )

    def get_serializer_class(self) -> Any:
        return {
            "assign": AssignSerializer,
            "void": VoidSerializer,
        }.get(self.action or "", PostSerializer)

    def get_queryset(self) -> Any:
        return sel.posts_visible(
            self.request.user,
            kind=self.request.query_params.get("kind", ""),
            include_voided=self.action != "list",
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = S.post_create(actor=self.actor, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "unit" in data and data.pop("unit") != serializer.instance.unit:
            raise serializers.ValidationError(
                {"unit": [_("A post stays in the unit it was created in.")]}
            )
        serializer.instance = S.post_update(actor=self.actor, post=serializer.instance, **data)

    @extend_schema(request=AssignSerializer, responses={201: PostAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        post = self.get_object()
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = S.post_assign(actor=self.actor, post=post, **body.validated_data)
        return Response(PostAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VoidSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        post = self.get_object()
        body = VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(
            PostSerializer(S.post_void(actor=self.actor, post=post, **body.validated_data)).data
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("post", OpenApiTypes.INT, description="only this post"),
            OpenApiParameter("person", OpenApiTypes.INT, description="only this person"),
        ]
    )
)
class PostAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    queryset = PostAssignment.objects.all()
    required_perms = {
        "list": "organisation.view_postassignment",
        "retrieve": "organisation.view_postassignment",
        "metadata": "organisation.view_postassignment",
        "end": "organisation.end_postassignment",
    }

    def get_serializer_class(self) -> Any:
        return AssignmentEndSerializer if self.action == "end" else PostAssignmentSerializer

    def get_queryset(self) -> Any:
        qs = sel.assignments_visible(self.request.user).order_by("post__code", "-start_date", "id")
        params = self.request.query_params
        for name in ("post", "person"):
            value = _int_param(params, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        return qs

    @extend_schema(request=AssignmentEndSerializer, responses=PostAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        assignment = self.get_object()
        body = AssignmentEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ended = S.post_assignment_end(
            actor=self.actor, assignment=assignment, **body.validated_data
        )
        return Response(PostAssignmentSerializer(ended).data)


# --- authority changes (decision 0006) ------------------------------------------------------


class AuthorityChangeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=R.ROLE_CHOICES), required=False, default=list
    )
    password = serializers.CharField(
        required=False,
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="The current principal's password: proposing with it signs the change at once.",
    )
    # Empty until the change is confirmed; the schema says so.
    mode = serializers.ChoiceField(
        choices=AuthorityChangeMode.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = AuthorityChange
        fields = [
            "id", "enterprise", "kind", "person", "roles", "roles_before", "reason", "status",
            "proposed_by", "proposed_at", "confirmed_by", "confirmed_at", "mode", "signature",
            "withdrawn_reason", "password",
        ]  # fmt: skip
        read_only_fields = [
            "enterprise", "roles_before", "status", "proposed_by", "proposed_at", "confirmed_by",
            "confirmed_at", "mode", "signature", "withdrawn_reason",
        ]  # fmt: skip


class SignSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class AuthorityChangeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    """Changes to the principal, CQO, deputy and auditor roles and to the enterprise's principal
    and legal representative: proposed, then signed by the current principal, or by a second,
    independent administrator where there is no current principal (§3.1, §4.2)."""

    queryset = AuthorityChange.objects.select_related("person", "proposed_by", "confirmed_by")
    required_perms = {
        "list": "organisation.view_authoritychange",
        "retrieve": "organisation.view_authoritychange",
        "metadata": "organisation.view_authoritychange",
        "create": "organisation.propose_authoritychange",
        "confirm": "organisation.confirm_authoritychange",
        "withdraw": "organisation.withdraw_authoritychange",
    }

    def get_serializer_class(self) -> Any:
        return {"confirm": SignSerializer, "withdraw": VoidSerializer}.get(
            self.action or "", AuthorityChangeSerializer
        )

    def get_queryset(self) -> Any:
        return self.queryset.all()

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = S.authority_change_propose(actor=self.actor, **data)

    @extend_schema(request=SignSerializer, responses=AuthorityChangeSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        change = self.get_object()
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = S.authority_change_confirm(actor=self.actor, change=change, **body.validated_data)
        return Response(AuthorityChangeSerializer(done).data)

    @extend_schema(request=VoidSerializer, responses=AuthorityChangeSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        change = self.get_object()
        body = VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = S.authority_change_withdraw(actor=self.actor, change=change, **body.validated_data)
        return Response(AuthorityChangeSerializer(done).data)
