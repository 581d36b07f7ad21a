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
