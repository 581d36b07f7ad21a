"""The fund part's records: the annual quality budget (§6 f)) per unit × cost item, prepared by
the CQO and approved by the principal; and the special quality fund (§8.1) per year, its
purposes with their allocations, the units' spending applications (approval requests to the CQO,
vetoable under §6 i)) and the payments made on them with their vouchers.

Amounts are yuan with two places (``DecimalField``), never floats. Nothing is deleted: a record
made in error is voided with a reason (``Voidable``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.authorities.vetoable import VetoableMixin, VetoFlow
from cqo.core.models import Voidable
from cqo.core.uploads import validate_upload

__all__ = [
    "BudgetLine",
    "BudgetStatus",
    "Fund",
    "FundPayment",
    "FundPurpose",
    "FundReportJob",
    "FundSpending",
    "PurposeKind",
    "QualityBudget",
    "ReportFormat",
    "ReportJobStatus",
    "SpendingStatus",
]

USER = settings.AUTH_USER_MODEL
ZERO = Decimal("0")


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Awaiting the principal")
    APPROVED = "approved", _("Approved by the principal")
    RETURNED = "returned", _("Returned by the principal")


class QualityBudget(Voidable):
    """One year's quality budget (§6 f)): its lines are unit × cost item. Counted as approved
    only once the principal has approved it with an e-signature."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT
    )
    alert_percent = models.DecimalField(
        _("alert level (per cent of budget)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("200"))],
        help_text=_(
            "A line whose actual cost and commitments reach this share of its budget is flagged "
            "and the CQO told (§6 f))."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    prepared_by = models.ForeignKey(
        USER, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"))
    approval = models.ForeignKey(
        "authorities.ApprovalRequest", verbose_name=_("approval request"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("quality budget")
        verbose_name_plural = _("quality budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(voided_at__isnull=True),
                name="costs_budget_one_per_year",
            )
        ]  # fmt: skip
        permissions = [("submit_qualitybudget", "Can send a quality budget to the principal")]

    def __str__(self) -> str:
        return str(_("Quality budget %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("costs:budget_detail", args=[self.pk])


class BudgetLine(Voidable):
    budget = models.ForeignKey(QualityBudget, on_delete=models.PROTECT, related_name="lines")
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    item_code = models.CharField(_("cost item"), max_length=20)
    amount = models.DecimalField(
        _("budget (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )  # fmt: skip

    class Meta:
        ordering = ["unit__code", "item_code", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "unit", "item_code"], condition=Q(voided_at__isnull=True),
                name="costs_budgetline_unique",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        # The unit's code, not its id: ids differ between databases and runs, and this string
        # goes into the audit trail and onto the page.
        return f"{self.budget.year} {self.unit.code} {self.item_code}"


class Fund(Voidable):
    """The special quality fund of one year (§8.1), as set in the enterprise's annual capital
    plan, spent at the CQO's direction."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        _("amount in the annual capital plan (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)],
    )  # fmt: skip
    plan_ref = models.CharField(_("capital plan reference"), max_length=100)
    principal_threshold = models.DecimalField(
        _("principal also approves above (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)],
        help_text=_("A spending above this amount goes to the principal after the CQO (§8.1)."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        USER, verbose_name=_("set up by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("set up at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("special quality fund")
        verbose_name_plural = _("special quality funds")
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(voided_at__isnull=True),
                name="costs_fund_one_per_year",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(_("Special quality fund %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("costs:fund_detail", args=[self.pk])


class PurposeKind(models.TextChoices):
    TALENT = "talent", _("Quality talent and training")
    REWARDS = "rewards", _("Improvement rewards")
    TECHNOLOGY = "technology", _("Technology and innovation")
    STANDARDS = "standards", _("Standards")
    METROLOGY = "metrology", _("Metrology")
    BRAND = "brand", _("Quality brand")
    OTHER = "other", _("Other purpose")


class FundPurpose(Voidable):
    """A purpose the fund may be spent on, with the share of the fund allocated to it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="purposes")
    kind = models.CharField(_("purpose"), max_length=12, choices=PurposeKind.choices)
    name = models.CharField(
        _("name"), max_length=100, blank=True,
        help_text=_("Required for another purpose; otherwise the purpose's own name."),
    )  # fmt: skip
    allocation = models.DecimalField(
        _("allocation (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )
    item_code = models.CharField(
        _("cost item"), max_length=20, blank=True,
        help_text=_("The quality-cost item a payment for this purpose counts under, if any."),
    )  # fmt: skip

    class Meta:
        ordering = ["id"]
        verbose_name = _("fund purpose")
        verbose_name_plural = _("fund purposes")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "kind", "name"], condition=Q(voided_at__isnull=True),
                name="costs_purpose_unique_name",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Its own name, or the purpose's name in the reader's language."""
        return self.name or str(self.get_kind_display())


class SpendingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the CQO")
    PRINCIPAL = "principal", _("Awaiting the principal")
    APPROVED = "approved", _("Approved, to be paid")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses whose amount is taken from the balance, and those that hold it while awaiting.
COMMITTED = (SpendingStatus.APPROVED, SpendingStatus.PAID)
PENDING = (SpendingStatus.SUBMITTED, SpendingStatus.PRINCIPAL)


class FundSpending(VetoableMixin, Voidable):
    """A unit's application to spend from the fund (§8.1), decided by the CQO (and above the
    fund's threshold also by the principal) with an e-signature; vetoable (§6 i))."""

    veto_flow = VetoFlow(
        "status",
        (SpendingStatus.SUBMITTED, SpendingStatus.PRINCIPAL, SpendingStatus.APPROVED,
         SpendingStatus.PAID),
        final=(SpendingStatus.PAID, SpendingStatus.REJECTED, SpendingStatus.WITHDRAWN),
    )  # fmt: skip

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="spendings")
    purpose = models.ForeignKey(
        FundPurpose, verbose_name=_("purpose"), on_delete=models.PROTECT, related_name="spendings"
    )
    number = models.CharField(_("number"), max_length=24, unique=True)
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("applying unit"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    justification = models.TextField(_("justification"))
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    touches_safety = models.BooleanField(
        _("touches quality safety"), default=False,
        help_text=_("The CQO may veto a spending that touches quality safety (§6 i))."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=SpendingStatus.choices,
        default=SpendingStatus.SUBMITTED,
    )  # fmt: skip
    raised_by = models.ForeignKey(
        USER, verbose_name=_("applied by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("applied at"))
    approval = models.ForeignKey(
        "authorities.ApprovalRequest", verbose_name=_("approval request"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("fund spending")
        verbose_name_plural = _("fund spendings")
        permissions = [("pay_fundspending", "Can record a payment from the quality fund")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("costs:spending_detail", args=[self.pk])


class FundPayment(Voidable):
    """A payment made on an approved spending, with its voucher."""

    spending = models.ForeignKey(FundSpending, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("amount paid (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    paid_on = models.DateField(_("paid on"))
    voucher_no = models.CharField(_("voucher number"), max_length=60)
    voucher = models.FileField(
        _("voucher"), upload_to="costs/vouchers/%Y/", validators=[validate_upload]
    )
    voucher_sha256 = models.CharField(_("voucher SHA-256"), max_length=64)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("fund payment")
        verbose_name_plural = _("fund payments")

    def __str__(self) -> str:
        return f"{self.spending.number} {self.voucher_no}"


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel")


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class FundReportJob(models.Model):
    """The fund's year-end report (§8.1) built in the job queue with its progress; the file is
    kept with its size and SHA-256 (never built again silently: a new request is a new job)."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("special quality fund"), on_delete=models.PROTECT,
        related_name="report_jobs",
    )  # fmt: skip
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportJobStatus.choices,
        default=ReportJobStatus.QUEUED,
    )  # fmt: skip
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    content = models.BinaryField(_("content"), blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("fund report job")
        verbose_name_plural = _("fund report jobs")

    def __str__(self) -> str:
        return f"{self.file_name or self.format} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("costs:fund_report_job", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.status in (ReportJobStatus.QUEUED, ReportJobStatus.RUNNING)

    @property
    def download_name(self) -> str:
        """The file name for a Content-Disposition header: letters, digits, dots and dashes."""
        name = "".join(c for c in self.file_name if c.isascii() and (c.isalnum() or c in ".-_"))
        return name or f"fund-report-{self.pk}.{self.format}"

    @property
    def content_type(self) -> str:
        if self.format == ReportFormat.XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "application/pdf"
