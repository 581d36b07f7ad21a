"""Supplier corrective action requests (SCAR, 供应商纠正措施要求, §7.1.4) raised from an NCR on
a supplier's lot.

The supplier answers the disciplines D3–D7 of an 8D (containment, root cause, permanent
corrective actions, their implementation and verification, prevention of recurrence) through a
link that names this one request: a random token shown once to the quality engineer, of which
only the SHA-256 digest is kept (``token_hash``). The link expires (``link_expires_at``), can be
revoked, and dies when a new one is issued. Every answer is kept (``ScarAnswer``); the quality
engineer accepts it or returns it with a note, and a returned request can be answered again
through the same link until it expires.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable
from cqo.core.uploads import validate_upload

USER = settings.AUTH_USER_MODEL

__all__ = [
    "SCAR_AWAITING_SUPPLIER",
    "SCAR_OPEN",
    "Scar",
    "ScarAnswer",
    "ScarAnswerOutcome",
    "ScarLanguage",
    "ScarStatus",
]


class ScarStatus(models.TextChoices):
    ISSUED = "issued", _("Awaiting the supplier's answer")
    ANSWERED = "answered", _("Answered, awaiting review")
    RETURNED = "returned", _("Returned to the supplier")
    ACCEPTED = "accepted", _("Accepted")


# The supplier may answer through the link in these states.
SCAR_AWAITING_SUPPLIER = (ScarStatus.ISSUED, ScarStatus.RETURNED)
SCAR_OPEN = (ScarStatus.ISSUED, ScarStatus.ANSWERED, ScarStatus.RETURNED)


class ScarLanguage(models.TextChoices):
    ZH = "zh-hans", "中文"
    EN = "en", "English"


class ScarAnswerOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Scar(Voidable):
    """A corrective action request sent to a supplier about an NCR on its lot (§7.1.4)."""

    number = models.CharField(_("SCAR number"), max_length=30, unique=True)
    anomaly = models.ForeignKey(
        "anomalies.Anomaly", verbose_name=_("NCR"), on_delete=models.PROTECT, related_name="scars"
    )
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lot = models.ForeignKey(
        "masterdata.Lot",
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    problem = models.TextField(
        _("problem described to the supplier"),
        help_text=_("What the supplier reads on the answer page: what was found, where, how many."),
    )
    language = models.CharField(
        _("supplier's language"), max_length=8, choices=ScarLanguage.choices
    )
    contact = models.CharField(_("supplier contact"), max_length=200, blank=True)
    due_on = models.DateField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ScarStatus.choices, default=ScarStatus.ISSUED
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("quality engineer"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        USER, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    # The link: only the digest of its token is kept; the token itself is shown once.
    token_hash = models.CharField(_("link digest"), max_length=64, editable=False)
    link_issued_at = models.DateTimeField(_("link issued at"))
    link_expires_at = models.DateTimeField(_("link expires at"))
    link_revoked_at = models.DateTimeField(_("link revoked at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("last answered at"), null=True, blank=True)
    answers_late = models.PositiveIntegerField(_("answers after the due date"), default=0)
    answers_returned = models.PositiveIntegerField(_("answers returned"), default=0)
    closed_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("supplier corrective action request")
        verbose_name_plural = _("supplier corrective action requests")
        indexes = [
            models.Index(fields=["supplier", "status"], name="anom_scar_supplier"),
            models.Index(fields=["status", "due_on"], name="anom_scar_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(link_expires_at__gt=models.F("link_issued_at")),
                name="anomalies_scar_link_expires_after_issue",
                violation_error_message=_("The link must expire after it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("anomalies:scar_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in SCAR_OPEN and self.voided_at is None


def answer_file_path(instance: ScarAnswer, filename: str) -> str:
    return f"anomalies/scar/{instance.scar_id}/{filename}"


class ScarAnswer(Voidable):
    """One answer of the supplier through the link (D3–D7), and the engineer's review of it."""

    scar = models.ForeignKey(
        Scar, verbose_name=_("SCAR"), on_delete=models.PROTECT, related_name="answers"
    )
    responder = models.CharField(_("answered by"), max_length=200)
    containment = models.TextField(_("D3 containment actions"))
    root_cause = models.TextField(_("D4 root cause"))
    corrective_actions = models.TextField(_("D5 permanent corrective actions"))
    verification = models.TextField(_("D6 implementation and verification"))
    prevention = models.TextField(_("D7 prevention of recurrence"))
    attachment = models.FileField(
        _("attachment"),
        upload_to=answer_file_path,
        max_length=300,
        blank=True,
        validators=[validate_upload],
    )
    attachment_sha256 = models.CharField(_("attachment SHA-256"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("after the due date"), default=False)
    outcome = models.CharField(
        _("review"),
        max_length=10,
        choices=ScarAnswerOutcome.choices,
        default=ScarAnswerOutcome.PENDING,
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scar_id", "submitted_at", "id"]
        verbose_name = _("supplier's answer")
        verbose_name_plural = _("supplier's answers")

    def __str__(self) -> str:
        return f"{self.scar_id}/{self.pk}"
