"""The ledger part's records: the quality-cost ledger (§7.1.5, §7.2.3.7).

- ``ChartItem``: an item the enterprise added to the chart of cost items. The seeded items are
  ``cqo.core.costs.COST_ITEMS`` (code, category, label in the reader's language); they are not
  copied into the database, so a seeded code can never be retyped. An added item has its own code
  under one of the five categories, and is voided (not deleted) when no longer used.
- ``LedgerLine``: one cost in yuan (Decimal, two places) on a day of a month, typed with a chart
  item, with its dimensions (unit, product, supplier, customer). A line is never changed or
  deleted: a correction is a *reversal* (a line of the opposite amount that names the line it
  reverses) and, where needed, a new line. A line pulled from a registered cost source keeps the
  source's code and key (unique together: a source line is recorded once) and the record's name
  and URL.
- ``MonthClose``: a closed month; no line is dated in it afterwards.
- ``BaseFigure``: finance's figure for a month (sales revenue, output value, profit), entered or
  imported by a finance keeper; a new figure for the same month and kind voids the old one.
- ``FinanceKeeper``: a user the CQO names to keep the finance figures.
- ``LedgerJob``: long work (an import, a pull from the sources) run in the job queue, with its
  progress and its result; also the parent record of the lines it wrote (one audit event).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqo.core.costs import CostCategory
from cqo.core.models import Voidable

USER = settings.AUTH_USER_MODEL

__all__ = [
    "BaseFigure",
    "BaseKind",
    "ChartItem",
    "FinanceKeeper",
    "JobKind",
    "JobStatus",
    "LedgerJob",
    "LedgerLine",
    "LineOrigin",
    "MonthClose",
]


class ChartItem(Voidable):
    """An item added to the chart of cost items under one of the five categories."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class LineOrigin(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported from Excel")
    API = "api", _("Through the API")
    SOURCE = "source", _("From a cost source")
    REVERSAL = "reversal", _("Reversal")


class JobKind(models.TextChoices):
    LINES = "lines", _("Import of cost lines")
    FIGURES = "figures", _("Import of finance figures")
    SYNC = "sync", _("Lines pulled from the cost sources")
    BULK = "bulk", _("Lines written in bulk")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


class LedgerJob(models.Model):
    """Long work in the job queue with its progress; the parent of the lines it wrote."""

    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    content = models.BinaryField(_("content"), blank=True, editable=False)
    first = models.DateField(_("from"), null=True, blank=True)
    last = models.DateField(_("to"), null=True, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    written = models.PositiveIntegerField(_("lines written"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger job")
        verbose_name_plural = _("ledger jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class LedgerLine(models.Model):
    """One quality cost in the ledger; never changed, reversed when wrong."""

    month = models.DateField(_("month"))  # the first day of the line's month
    date = models.DateField(_("date"))
    item_code = models.CharField(_("cost item"), max_length=30)
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "masterdata.Item",
        verbose_name=_("product"),
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
    origin = models.CharField(_("origin"), max_length=20, choices=LineOrigin.choices)
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_key = models.CharField(_("source key"), max_length=120, blank=True)
    source_record = models.CharField(_("source record"), max_length=200, blank=True)
    source_url = models.CharField(_("source link"), max_length=300, blank=True)
    source_date = models.DateField(_("incurred on (source)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    job = models.ForeignKey(
        LedgerJob,
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        indexes = [
            # Covering the report by month x category x unit: read from the index alone.
            models.Index(
                fields=["month", "category", "unit", "amount"], name="costs_line_month_cat_unit"
            ),
            # The report page's other groupings (by item and category, by product), each read
            # from its index alone: without them a year of the large ledger was a table walk
            # (3.9 s on SQLite, docs/performance.md).
            models.Index(
                fields=["month", "item_code", "category", "amount"],
                name="costs_line_month_item_cat",
            ),
            models.Index(fields=["month", "product", "amount"], name="costs_line_month_product"),
            models.Index(fields=["date"], name="costs_line_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~models.Q(source_key=""),
                name="costs_line_source_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.item_code} · {self.amount}"


class MonthTotal(models.Model):
    """A closed month's ledger summed by category × item × unit × product, written once by the
    month's close (§7.1.5). A closed month's lines never change (corrections are reversals in an
    open month), so the report reads these rows for closed months instead of walking the lines:
    a year of the large ledger is some 7,000 rows here against 330,000 lines
    (docs/performance.md)."""

    month = models.DateField(_("month"))
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    item_code = models.CharField(_("cost item"), max_length=30)
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    product = models.ForeignKey(
        "masterdata.Item", verbose_name=_("product"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    total = models.DecimalField(_("total (yuan)"), max_digits=18, decimal_places=2)
    lines = models.PositiveIntegerField(_("lines"))

    class Meta:
        verbose_name = _("closed month's total")
        verbose_name_plural = _("closed months' totals")
        indexes = [models.Index(fields=["month", "category"], name="costs_monthtotal_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.item_code}: {self.total}"


class MonthClose(models.Model):
    """A closed month: locked, no line is dated in it any more (§7.1.5)."""

    month = models.DateField(_("month"), unique=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    total = models.DecimalField(_("total (yuan)"), max_digits=18, decimal_places=2)
    lines = models.PositiveIntegerField(_("lines"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")


class BaseKind(models.TextChoices):
    SALES = "sales", _("Sales revenue")
    OUTPUT = "output", _("Output value")
    PROFIT = "profit", _("Profit")


class BaseFigure(Voidable):
    """Finance's figure of a month, the base of the cost ratios (per 100 yuan)."""

    month = models.DateField(_("month"))
    kind = models.CharField(_("figure"), max_length=10, choices=BaseKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        USER, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "kind"]
        verbose_name = _("finance figure")
        verbose_name_plural = _("finance figures")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind"],
                condition=models.Q(voided_at__isnull=True),
                name="costs_base_figure_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.kind} · {self.amount}"


class FinanceKeeper(Voidable):
    """A user who keeps finance's figures, named by the CQO."""

    user = models.ForeignKey(
        USER, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    named_by = models.ForeignKey(
        USER, verbose_name=_("named by"), on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)

    class Meta:
        ordering = ["-named_at"]
        verbose_name = _("finance keeper")
        verbose_name_plural = _("finance keepers")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(voided_at__isnull=True),
                name="costs_finance_keeper_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)
