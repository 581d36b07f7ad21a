"""In-app notifications (with their e-mails) and the record of reminders sent: one facility for
every app, so a reminder is never sent twice by two mechanisms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user; kept in both languages, shown in the reader's."""

    recipient = models.ForeignKey(
        USER, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=500)
    message_en = models.CharField(_("message (English)"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    clause = models.CharField(_("clause"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class Reminder(models.Model):
    """When a reminder was last sent, so the daily job does not repeat itself every day."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.key} {self.sent_on}"
