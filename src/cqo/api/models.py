"""Outgoing webhooks (decision 0010): the endpoints another system (an ERP, an MES) gave us, and
the log of every delivery made to them.

Neither is ever deleted: an endpoint is deactivated, a delivery stays in the log with its
attempts, so what was announced to whom can always be shown.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import ProtectedRecordError

SECRET_PREFIX = "whsec_"  # noqa: S105 — a label in front of the random part, not a secret


def webhook_secret_new() -> str:
    """A fresh signing secret: 32 random bytes, URL-safe, with a prefix that says what it is."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


# http and https only: a webhook is an HTTP POST, and any other scheme urllib knows (file:,
# ftp:, data:) would read or send something else.
url_http_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter an http:// or https:// address.")
)


class _KeptQuerySet(models.QuerySet):
    def delete(self):  # type: ignore[override]
        raise ProtectedRecordError(_("Webhook endpoints and deliveries are never deleted."))


class _Kept(models.Model):
    objects = _KeptQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise ProtectedRecordError(_("Webhook endpoints and deliveries are never deleted."))


class WebhookEndpoint(_Kept):
    """A receiver of our events.

    The secret is stored as it is, not hashed and not encrypted. Unlike a password or an API
    token, which we only compare, a webhook secret is used to sign every delivery, so the sender
    needs it in clear; encrypting it with a key derived from ``SECRET_KEY`` would protect it only
    from someone holding the database without the key file beside it (``var/``), and a rotated
    ``SECRET_KEY`` would silently break every endpoint. It is kept out of the history table, the
    audit trail and every page and API answer except the one that creates or rotates it.
    """

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address"), max_length=500, validators=[url_http_validator])
    secret = models.CharField(
        _("signing secret"), max_length=100, default=webhook_secret_new, editable=False
    )
    event_types = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("The events sent to this endpoint; none chosen means every event."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret rotated at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["-active", "name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return not self.event_types or event in self.event_types


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, will be retried")
    GIVEN_UP = "given_up", _("Given up")


class WebhookDelivery(_Kept):
    """One event for one endpoint, and what happened when we sent it."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=100)
    event_id = models.UUIDField(_("event id"), db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="api_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} #{self.pk}"
