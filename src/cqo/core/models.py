"""Shared model building blocks.

Quality records are never hard-deleted: they are voided with a reason (``Voidable``), and the
void goes through ``cqo.audit.services.record_void`` so that it is audited like any other change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VoidableQuerySet(models.QuerySet):
    def active(self) -> VoidableQuerySet:
        return self.filter(voided_at__isnull=True)

    def delete(self):  # type: ignore[override]
        raise ProtectedRecordError(_("Quality records are voided with a reason, never deleted."))


class ProtectedRecordError(Exception):
    pass


class Voidable(models.Model):
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)

    objects = VoidableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise ProtectedRecordError(_("Quality records are voided with a reason, never deleted."))
