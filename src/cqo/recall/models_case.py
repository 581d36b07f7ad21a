"""The case part's records: a recall case led by the CQO (§7.2.1.4).

``RecallCase`` starts minimal so that the clocks part can point at it; the case part owns it and
adds its fields."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable


class RecallCase(Voidable):
    number = models.CharField(_("recall number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, default="signal")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("recall case")
        verbose_name_plural = _("recall cases")

    def __str__(self) -> str:
        return self.number
