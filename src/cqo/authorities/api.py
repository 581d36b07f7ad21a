"""The authorities API (/api/v1/authorities/): delegations, the approval inbox, strategy and
plans, proposals, business decisions, vetoes and notifications.

Reads go through the selectors; every write goes through the same service as the pages, so the
authority check (with its clause), the validation, the e-signature and the audit event are the
same whichever door a change comes in by. Object actions (revoke, decide, veto, ...) pass the
endpoint check with the view permission and meet the real one in the service, which answers 403
with the clause. A move refused by a one-vote veto answers 409 with the §6 i) message.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from cqo.accounts.viewsets import ServiceViewSet
from cqo.core.permissions import require
from cqo.core.uploads import file_response
from cqo.organisation.models import Unit

from . import selectors as sel
from . import services as S
from .catalogue import AUTHORITY_CHOICES
from .kinds import approval_kind_codes, approval_subject_models
from .models import (
    ApprovalAttachment,
    ApprovalRequest,
    Delegation,
    Veto,
)
from .vetoable import VETO_CLAUSE, VETOABLE, veto_active_for, vetoable_models

# --- serializers ------------------------------------------------------------------------


class DelegationSerializer(serializers.ModelSerializer):
    units = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.all())
    clause = serializers.CharField(read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = [
            "id", "authority", "clause", "delegator", "delegate", "units", "start_date",
            "end_date", "scope_note", "source", "state", "created_at", "revoked_at",
            "revoked_by", "revoke_reason",
        ]  # fmt: skip
        read_only_fields = [
            "delegator", "source", "created_at", "revoked_at", "revoked_by", "revoke_reason",
        ]  # fmt: skip

    @extend_schema_field(
        serializers.ChoiceField(choices=["in_force", "future", "expired", "revoked"])
    )
    def get_state(self, obj: Delegation) -> str:
        return obj.status_on()


class AuthorityReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class AuthoritySignedReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    password = serializers.CharField(allow_blank=True, style={"input_type": "password"})


class ApprovalAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalAttachment
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, obj: ApprovalAttachment) -> str:
        """The permission-checked download route (the file is never under a public URL)."""
        return reverse("api:authorities:approval-attachment", args=[obj.request_id, obj.pk])


class ApprovalRequestSerializer(serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    clause = serializers.CharField(read_only=True)
    age_days = serializers.IntegerField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    vetoed = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = [
            "id", "subject_type", "object_id", "subject_repr", "kind", "authority", "clause",
            "summary", "unit", "amount", "due_date", "status", "raised_by", "raised_at",
            "decided_by", "decided_at", "decision_reason", "decided_as", "age_days",
            "is_overdue", "vetoed", "attachments",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ApprovalAttachmentSerializer(many=True))
    def get_attachments(self, obj: ApprovalRequest) -> list[dict[str, Any]]:
        rows = [a for a in obj.attachments.all() if a.voided_at is None]
        return list(ApprovalAttachmentSerializer(rows, many=True).data)

    def get_subject_type(self, obj: ApprovalRequest) -> str:
        ct = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct is not None else ""

    def get_vetoed(self, obj: ApprovalRequest) -> bool:
        return veto_active_for(obj) is not None


class _ApprovalKindField(serializers.CharField):
    """A kind registered by an app (``kinds.approval_kind_register``). Listed in the schema as the
    kinds registered when the schema is built."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value not in approval_kind_codes():
            raise serializers.ValidationError(_("Choose a kind of approval from the list."))
        return value


class ApprovalRaiseSerializer(serializers.Serializer):
    subject_type = serializers.CharField(
        help_text="app_label.model, e.g. decisions.businessdecision; empty for a request that "
        "stands on its own evidence",
        required=False,
        allow_blank=True,
        default="",
    )
    object_id = serializers.CharField(required=False, allow_blank=True, default="")
    kind = _ApprovalKindField()
    authority = serializers.ChoiceField(choices=AUTHORITY_CHOICES, default="c")
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, default=None
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(allow_blank=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list,
        help_text="Evidence files (multipart): PDF, JPEG or PNG, at most 10 MB each.",
    )  # fmt: skip


class ApprovalDecideSerializer(AuthoritySignedReasonSerializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])


class VetoSerializer(serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Veto
        fields = [
            "id", "subject_type", "object_id", "subject_repr", "reason", "vetoed_by",
            "vetoed_at", "capacity", "active", "lifted_at", "lifted_by", "lift_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_subject_type(self, obj: Veto) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


@extend_schema_field({"type": "string", "enum": vetoable_models()})
class _VetoableTypeField(serializers.CharField):
    """``app_label.model_name`` of a vetoable model (the registry in ``vetoable.py``)."""


class VetoImposeSerializer(AuthoritySignedReasonSerializer):
    """The record to veto, named by its type and id, with the reason and the e-signature."""

    subject_type = _VetoableTypeField(
        help_text="app_label.model_name of a vetoable record, e.g. decisions.proposal"
    )
    subject_id = serializers.CharField()

    def validate_subject_type(self, value: str) -> str:
        value = value.strip().lower()
        if value not in VETOABLE:
            raise serializers.ValidationError(
                _("This kind of record is not a decision that can be vetoed.")
            )
        return value


# --- views ------------------------------------------------------------------------------


class _Base(ServiceViewSet):
    """The authorities' viewsets: ``cqo.accounts.viewsets.ServiceViewSet``."""


def _view(model: str, *, app: str = "authorities", **extra: str) -> dict[str, str]:
    perm = f"{app}.view_{model}"
    return {"list": perm, "retrieve": perm, "metadata": perm, **extra}


class DelegationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = DelegationSerializer
    queryset = Delegation.objects.all()
    required_perms = _view(
        "delegation", create="authorities.add_delegation", revoke="authorities.view_delegation"
    )

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return sel.delegations_visible(
            self.request.user, state=params.get("state", ""), authority=params.get("authority", "")
        )

    def create(self, request: Request) -> Response:
        serializer = DelegationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        delegation = S.delegation_create(
            actor=self.actor,
            authority=data["authority"],
            delegate=data["delegate"],
            units=data["units"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            scope_note=data.get("scope_note", ""),
        )
        return Response(DelegationSerializer(delegation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AuthorityReasonSerializer, responses=DelegationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        delegation = self.target("authorities.revoke_delegation", "§6")
        data = self.body(AuthorityReasonSerializer)
        delegation = S.delegation_revoke(
            actor=self.actor, delegation=delegation, reason=data["reason"]
        )
        return Response(DelegationSerializer(delegation).data)


class ApprovalRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """``?inbox=1`` lists what awaits the caller's decision; otherwise every request they see."""

    serializer_class = ApprovalRequestSerializer
    queryset = ApprovalRequest.objects.all()
    required_perms = _view(
        "approvalrequest",
        create="authorities.add_approvalrequest",
        decide="authorities.view_approvalrequest",
        attachment="authorities.view_approvalrequest",
        withdraw="authorities.view_approvalrequest",
    )

    def get_queryset(self) -> Any:
        params = self.request.query_params
        overdue = params.get("overdue") in ("1", "true")
        # The serializer lists each request's documents: one query for them all, here rather
        # than in the selectors, so the dashboard's panels do not pay for it.
        if params.get("inbox") in ("1", "true"):
            qs = sel.approvals_awaiting(
                self.request.user, kind=params.get("kind", ""), overdue=overdue
            )
        else:
            qs = sel.approvals_visible(
                self.request.user,
                status=params.get("status", ""),
                kind=params.get("kind", ""),
                overdue=overdue,
            )
        return qs.prefetch_related("attachments")

    @extend_schema(request=ApprovalRaiseSerializer, responses={201: ApprovalRequestSerializer})
    def create(self, request: Request) -> Response:
        data = self.body(ApprovalRaiseSerializer)
        subject = None
        if data["subject_type"] or data["object_id"]:
            # Only a record of a type some app registered as an approval subject, and one the
            # caller may read: anything else (an audit event, a user, a token, a record out of
            # sight) gets the same answer, which says nothing of what exists.
            subject = sel.subject_readable(
                request.user,
                subject_type=data["subject_type"],
                object_id=data["object_id"],
                allowed=approval_subject_models(),
            )
            if subject is None:
                raise serializers.ValidationError({"object_id": [_("No such record to approve.")]})
        approval = S.approval_request_raise(
            actor=self.actor,
            subject=subject,
            kind=data["kind"],
            authority=data["authority"],
            unit=data["unit"],
            amount=data["amount"],
            due=data["due_date"],
            summary=data["summary"],
            attachments=data["attachments"],
        )
        return Response(ApprovalRequestSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment>[0-9]+)",
        url_name="attachment",
    )
    def attachment(self, request: Request, pk: Any = None, attachment: Any = None) -> Any:
        """A request's document, to those who may read the request."""
        target = self.target("authorities.view_approvalrequest", "§6 c)")
        doc = get_object_or_404(target.attachments.filter(voided_at__isnull=True), pk=attachment)
        return file_response(doc.file, filename=doc.name)

    @extend_schema(request=ApprovalDecideSerializer, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        target = self.target()
        S.approval_decide_precheck(actor=self.actor, request=target)
        data = self.body(ApprovalDecideSerializer)
        approval = S.approval_decide(
            actor=self.actor,
            request=target,
            decision=data["decision"],
            reason=data["reason"],
            password=data["password"],
        )
        return Response(ApprovalRequestSerializer(approval).data)

    @extend_schema(request=AuthorityReasonSerializer, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        target = self.target("authorities.withdraw_approvalrequest", "§6 c)")
        data = self.body(AuthorityReasonSerializer)
        approval = S.approval_withdraw(actor=self.actor, request=target, reason=data["reason"])
        return Response(ApprovalRequestSerializer(approval).data)


class VetoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """``?active=1`` lists the vetoes in force; ``?active=0`` those lifted. ``POST`` vetoes any
    vetoable record (a proposal, a plan, an approval request, a business decision, or a model of
    another app registered as vetoable), named by ``subject_type`` and ``subject_id``."""

    serializer_class = VetoSerializer
    queryset = Veto.objects.all()
    required_perms = _view("veto", create="authorities.view_veto", lift="authorities.view_veto")

    def get_queryset(self) -> Any:
        raw = self.request.query_params.get("active", "")
        active = True if raw in ("1", "true") else False if raw in ("0", "false") else None
        return sel.vetoes_visible(self.request.user, active=active)

    @extend_schema(
        request=VetoImposeSerializer,
        responses={201: VetoSerializer},
        description=(
            "Veto a vetoable record with a quality-safety reason and the caller's e-signature "
            "(§6 i)). 403 without §6 i) over the record; 404 when the record does not exist or "
            "is not visible; 400 when it is already vetoed or in a final status."
        ),
    )
    def create(self, request: Request) -> Response:
        # The authority first ("anywhere?"), so a caller without it meets 403 whatever the body.
        require(request.user, "authorities.veto", None, clause=VETO_CLAUSE)
        data = self.body(VetoImposeSerializer)
        subject = sel.subject_readable(
            request.user,
            subject_type=data["subject_type"],
            object_id=data["subject_id"],
            allowed=VETOABLE,
        )
        if subject is None:
            raise NotFound()
        veto = S.veto_impose(
            actor=self.actor,
            subject=subject,
            reason=data["reason"],
            password=data["password"],
        )
        return Response(VetoSerializer(veto).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AuthoritySignedReasonSerializer, responses=VetoSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: Any = None) -> Response:
        target = self.target("authorities.lift_veto", "§6 i)")
        data = self.body(AuthoritySignedReasonSerializer)
        veto = S.veto_lift(
            actor=self.actor,
            veto=target,
            reason=data["reason"],
            password=data["password"],
        )
        return Response(VetoSerializer(veto).data)
