from django.contrib import admin

from cqo.core.admin import ReadOnlyAdmin

from .models import AuditEvent, Signature


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor_repr", "action", "object_repr", "clause")
    list_filter = ("action", "clause")
    search_fields = ("object_repr", "actor_repr", "action")


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("signed_at", "signer_repr", "meaning", "object_type", "object_id")
