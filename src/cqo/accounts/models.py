from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A sign-in account. The person behind it (unit, posts) lives in ``organisation.Person``."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    display_name_en = models.CharField(_("display name (English)"), max_length=100, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name()

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LockScope(models.TextChoices):
    PAIR = "pair", _("this username from this address")
    ADDRESS = "address", _("this address, any username")
    USER = "user", _("this username from addresses it has not signed in from")


class SigninLock(models.Model):
    """A sign-in lock, kept in the database so that every app server sees it and the
    administrator can list and clear it (``accounts.throttle`` decides when one starts)."""

    scope = models.CharField(_("scope"), max_length=10, choices=LockScope.choices)
    # Lower-cased as typed, whether or not an account has it (a lock says nothing about that).
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=45, blank=True, db_index=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    locked_at = models.DateTimeField(_("locked at"))
    locked_until = models.DateTimeField(_("locked until"), db_index=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("cleared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clear_reason = models.TextField(_("reason for clearing"), blank=True)

    class Meta:
        ordering = ["-locked_at", "-id"]
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        permissions = [("clear_signinlock", "Can clear a sign-in lock")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.username or '-'} @ {self.address or '-'}"
