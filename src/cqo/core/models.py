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


# --- the working-day calendar: what the administrator adds to the published data ------------


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Working day")


class CalendarYear(Voidable):
    """A year's holiday arrangement that the bundled calendar data does not carry, added by the
    administrator from the State Council's notice (its days are ``CalendarDay`` rows)."""

    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source of the arrangement"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year added")
        verbose_name_plural = _("calendar years added")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(voided_at__isnull=True),
                name="core_calendaryear_one_active_per_year",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(Voidable):
    """One day set by the administrator: a holiday or a (make-up) working day. It wins over the
    bundled data; a correction voids the day's earlier row and adds a new one."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind of day"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    year = models.ForeignKey(
        CalendarYear,
        verbose_name=_("year added"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="days",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        verbose_name = _("calendar day set")
        verbose_name_plural = _("calendar days set")
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=models.Q(voided_at__isnull=True),
                name="core_calendarday_one_active_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"
