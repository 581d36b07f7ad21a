"""The case part's records: a recall of a defective product led by the CQO (§7.2.1.4).

A case runs signal → investigation → defect confirmed (or not: closed) → decision (voluntary or
ordered; proposed by the CQO, agreed by the principal) → stop (every lot the forward trace
reaches is held at the gate and its shipment refused) → plan → regulator report and public
notice → execution per customer and channel → interim and final summaries → closed, or "active
recall stopped" with reasons while units are still out.

The lots a stop held are kept as ``RecallLot`` rows, written in bulk with the holds (one audited
batch); the plan's scope per customer and channel as ``RecallTarget`` rows, whose recovered
quantities grow by ``RecallProgress`` entries; the regulator report, the interim and final
summaries as ``RecallReport``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable

__all__ = [
    "CaseStatus",
    "Channel",
    "CloseKind",
    "DecisionKind",
    "RecallCase",
    "RecallLot",
    "RecallProgress",
    "RecallReport",
    "RecallTarget",
    "Remedy",
    "ReportKind",
    "SignalKind",
]

USER = settings.AUTH_USER_MODEL


class SignalKind(models.TextChoices):
    COMPLAINT = "complaint", _("Customer complaint")
    INCIDENT = "incident", _("Quality-safety incident")
    NCR = "ncr", _("Nonconformance report")
    REGULATOR = "regulator", _("Regulator's notice")
    OTHER = "other", _("Other signal")


class CaseStatus(models.TextChoices):
    SIGNAL = "signal", _("Signal received")
    INVESTIGATING = "investigating", _("Under investigation")
    CONFIRMED = "confirmed", _("Defect confirmed")
    NO_DEFECT = "no_defect", _("No defect: closed")
    DECISION = "decision", _("Decision awaiting the principal")
    DECIDED = "decided", _("Recall decided")
    STOPPED = "stopped", _("Stopped: lots held")
    PLANNED = "planned", _("Recall plan filed")
    NOTIFIED = "notified", _("Public notice published")
    CLOSED = "closed", _("Recall closed")
    ACTIVE_STOPPED = "active_stopped", _("Active recall stopped")


OPEN_STATUSES = (
    CaseStatus.SIGNAL,
    CaseStatus.INVESTIGATING,
    CaseStatus.CONFIRMED,
    CaseStatus.DECISION,
    CaseStatus.DECIDED,
    CaseStatus.STOPPED,
    CaseStatus.PLANNED,
    CaseStatus.NOTIFIED,
)


class DecisionKind(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary recall")
    ORDERED = "ordered", _("Ordered recall")


class Remedy(models.TextChoices):
    REPAIR = "repair", _("Repair")
    REPLACE = "replace", _("Replace")
    REFUND = "refund", _("Refund")
    WARNING = "warning", _("Corrected or added warnings")


class Channel(models.TextChoices):
    DIRECT = "direct", _("Direct to the customer")
    DISTRIBUTOR = "distributor", _("Distributor")
    RETAIL = "retail", _("Retail")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other channel")


class CloseKind(models.TextChoices):
    CLOSED = "closed", _("Closed: every unit recovered")
    ACTIVE_STOPPED = "active_stopped", _("Active recall stopped")


class ReportKind(models.TextChoices):
    REGULATOR = "regulator", _("Report to the regulator")
    INTERIM = "interim", _("Interim summary")
    FINAL = "final", _("Final recall report")


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
    # The signal
    signal_kind = models.CharField(
        _("signal"), max_length=12, choices=SignalKind.choices, default=SignalKind.OTHER
    )
    signal_ref = models.CharField(
        _("signal reference"), max_length=80, blank=True,
        help_text=_("The number of the complaint, incident, NCR or regulator's notice."),
    )  # fmt: skip
    signal_url = models.CharField(_("signal page"), max_length=200, blank=True)
    signal_on = models.DateField(_("signal received on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    item = models.ForeignKey(
        "masterdata.Item", verbose_name=_("product"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    start_lots = models.ManyToManyField(
        "masterdata.Lot", verbose_name=_("suspect lots"), blank=True, related_name="+",
        help_text=_("The lots the forward trace starts from (§7.2.1.4)."),
    )  # fmt: skip
    serious_harm = models.BooleanField(
        _("death, serious injury or major loss possible"), default=False,
        help_text=_("Starts the regulator's shortest reporting clock (§7.2.1.4)."),
    )  # fmt: skip
    # Investigation and the defect
    investigation = models.TextField(_("investigation"), blank=True)
    investigation_started_at = models.DateTimeField(_("investigation started"), null=True,
                                                    blank=True)  # fmt: skip
    defect_confirmed = models.BooleanField(_("defect confirmed"), null=True, blank=True)
    defect_description = models.TextField(_("defect"), blank=True)
    consequences = models.TextField(_("possible consequences"), blank=True)
    defect_decided_at = models.DateTimeField(_("defect decided at"), null=True, blank=True)
    # Decision
    decision_kind = models.CharField(
        _("kind of recall"), max_length=10, choices=DecisionKind.choices, blank=True
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decision_proposed_by = models.ForeignKey(
        USER, verbose_name=_("proposed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decision_proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decision_agreed_by = models.ForeignKey(
        USER, verbose_name=_("agreed by the principal"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision_agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    # Stop
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        USER, verbose_name=_("stopped by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # Plan
    remedy = models.CharField(_("remedy"), max_length=10, choices=Remedy.choices, blank=True)
    plan_measures = models.TextField(_("measures of the plan"), blank=True)
    plan_start = models.DateField(_("recall starts on"), null=True, blank=True)
    plan_end = models.DateField(_("recall ends by"), null=True, blank=True)
    contact = models.CharField(_("recall contact"), max_length=200, blank=True)
    plan_filed_at = models.DateTimeField(_("plan filed at"), null=True, blank=True)
    # Notice
    notice_text = models.TextField(_("public notice"), blank=True)
    notice_channels = models.CharField(_("published through"), max_length=200, blank=True)
    notice_published_at = models.DateTimeField(_("notice published at"), null=True, blank=True)
    # End
    close_kind = models.CharField(
        _("how it ended"), max_length=16, choices=CloseKind.choices, blank=True
    )
    close_reasons = models.TextField(_("reasons"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("recall case")
        verbose_name_plural = _("recall cases")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("recall:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.voided_at is None

    @property
    def source(self) -> str:
        """The ``source`` of the holds this case places."""
        return f"recall:{self.number}"


class RecallLot(models.Model):
    """A lot the stop held: written in bulk with its hold (one audited batch, decision 0005)."""

    case = models.ForeignKey(
        RecallCase, verbose_name=_("recall case"), on_delete=models.PROTECT, related_name="lots"
    )
    lot = models.ForeignKey(
        "masterdata.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    shipped = models.DecimalField(
        _("quantity shipped"), default=Decimal("0"), max_digits=14, decimal_places=3
    )
    added_at = models.DateTimeField(_("held at"))

    class Meta:
        ordering = ["case_id", "lot_id"]
        verbose_name = _("recalled lot")
        verbose_name_plural = _("recalled lots")
        constraints = [
            models.UniqueConstraint(fields=["case", "lot"], name="recall_lot_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.lot_id}"


class RecallTarget(Voidable):
    """One customer × channel in the plan's scope: what it received of the affected lots
    (planned), what it sold on, and what has come back (§7.2.1.4)."""

    case = models.ForeignKey(
        RecallCase, verbose_name=_("recall case"), on_delete=models.PROTECT,
        related_name="targets",
    )  # fmt: skip
    customer = models.ForeignKey(
        "masterdata.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.DIRECT
    )
    region = models.CharField(_("region"), max_length=80, blank=True)
    planned = models.DecimalField(_("quantity to recall"), max_digits=14, decimal_places=3)
    sold = models.DecimalField(
        _("quantity sold on"), default=Decimal("0"), max_digits=14, decimal_places=3
    )
    recovered = models.DecimalField(
        _("quantity recovered"), default=Decimal("0"), max_digits=14, decimal_places=3
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["case_id", "customer__code", "channel"]
        verbose_name = _("recall target")
        verbose_name_plural = _("recall targets")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "customer", "channel"],
                condition=Q(voided_at__isnull=True),
                name="recall_target_once",
            ),
            models.CheckConstraint(
                condition=Q(recovered__gte=0) & Q(planned__gte=0) & Q(sold__gte=0),
                name="recall_target_quantities_not_negative",
            ),
        ]

    @property
    def outstanding(self) -> Decimal:
        return max(self.planned - self.recovered, Decimal("0"))

    @property
    def rate_planned(self) -> Decimal | None:
        return (
            (self.recovered / self.planned * 100).quantize(Decimal("0.1")) if self.planned else None
        )

    @property
    def rate_sold(self) -> Decimal | None:
        return (self.recovered / self.sold * 100).quantize(Decimal("0.1")) if self.sold else None


class RecallProgress(Voidable):
    """Units recovered from one target on one day."""

    target = models.ForeignKey(
        RecallTarget, verbose_name=_("recall target"), on_delete=models.PROTECT,
        related_name="progress",
    )  # fmt: skip
    on = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity recovered"), max_digits=14, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["target_id", "on", "id"]
        verbose_name = _("recall progress")
        verbose_name_plural = _("recall progress")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="recall_progress_quantity_positive"
            )
        ]


class RecallReport(Voidable):
    """The report to the regulator, an interim summary or the final recall report."""

    case = models.ForeignKey(
        RecallCase, verbose_name=_("recall case"), on_delete=models.PROTECT,
        related_name="reports",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    text = models.TextField(_("text"))
    reference = models.CharField(_("regulator's reference"), max_length=80, blank=True)
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        USER, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The figures at the time of the report, kept as reported.
    planned = models.DecimalField(
        _("quantity to recall"), default=Decimal("0"), max_digits=14, decimal_places=3
    )
    recovered = models.DecimalField(
        _("quantity recovered"), default=Decimal("0"), max_digits=14, decimal_places=3
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["case_id", "filed_on", "id"]
        verbose_name = _("recall report")
        verbose_name_plural = _("recall reports")
