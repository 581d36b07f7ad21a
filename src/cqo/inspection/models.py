"""Inspection at the three gates (§6 e)): plans, inspection lots drawn under GB/T 2828.1 with
the switching state of their stream, results, usage decisions, concessions, dispositions, and
SPC on the measurements (§7.1.5, §7.2.3.2).

Volumes: a demo year holds 6,000 inspection lots and 150,000 measurements, the large demo
100,000 and 1,000,000, so ``Measurement`` carries no per-row history: results are written in
bulk by one service call with one audit event (its digest covers the rows), and a correction
voids the row with a reason and writes a new one.
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
from cqo.masterdata.models import DefectClass, Gate

USER = settings.AUTH_USER_MODEL


# --- plans ----------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    RETURNED = "returned", _("Returned")


class InspectionPlan(Voidable):
    """What to check on an item at a gate, and how many to draw: versioned; a version is used
    only once approved by the CQO or a delegate (§6 c), §6 e))."""

    item = models.ForeignKey(
        "masterdata.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    gate = models.CharField(_("gate"), max_length=5, choices=Gate.choices)
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only when this supplier's lots are inspected differently."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # In-process inspection kinds (§6 e)): first article, patrol at a frequency, last piece.
    first_article = models.BooleanField(_("first article required"), default=False)
    patrol_interval_minutes = models.PositiveIntegerField(
        _("patrol every (minutes)"), null=True, blank=True
    )
    last_piece = models.BooleanField(_("last piece required"), default=False)
    note = models.TextField(_("note"), blank=True)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item_id", "gate", "-version"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "gate", "supplier", "version"],
                name="inspection_plan_version_unique",
                violation_error_message=_("This version of the plan already exists."),
            ),
            models.UniqueConstraint(
                fields=["item", "gate", "supplier"],
                condition=Q(status="approved", voided_at__isnull=True),
                name="inspection_plan_one_in_force",
                violation_error_message=_("Another version of this plan is already in force."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_gate_display()} · v{self.version}"


class SamplingMethod(models.TextChoices):
    GBT2828 = "gbt2828", _("GB/T 2828.1 (level and AQL)")
    FIXED = "fixed", _("Fixed sample size")
    FULL = "full", _("100 percent inspection")


class PlanSampling(Voidable):
    """How a plan samples one defect class."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="samplings"
    )
    defect_class = models.CharField(_("defect class"), max_length=2, choices=DefectClass.choices)
    method = models.CharField(_("sampling"), max_length=8, choices=SamplingMethod.choices)
    level = models.CharField(_("inspection level"), max_length=4, blank=True)
    aql = models.CharField(_("AQL"), max_length=6, blank=True)
    fixed_n = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    fixed_ac = models.PositiveIntegerField(_("acceptance number"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "defect_class"]
        verbose_name = _("sampling of a defect class")
        verbose_name_plural = _("sampling of defect classes")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "defect_class"], name="inspection_plan_sampling_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.defect_class} {self.method} {self.level} {self.aql}".strip()


class PlanCharacteristic(Voidable):
    """A characteristic the plan checks; its defect class decides which sampling applies."""

    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="characteristics",
    )
    characteristic = models.ForeignKey(
        "masterdata.Characteristic",
        verbose_name=_("characteristic"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "sequence", "id"]
        verbose_name = _("plan characteristic")
        verbose_name_plural = _("plan characteristics")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "characteristic"], name="inspection_plan_characteristic_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.characteristic_id)


# --- switching (GB/T 2828.1 clause 9) -------------------------------------------------------


class Severity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    TIGHTENED = "tightened", _("Tightened")
    REDUCED = "reduced", _("Reduced")
    DISCONTINUED = "discontinued", _("Discontinued")


class SwitchingStream(Voidable):
    """The switching state of one stream of lots: supplier × item at the incoming gate, line ×
    item in process, item at the outgoing gate. It holds what ``cqo.methods.sampling.
    SwitchingRules`` needs to resume (score, the last five outcomes under normal, the run under
    tightened), so each decided lot moves it one step."""

    gate = models.CharField(_("gate"), max_length=5, choices=Gate.choices)
    item = models.ForeignKey(
        "masterdata.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
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
    state = models.CharField(
        _("inspection severity"), max_length=12, choices=Severity.choices, default=Severity.NORMAL
    )
    # Persisted state of the machine; see SwitchingRules.
    machine = models.JSONField(_("switching counters"), default=dict, blank=True)
    reduced_approved = models.BooleanField(_("reduced inspection approved"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["gate", "item_id", "supplier_id", "work_centre_id"]
        verbose_name = _("switching stream")
        verbose_name_plural = _("switching streams")
        constraints = [
            models.UniqueConstraint(
                fields=["gate", "item", "supplier", "work_centre"],
                name="inspection_stream_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.gate} {self.item_id} {self.supplier_id or self.work_centre_id or ''}: {self.state}"


class SwitchingEvent(Voidable):
    """One transition of a stream, with the rule that fired (GB/T 2828.1 clause 9)."""

    stream = models.ForeignKey(
        SwitchingStream, verbose_name=_("stream"), on_delete=models.PROTECT, related_name="events"
    )
    inspection_lot = models.ForeignKey(
        "InspectionLot",
        verbose_name=_("inspection lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(_("from"), max_length=12, choices=Severity.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=Severity.choices)
    rule = models.CharField(_("rule"), max_length=60)
    message = models.TextField(_("explanation"), blank=True)
    actor = models.ForeignKey(
        USER,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("switching event")
        verbose_name_plural = _("switching events")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state} ({self.rule})"


class ReducedTable(Voidable):
    """Table 2-C imported by the enterprise from its own licensed copy of GB/T 2828.1: reduced
    inspection is offered only with it (the shipped tables are 2-A and 2-B)."""

    rows = models.JSONField(_("rows"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source = models.CharField(_("source"), max_length=200)
    imported_by = models.ForeignKey(
        USER, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("reduced-inspection table")
        verbose_name_plural = _("reduced-inspection tables")

    def __str__(self) -> str:
        return f"{self.source} {self.sha256[:12]}"


# --- inspection lots --------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    LOT = "lot", _("Lot inspection")
    FIRST_ARTICLE = "first_article", _("First article")
    PATROL = "patrol", _("Patrol")
    LAST_PIECE = "last_piece", _("Last piece")


class InspectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting inspection")
    IN_PROGRESS = "in_progress", _("In inspection")
    DECIDED = "decided", _("Decided")


class UsageDecision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    CONDITIONAL = "conditional", _("Conditional release (concession)")


class InspectionLot(Voidable):
    """检验批: one inspection of a lot at a gate, drawn under a plan version and the stream's
    switching state, both kept as they were at the draw."""

    number = models.CharField(_("inspection lot number"), max_length=60, unique=True)
    lot = models.ForeignKey(
        "masterdata.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+"
    )
    gate = models.CharField(_("gate"), max_length=5, choices=Gate.choices)
    kind = models.CharField(
        _("kind"), max_length=14, choices=InspectionKind.choices, default=InspectionKind.LOT
    )
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan version"),
        on_delete=models.PROTECT,
        related_name="lots",
    )
    stream = models.ForeignKey(
        SwitchingStream,
        verbose_name=_("switching stream"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lots",
    )
    severity = models.CharField(_("drawn under"), max_length=12, choices=Severity.choices)
    # Denormalised from the lot for the queue and the supplier scorecard (100,000 lots).
    item = models.ForeignKey(
        "masterdata.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lot_size = models.DecimalField(_("lot size"), max_digits=14, decimal_places=3)
    status = models.CharField(
        _("status"), max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.OPEN
    )
    decision = models.CharField(
        _("usage decision"), max_length=12, choices=UsageDecision.choices, blank=True
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    nonconforming = models.PositiveIntegerField(_("nonconforming units found"), default=0)
    sample_count_reason = models.TextField(_("reason for another sample count"), blank=True)
    inspector = models.ForeignKey(
        USER,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inspection lot")
        verbose_name_plural = _("inspection lots")
        indexes = [
            models.Index(fields=["status", "gate", "created_at"], name="insp_lot_queue"),
            models.Index(fields=["supplier", "item", "-created_at"], name="insp_lot_supplier"),
            # The lot list filtered by supplier and status, newest first (100,000 lots).
            models.Index(
                fields=["supplier", "status", "-created_at", "-id"], name="insp_lot_sup_status"
            ),
            models.Index(fields=["decision", "-decided_at"], name="insp_lot_decision"),
        ]

    def __str__(self) -> str:
        return self.number


class LotSampling(Voidable):
    """The plan the lot was drawn under, per defect class: code letter, n, Ac, Re (snapshot)."""

    inspection_lot = models.ForeignKey(
        InspectionLot,
        verbose_name=_("inspection lot"),
        on_delete=models.PROTECT,
        related_name="samplings",
    )
    defect_class = models.CharField(_("defect class"), max_length=2, choices=DefectClass.choices)
    method = models.CharField(_("sampling"), max_length=8, choices=SamplingMethod.choices)
    level = models.CharField(_("inspection level"), max_length=4, blank=True)
    aql = models.CharField(_("AQL"), max_length=6, blank=True)
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    code_letter = models.CharField(_("code letter"), max_length=1, blank=True)
    n = models.PositiveIntegerField(_("sample size n"))
    ac = models.PositiveIntegerField(_("acceptance number Ac"))
    re = models.PositiveIntegerField(_("rejection number Re"))
    inspect_all = models.BooleanField(_("whole lot inspected"), default=False)
    nonconforming = models.PositiveIntegerField(_("nonconforming units found"), default=0)

    class Meta:
        ordering = ["inspection_lot_id", "defect_class"]
        verbose_name = _("lot sampling")
        verbose_name_plural = _("lot samplings")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_lot", "defect_class"], name="inspection_lot_sampling_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.defect_class} {self.code_letter} n={self.n} Ac={self.ac} Re={self.re}"


class Measurement(Voidable):
    """One result: a sample unit's value of a variable characteristic, or its defect count for
    an attribute. Never deleted; a correction voids the row with a reason (no per-row history:
    see the module docstring)."""

    inspection_lot = models.ForeignKey(
        InspectionLot,
        verbose_name=_("inspection lot"),
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    characteristic = models.ForeignKey(
        "masterdata.Characteristic",
        verbose_name=_("characteristic"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sample_no = models.PositiveIntegerField(_("sample unit"))
    value = models.DecimalField(_("value"), null=True, blank=True, max_digits=18, decimal_places=6)
    defects = models.PositiveIntegerField(_("defects"), default=0)
    conforming = models.BooleanField(_("conforming"))
    defect_type = models.CharField(_("defect"), max_length=100, blank=True)
    instrument = models.ForeignKey(
        "masterdata.Instrument",
        verbose_name=_("instrument"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measured_at = models.DateTimeField(_("measured at"))
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["inspection_lot_id", "characteristic_id", "sample_no"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [
            models.Index(fields=["characteristic", "measured_at"], name="insp_meas_char_time"),
            models.Index(fields=["instrument", "measured_at"], name="insp_meas_instrument"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_lot", "characteristic", "sample_no"],
                condition=Q(voided_at__isnull=True),
                name="inspection_measurement_unique",
                violation_error_message=_("This sample unit already has a result."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_lot_id}/{self.characteristic_id}/{self.sample_no}"


class InspectionAttachment(Voidable):
    """A photo or a report kept with the inspection lot as evidence."""

    inspection_lot = models.ForeignKey(
        InspectionLot,
        verbose_name=_("inspection lot"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="inspection/%Y/%m/", validators=[validate_upload])
    name = models.CharField(_("name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("inspection attachment")
        verbose_name_plural = _("inspection attachments")


# --- concessions and dispositions ----------------------------------------------------------------


class ConcessionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Concession(Voidable):
    """让步接收: use or ship a lot that failed, within limits, once the CQO or a delegate approves
    it (§6 c)); the approval request carries the lot and its results as evidence."""

    inspection_lot = models.ForeignKey(
        InspectionLot,
        verbose_name=_("inspection lot"),
        on_delete=models.PROTECT,
        related_name="concessions",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    reason = models.TextField(_("reason"))
    limits = models.TextField(
        _("limits"), help_text=_("Where, for how long and under what conditions.")
    )
    customer_consent_required = models.BooleanField(_("customer consent required"), default=False)
    customer_consent = models.CharField(_("customer consent reference"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConcessionStatus.choices,
        default=ConcessionStatus.SUBMITTED,
    )
    approval = models.ForeignKey(
        "authorities.ApprovalRequest",
        verbose_name=_("approval request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("concession")
        verbose_name_plural = _("concessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="inspection_concession_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_lot} · {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("inspection:concession_detail", args=[self.pk])


class DispositionKind(models.TextChoices):
    RETURN = "return", _("Return to supplier")
    SORT = "sort", _("Sort")
    REWORK = "rework", _("Rework")
    SCRAP = "scrap", _("Scrap")


class Disposition(Voidable):
    """What happens to a rejected lot (or part of it)."""

    inspection_lot = models.ForeignKey(
        InspectionLot,
        verbose_name=_("inspection lot"),
        on_delete=models.PROTECT,
        related_name="dispositions",
    )
    kind = models.CharField(_("disposition"), max_length=8, choices=DispositionKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="inspection_disposition_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            )
        ]


# --- SPC (§7.2.3.2) ---------------------------------------------------------------------------


class ChartKind(models.TextChoices):
    XBAR_R = "xbar_r", _("X̄-R")
    XBAR_S = "xbar_s", _("X̄-S")
    IMR = "imr", _("I-MR")


class ControlLimits(Voidable):
    """Phase I limits a quality engineer froze for a characteristic's chart; later points are
    monitored against them. A new freeze supersedes the old one; neither is deleted."""

    characteristic = models.ForeignKey(
        "masterdata.Characteristic",
        verbose_name=_("characteristic"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chart = models.CharField(_("chart"), max_length=8, choices=ChartKind.choices)
    subgroups = models.PositiveIntegerField(_("phase I subgroups"))
    phase_start = models.DateTimeField(_("phase I from"))
    phase_end = models.DateTimeField(_("phase I to"))
    centre = models.FloatField(_("centre line"))
    sigma = models.FloatField(_("σ within"))
    limits = models.JSONField(_("limits"), help_text=_("Both charts' centre, LCL and UCL."))
    reason = models.TextField(_("reason"))
    frozen_by = models.ForeignKey(
        USER, verbose_name=_("frozen by"), on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["-frozen_at", "-id"]
        verbose_name = _("control limits")
        verbose_name_plural = _("control limits")
        constraints = [
            models.UniqueConstraint(
                fields=["characteristic", "chart"],
                condition=Q(superseded_at__isnull=True),
                name="inspection_limits_one_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.characteristic_id} {self.chart} {self.frozen_at:%Y-%m-%d}"


class AlarmStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class SpcAlarm(Voidable):
    """A run rule that fired on a monitored chart point."""

    characteristic = models.ForeignKey(
        "masterdata.Characteristic",
        verbose_name=_("characteristic"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    limits = models.ForeignKey(
        ControlLimits,
        verbose_name=_("control limits"),
        on_delete=models.PROTECT,
        related_name="alarms",
    )
    inspection_lot = models.ForeignKey(
        InspectionLot,
        verbose_name=_("inspection lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    point_label = models.CharField(_("point"), max_length=100)
    rules = models.CharField(_("rules"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=AlarmStatus.choices, default=AlarmStatus.OPEN
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    handled_by = models.ForeignKey(
        USER,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("SPC alarm")
        verbose_name_plural = _("SPC alarms")
        constraints = [
            models.UniqueConstraint(
                fields=["limits", "point_label", "rules"], name="inspection_alarm_once_per_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.point_label}: {self.rules}"
