"""The CQO's reports to the decision layer (§7.1.6): monthly, quarterly and annual PDFs generated
from the data every domain registers (``cqo.core.report_sections``), in Chinese or English.

Lifecycle: generated as a draft (a queued job with its progress) → signed by the CQO in office
with an e-signature over the PDF's SHA-256 → received and acknowledged by the principal with an
e-signature → archived. The PDF bytes are stored once and never rewritten; ``sha256`` is their
hash taken at generation, so an archive whose bytes no longer match is detected
(``selectors.report_integrity``). A draft made in error is voided with a reason, never deleted."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cqo.core.models import Voidable

USER = settings.AUTH_USER_MODEL


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    QUARTERLY = "quarterly", _("Quarterly report")
    ANNUAL = "annual", _("Annual report")


class ReportLanguage(models.TextChoices):
    ZH = "zh-hans", "中文"
    EN = "en", "English"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Being generated")
    FAILED = "failed", _("Generation failed")
    DRAFT = "draft", _("Draft, awaiting the CQO's signature")
    SIGNED = "signed", _("Signed by the CQO, awaiting the principal")
    ARCHIVED = "archived", _("Acknowledged by the principal and archived")


class CqoReport(Voidable):
    number = models.CharField(_("report number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=8, choices=ReportLanguage.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    seconds = models.DecimalField(_("generation time (s)"), max_digits=8, decimal_places=2,
                                  null=True, blank=True)  # fmt: skip
    created_by = models.ForeignKey(
        USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        USER, verbose_name=_("signed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, verbose_name=_("acknowledged by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("principal's note"), blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("CQO report")
        verbose_name_plural = _("CQO reports")
        permissions = [
            ("sign_cqoreport", "Can sign a CQO report"),
            ("acknowledge_cqoreport", "Can acknowledge a CQO report"),
            ("void_cqoreport", "Can void a CQO report"),
        ]
        indexes = [models.Index(fields=["kind", "-period_end"], name="reports_kind_period")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.status == ReportStatus.ARCHIVED

    @property
    def running(self) -> bool:
        return self.status == ReportStatus.QUEUED and not self.is_voided

    def pdf_digest(self) -> str:
        """The SHA-256 of the bytes stored now (compare with ``sha256``, taken at generation)."""
        return hashlib.sha256(bytes(self.pdf or b"")).hexdigest()
