"""Shared write operations: voiding a quality record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audited_change
from cqo.core.models import Voidable
from cqo.core.permissions import require


@transaction.atomic
def record_void(
    *, actor: User, record: Voidable, reason: str, perm: str, clause: str = ""
) -> Voidable:
    """Void ``record`` with a reason, in place of deleting it (nothing is ever hard-deleted)."""
    require(actor, perm, record, clause=clause)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for voiding this record.")})
    with audited_change(
        actor=actor,
        obj=record,
        action=f"{record._meta.label_lower}.void",
        clause=clause,
        reason=reason,
        update_fields=["voided_at", "voided_by", "void_reason"],
    ) as locked:
        if locked.voided_at is not None:
            raise ValidationError(_("This record is already voided."))
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason
    return locked
