"""The append-only, hash-chained audit trail and electronic signatures.

Each event carries the SHA-256 of its predecessor's hash and its own canonical content, so
altering, deleting or reordering any row breaks the chain from that row on; ``ChainHead`` holds
the last sequence number and hash, so a deleted tail is found too. The ORM refuses updates and
deletes, and database triggers (see migration 0002) refuse them for anyone going around the ORM
short of dropping the triggers, which is itself visible to ``cqo audit verify``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("the audit trail is append-only")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("the audit trail is append-only")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, editable=False)
    action = models.CharField(_("action"), max_length=100, db_index=True, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(
        pgettext_lazy("of a record", "object id"), max_length=64, editable=False
    )
    object_repr = models.CharField(_("object"), max_length=300, editable=False)
    before = models.JSONField(_("before"), null=True, blank=True, editable=False)
    after = models.JSONField(_("after"), null=True, blank=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)
    clause = models.CharField(_("clause"), max_length=40, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    # HMAC of ``hash`` with the key outside the database (decision 0007): not part of the hashed
    # content, so archives written before it existed still hash the same.
    mac = models.CharField(_("keyed seal"), max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):  # type: ignore[override]
        if not self._state.adding:
            raise AppendOnlyError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("the audit trail is append-only")


class ChainHead(models.Model):
    """A single row: the last sequence number and hash, locked while an event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Signature(models.Model):
    """An electronic signature: the signer re-entered the password and stated what it means."""

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_repr = models.CharField(_("signer name"), max_length=200)
    meaning = models.CharField(_("meaning"), max_length=300)
    clause = models.CharField(_("clause"), max_length=40, blank=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(pgettext_lazy("of a record", "object id"), max_length=64)
    content_hash = models.CharField(_("hash of what was signed"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    audit_event = models.OneToOneField(
        AuditEvent,
        verbose_name=_("audit event"),
        on_delete=models.PROTECT,
        related_name="signature",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("electronic signature")
        verbose_name_plural = _("electronic signatures")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.signer_repr} — {self.meaning}"

    def save(self, *args, **kwargs):  # type: ignore[override]
        if not self._state.adding:
            raise AppendOnlyError("signatures cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("signatures cannot be deleted")
