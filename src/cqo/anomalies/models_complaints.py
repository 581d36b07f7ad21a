"""Customer complaints (§6 c)): what a customer reports about a product it received, the
response deadlines agreed with that customer (containment within hours, an 8D report within
days), and the nonconformance report the complaint opens.

The deadlines are computed from the customer's policy when the complaint is received and kept
on the complaint: changing a policy later does not move the promise made to the customer on a
complaint already received.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable
from cqo.masterdata.models import DefectClass

__all__ = [
    "DEFAULT_CONTAINMENT_HOURS",
    "DEFAULT_EIGHTD_DAYS",
    "Complaint",
    "ComplaintPolicy",
    "ComplaintStatus",
]

USER = settings.AUTH_USER_MODEL

# What the enterprise promises when a customer has no policy of its own: containment within a
# day, the 8D report within two weeks (the common automotive and electronics practice).
DEFAULT_CONTAINMENT_HOURS = 24
DEFAULT_EIGHTD_DAYS = 14


class ComplaintPolicy(Voidable):
    """The response deadlines agreed with one customer; the policy without a customer is the
    enterprise's default for every customer without one."""

    customer = models.ForeignKey(
        "masterdata.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the default that applies to every other customer."),
    )
    containment_hours = models.PositiveIntegerField(
        _("containment within (hours)"), default=DEFAULT_CONTAINMENT_HOURS
    )
    eightd_days = models.PositiveIntegerField(
        _("8D report within (days)"), default=DEFAULT_EIGHTD_DAYS
    )
    eightd_always = models.BooleanField(
        _("8D report for every complaint"),
        default=True,
        help_text=_("Otherwise an 8D report is asked only for a critical (CR) defect."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["customer__code"]
        verbose_name = _("complaint response policy")
        verbose_name_plural = _("complaint response policies")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(voided_at__isnull=True),
                name="anomalies_complaint_policy_one_per_customer",
                violation_error_message=_("This customer already has a response policy."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.customer) if self.customer_id else str(_("Default policy"))


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    CONTAINED = "contained", _("Contained")
    EIGHTD_SUBMITTED = "8d_submitted", _("8D report submitted")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Complaint(Voidable):
    """One customer complaint; it opens a nonconformance report (an ``Anomaly`` with source
    "complaint") whose review, dispositions and CAPA / 8D are kept there."""

    number = models.CharField(_("complaint number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "masterdata.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    item = models.ForeignKey(
        "masterdata.Item", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        "masterdata.Lot", verbose_name=_("lot"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    serial = models.CharField(_("serial number"), max_length=80, blank=True)
    customer_ref = models.CharField(_("customer's reference"), max_length=80, blank=True)
    description = models.TextField(_("description"))
    defect_class = models.CharField(
        _("defect class"), max_length=2, choices=DefectClass.choices, blank=True
    )
    quantity = models.DecimalField(
        _("quantity concerned"), max_digits=14, decimal_places=3, default=Decimal("0")
    )
    claim_amount = models.DecimalField(
        _("claim amount (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    received_at = models.DateTimeField(_("received at"))
    containment_due = models.DateTimeField(_("containment due"))
    eightd_required = models.BooleanField(_("8D report required"), default=True)
    eightd_due = models.DateTimeField(_("8D report due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED, db_index=True,
    )  # fmt: skip
    contained_at = models.DateTimeField(_("contained at"), null=True, blank=True)
    containment_note = models.TextField(_("containment"), blank=True)
    eightd_submitted_at = models.DateTimeField(_("8D report submitted at"), null=True, blank=True)
    eightd_note = models.TextField(_("8D report"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    outcome = models.TextField(_("outcome"), blank=True)
    anomaly = models.ForeignKey(
        "anomalies.Anomaly", verbose_name=_("nonconformance report"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="complaints",
    )  # fmt: skip
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("customer complaint")
        verbose_name_plural = _("customer complaints")
        indexes = [
            models.Index(fields=["status", "containment_due"], name="anomalies_cc_status_due"),
            models.Index(fields=["customer", "-received_at"], name="anomalies_cc_customer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_amount__gte=0),
                name="anomalies_complaint_claim_not_negative",
                violation_error_message=_("The claim amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="anomalies_complaint_quantity_not_negative",
                violation_error_message=_("The quantity cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("anomalies:complaint_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.voided_at is None


OPEN_STATUSES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.CONTAINED,
    ComplaintStatus.EIGHTD_SUBMITTED,
)
