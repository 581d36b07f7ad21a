"""The audit trail over the API (/api/v1/audit/): events and signatures, read-only.

Only the CQO, the deputy, auditors and the system administrator read them (``audit.rules``);
the audit selectors return nothing to anyone else, so a forgotten check still shows nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from cqo.audit import selectors as audit_selectors
from cqo.audit.labels import action_label
from cqo.audit.models import AuditEvent, Signature
from cqo.core import texts
from cqo.core.api_permissions import ObjectPermission


class AuditEventSerializer(serializers.ModelSerializer):
    # ``action`` and ``reason`` are what the chain hashes (a system reason is stored as its msgid
    # and parameters); these two are the same in the reader's language.
    action_label = serializers.SerializerMethodField()
    reason_text = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id", "seq", "occurred_at", "actor", "actor_repr", "action", "action_label",
            "object_type", "object_id", "object_repr", "before", "after", "reason", "reason_text",
            "clause", "prev_hash", "hash",
        ]  # fmt: skip
        read_only_fields = fields

    def get_action_label(self, event: AuditEvent) -> str:
        return action_label(event.action, event.object_type)

    def get_reason_text(self, event: AuditEvent) -> str:
        return texts.render(event.reason)


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = [
            "id", "signer", "signer_repr", "meaning", "clause", "object_type", "object_id",
            "content_hash", "signed_at", "audit_event",
        ]  # fmt: skip
        read_only_fields = fields


class EventFilterSerializer(serializers.Serializer):
    """The list's filters; a malformed one answers 400 naming the parameter."""

    object_type = serializers.CharField(
        required=False, max_length=100, help_text="e.g. organisation.unit"
    )
    object_id = serializers.CharField(required=False, max_length=64)
    action = serializers.CharField(
        required=False, max_length=100, help_text="matches from the start"
    )
    actor = serializers.CharField(
        required=False, max_length=200, help_text="part of the actor's name"
    )
    clause = serializers.CharField(
        required=False, max_length=40, help_text="matches from the start: §6 finds every authority"
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class SignatureFilterSerializer(serializers.Serializer):
    object_type = serializers.CharField(required=False, max_length=100)
    object_id = serializers.CharField(required=False, max_length=64)


def _filters(serializer_class: type[serializers.Serializer], params: Any) -> dict[str, Any]:
    body = serializer_class(data={k: params.get(k) for k in params if params.get(k) != ""})
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@extend_schema_view(
    list=extend_schema(
        parameters=[EventFilterSerializer],
        description="Audit events, newest first; filter by object to follow one record's story.",
    ),
    retrieve=extend_schema(description="One audit event."),
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    permission_classes = [ObjectPermission]
    # For the permission class and the schema; the rows come from the selector.
    queryset = AuditEvent.objects.none()

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if self.action == "list":
            filters = _filters(EventFilterSerializer, self.request.query_params)
            return audit_selectors.events_filtered(self.request.user, **filters)
        return audit_selectors.events_visible(self.request.user)


def signatures_visible(user: Any) -> QuerySet[Signature]:
    # The audit app's selectors have no signature list yet; the same rule, the same empty default.
    if user is None or not user.has_perm("audit.view_signature"):
        return Signature.objects.none()
    return Signature.objects.all()


@extend_schema_view(
    list=extend_schema(
        parameters=[SignatureFilterSerializer], description="Electronic signatures by record."
    ),
    retrieve=extend_schema(description="One electronic signature."),
)
class SignatureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SignatureSerializer
    permission_classes = [ObjectPermission]
    queryset = Signature.objects.none()

    def get_queryset(self) -> QuerySet[Signature]:
        qs = signatures_visible(self.request.user).order_by("-signed_at", "-id")
        if self.action == "list":
            qs = qs.filter(**_filters(SignatureFilterSerializer, self.request.query_params))
        return qs
