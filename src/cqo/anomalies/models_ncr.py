"""The nonconformance report (NCR, 质量异常/不合格品报告) and its containment (§6 c)).

An ``Anomaly`` is raised by hand (a phone form with photos) or by the system from an event of
another domain (a rejected lot, an SPC alarm, a complaint, an audit finding, an incident). Its
lots (``AnomalyLot``) are held through the gate while it is open (§6 e)), sorted, and the bad
quantity found is kept per lot; a customer who already received product of a lot is told
(``AnomalyNotice``). Defects come from a catalogue per item family (``DefectCode``); the NCR's
defect class is the worst of its defects.

Other parts of the app (the review board, CAPA, SCAR, complaints) point at ``Anomaly`` and add
their sections to its page and their conditions to its closure (``sections.py``,
``closure.py``).
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
from cqo.masterdata.models import DefectClass

USER = settings.AUTH_USER_MODEL

__all__ = [
    "AUTOMATIC_SOURCES",
    "OPEN_STATUSES",
    "Anomaly",
    "AnomalyDefect",
    "AnomalyLot",
    "AnomalyNotice",
    "AnomalyPhoto",
    "AnomalySource",
    "AnomalyStatus",
    "DefectCode",
    "FoundAt",
]


class AnomalySource(models.TextChoices):
    MANUAL = "manual", _("Raised by hand")
    LOT_REJECTED = "lot_rejected", _("Rejected lot")
    SPC_ALARM = "spc_alarm", _("SPC alarm")
    COMPLAINT = "complaint", _("Customer complaint")
    AUDIT = "audit", _("Audit finding")
    INCIDENT = "incident", _("Quality incident")


# The sources the system raises from another record: one NCR per source record.
AUTOMATIC_SOURCES = (AnomalySource.LOT_REJECTED, AnomalySource.SPC_ALARM)


class AnomalyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTAINED = "contained", _("Contained")
    REVIEW = "review", _("In review")
    DISPOSITIONED = "dispositioned", _("Dispositioned")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    AnomalyStatus.OPEN,
    AnomalyStatus.CONTAINED,
    AnomalyStatus.REVIEW,
    AnomalyStatus.DISPOSITIONED,
)


class FoundAt(models.TextChoices):
    IQC = "iqc", _("Incoming inspection")
    IPQC = "ipqc", _("In-process inspection")
    OQC = "oqc", _("Outgoing inspection")
    CUSTOMER = "customer", _("At the customer")
    FIELD = "field", _("In the field")
    AUDIT = "audit", _("In an audit")
    OTHER = "other", _("Elsewhere")


class Anomaly(Voidable):
    """A quality anomaly and its nonconformance report (§6 c))."""

    number = models.CharField(_("NCR number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=14, choices=AnomalySource.choices, default=AnomalySource.MANUAL
    )
    source_ref = models.CharField(
        _("source reference"),
        max_length=80,
        blank=True,
        help_text=_("The record it came from: an inspection lot, a complaint, an incident."),
    )
    source_url = models.CharField(_("source link"), max_length=300, blank=True)
    item = models.ForeignKey(
        "masterdata.Item",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "masterdata.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_centre = models.ForeignKey(
        "masterdata.WorkCentre",
        verbose_name=_("work centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_at = models.CharField(
        _("where found"), max_length=10, choices=FoundAt.choices, default=FoundAt.OTHER
    )
    found_on = models.DateField(_("found on"))
    found_by = models.ForeignKey(
        USER,
        verbose_name=_("found by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(
        _("nonconforming quantity"), max_digits=14, decimal_places=3, default=0
    )
    defect_class = models.CharField(
        _("defect class"), max_length=2, choices=DefectClass.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=14, choices=AnomalyStatus.choices, default=AnomalyStatus.OPEN
    )
    owner = models.ForeignKey(
        USER,
        verbose_name=_("quality engineer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by = models.ForeignKey(
        USER,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"))
    containment_note = models.TextField(_("containment"), blank=True)
    contained_at = models.DateTimeField(_("contained at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_note = models.TextField(_("closure note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("nonconformance report")
        verbose_name_plural = _("nonconformance reports")
        indexes = [
            # The NCR list at 200,000 rows: newest first, filtered by status, item or supplier.
            models.Index(fields=["-raised_at", "-id"], name="anom_ncr_raised"),
            models.Index(fields=["status", "-raised_at", "-id"], name="anom_ncr_status"),
            models.Index(fields=["item", "-raised_at", "-id"], name="anom_ncr_item"),
            models.Index(fields=["supplier", "-raised_at", "-id"], name="anom_ncr_supplier"),
            models.Index(fields=["source", "source_ref"], name="anom_ncr_source"),
            # The analysis leaves the few voided NCRs out with a subquery on this (analysis).
            models.Index(
                fields=["id"], condition=Q(voided_at__isnull=False), name="anom_ncr_voided"
            ),
        ]
        constraints = [
            # One NCR per rejected lot or alarm, whoever hears the event twice.
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=Q(source__in=["lot_rejected", "spc_alarm"]) & Q(voided_at__isnull=True),
                name="anomalies_ncr_one_per_source",
                violation_error_message=_("This record already opened a nonconformance report."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="anomalies_ncr_quantity_not_negative",
                violation_error_message=_("The quantity cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("anomalies:ncr_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != AnomalyStatus.CLOSED and self.voided_at is None


class AnomalyLot(Voidable):
    """A lot the NCR concerns: the quantity affected, the hold placed on it (§6 e)), what was
    quarantined, and what sorting found."""

    anomaly = models.ForeignKey(
        Anomaly, verbose_name=_("NCR"), on_delete=models.PROTECT, related_name="lots"
    )
    lot = models.ForeignKey(
        "masterdata.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("affected quantity"), max_digits=14, decimal_places=3, default=0
    )
    hold = models.ForeignKey(
        "masterdata.LotHold",
        verbose_name=_("hold"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quarantined = models.DecimalField(
        _("quantity quarantined"), max_digits=14, decimal_places=3, default=0
    )
    sorted_quantity = models.DecimalField(
        _("quantity sorted"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    bad_quantity = models.DecimalField(
        _("bad quantity found"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    sorted_at = models.DateTimeField(_("sorted at"), null=True, blank=True)
    sorted_by = models.ForeignKey(
        USER,
        verbose_name=_("sorted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sorting_note = models.TextField(_("sorting note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["anomaly_id", "id"]
        verbose_name = _("lot of an NCR")
        verbose_name_plural = _("lots of an NCR")
        constraints = [
            models.UniqueConstraint(
                fields=["anomaly", "lot"],
                condition=Q(voided_at__isnull=True),
                name="anomalies_ncr_lot_once",
                violation_error_message=_("This lot is already on the NCR."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(quarantined__gte=0),
                name="anomalies_ncr_lot_quantity_not_negative",
                violation_error_message=_("The quantity cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anomaly_id}/{self.lot_id}"


class DefectCode(Voidable):
    """A defect in the catalogue of an item family (``Item.family``), with its class."""

    family = models.CharField(_("item family"), max_length=60)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    defect_class = models.CharField(_("defect class"), max_length=2, choices=DefectClass.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family", "code"]
        verbose_name = _("defect code")
        verbose_name_plural = _("defect codes")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "code"],
                condition=Q(voided_at__isnull=True),
                name="anomalies_defect_code_unique",
                violation_error_message=_("This family already has this defect code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AnomalyDefect(Voidable):
    """A defect found on the NCR, with the quantity that shows it."""

    anomaly = models.ForeignKey(
        Anomaly, verbose_name=_("NCR"), on_delete=models.PROTECT, related_name="defects"
    )
    defect = models.ForeignKey(
        DefectCode, verbose_name=_("defect"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=0)
    # Kept with the row so the Pareto of a year of defects reads one table (analysis).
    defect_class = models.CharField(_("defect class"), max_length=2, choices=DefectClass.choices)
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)

    class Meta:
        ordering = ["anomaly_id", "id"]
        verbose_name = _("defect of an NCR")
        verbose_name_plural = _("defects of an NCR")
        indexes = [
            models.Index(fields=["defect", "recorded_at"], name="anom_defect_time"),
            # The Pareto of a year of defects reads this index alone, never the table (analysis).
            models.Index(
                fields=["defect", "recorded_at", "voided_at", "anomaly", "quantity"],
                name="anom_defect_pareto",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="anomalies_defect_quantity_not_negative",
                violation_error_message=_("The quantity cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anomaly_id}/{self.defect_id}"


def photo_path(instance: AnomalyPhoto, filename: str) -> str:
    return f"anomalies/{instance.anomaly_id}/{filename}"


class AnomalyPhoto(Voidable):
    """A photo (or a PDF) kept with the NCR as evidence; checked by ``core.uploads``."""

    anomaly = models.ForeignKey(
        Anomaly, verbose_name=_("NCR"), on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField(
        _("file"), upload_to=photo_path, max_length=300, validators=[validate_upload]
    )
    name = models.CharField(_("name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["anomaly_id", "uploaded_at", "id"]
        verbose_name = _("photo of an NCR")
        verbose_name_plural = _("photos of an NCR")

    def __str__(self) -> str:
        return self.name


class AnomalyNotice(Voidable):
    """A customer told that product of an affected lot was shipped to them (containment)."""

    anomaly = models.ForeignKey(
        Anomaly, verbose_name=_("NCR"), on_delete=models.PROTECT, related_name="notices"
    )
    customer = models.ForeignKey(
        "masterdata.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shipment = models.ForeignKey(
        "masterdata.Shipment",
        verbose_name=_("shipment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("what the customer was told"))
    notified_at = models.DateTimeField(_("notified at"))
    notified_by = models.ForeignKey(
        USER, verbose_name=_("notified by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["anomaly_id", "notified_at", "id"]
        verbose_name = _("customer notice")
        verbose_name_plural = _("customer notices")

    def __str__(self) -> str:
        return f"{self.anomaly_id}/{self.customer_id}"
