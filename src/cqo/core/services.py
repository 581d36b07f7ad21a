"""Shared write operations: voiding a quality record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, snapshot
from cqo.core.models import Voidable
from cqo.core.permissions import require


@transaction.atomic
def record_void(
    *, actor: Any, record: Voidable, reason: str, perm: str, clause: str = ""
) -> Voidable:
    """Void ``record`` with a reason, in place of deleting it (nothing is ever hard-deleted)."""
    require(actor, perm, record, clause=clause)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for voiding this record.")})
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if locked.voided_at is not None:
        raise ValidationError(_("This record is already voided."))
    before = snapshot(locked)
    locked.voided_at = timezone.now()
    locked.voided_by = actor
    locked.void_reason = reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_record(
        actor=actor,
        action=f"{locked._meta.label_lower}.void",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=clause,
    )
    return locked
