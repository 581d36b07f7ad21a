"""The clocks part's records: the regulator's deadlines of a recall (§7.2.1.4), counted in working
days on the calendar of ``cqo.core.workdays``.

A **profile** (per product regime: consumer goods, vehicles, others) is versioned: a change is a
new version; its **deadlines** each say which case event starts and which stops them, how many
working days they allow, where the rule comes from and whether it was verified. A **clock** on a
case is started by an event from the deadline of the version in force then, and keeps a copy of
what it was started with: its due date is fixed when it starts and no later profile version or
calendar correction rewrites it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable

from .models_case import RecallCase

__all__ = [
    "CaseClockProfile",
    "ClockDeadline",
    "ClockProfile",
    "ClockProfileVersion",
    "ClockRegime",
    "ClockStatus",
    "ClockUnit",
    "RecallClock",
]


def _in_language(zh: str, en: str) -> str:
    language = (translation.get_language() or "zh-hans").lower()
    return (en or zh) if language.startswith("en") else (zh or en)


class ClockRegime(models.TextChoices):
    CONSUMER_GOODS = "consumer_goods", _("Consumer goods (SAMR Order 19)")
    VEHICLES = "vehicles", _("Vehicles (State Council Order 626)")
    OTHER = "other", _("Other regime")


class ClockUnit(models.TextChoices):
    WORKDAYS = "workdays", _("working days")
    DAYS = "days", _("calendar days")


class ClockStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    MET = "met", _("Met")
    LATE = "late", _("Met late")
    WAIVED = "waived", _("Not applicable")


class ClockProfile(Voidable):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    regime = models.CharField(_("product regime"), max_length=20, choices=ClockRegime.choices)
    is_default = models.BooleanField(_("default for new cases"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "code"]
        verbose_name = _("clock profile")
        verbose_name_plural = _("clock profiles")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _in_language(self.name, self.name_en)

    def current(self) -> ClockProfileVersion | None:
        return self.versions.order_by("-number").first()


class ClockProfileVersion(models.Model):
    profile = models.ForeignKey(
        ClockProfile, verbose_name=_("clock profile"), on_delete=models.PROTECT,
        related_name="versions",
    )  # fmt: skip
    number = models.PositiveIntegerField(_("version"))
    note = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["profile", "-number"]
        verbose_name = _("clock profile version")
        verbose_name_plural = _("clock profile versions")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "number"], name="recall_clockprofileversion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile.code} v{self.number}"


class ClockDeadline(models.Model):
    version = models.ForeignKey(
        ClockProfileVersion, verbose_name=_("clock profile version"), on_delete=models.PROTECT,
        related_name="deadlines",
    )  # fmt: skip
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("deadline"), max_length=200)
    label_en = models.CharField(_("deadline in English"), max_length=200, blank=True)
    start_event = models.CharField(_("started by"), max_length=30)
    # Blank: the clock is stopped by hand on the clocks page.
    stop_event = models.CharField(_("stopped by event"), max_length=30, blank=True)
    count = models.PositiveIntegerField(_("time allowed"))
    unit = models.CharField(_("unit of time"), max_length=10, choices=ClockUnit.choices,
                            default=ClockUnit.WORKDAYS)  # fmt: skip
    warn_days = models.PositiveIntegerField(_("warn this many working days before"), default=1)
    source = models.CharField(_("source of the deadline"), max_length=300)
    verified = models.BooleanField(_("verified"), default=False)
    condition = models.CharField(_("applies when"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("clock deadline")
        verbose_name_plural = _("clock deadlines")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="recall_clockdeadline_unique")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def title(self) -> str:
        return _in_language(self.label, self.label_en)


class CaseClockProfile(models.Model):
    """The profile a case's clocks follow (the default profile until the CQO chooses)."""

    case = models.OneToOneField(
        RecallCase, verbose_name=_("recall case"), on_delete=models.PROTECT,
        related_name="clock_profile",
    )  # fmt: skip
    profile = models.ForeignKey(
        ClockProfile, verbose_name=_("clock profile"), on_delete=models.PROTECT, related_name="+"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("case clock profile")
        verbose_name_plural = _("case clock profiles")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.profile_id}"


class RecallClock(Voidable):
    """One regulator deadline running on a case. Everything the deadline said when the clock
    started is copied here; ``due_on`` is fixed then and never recomputed."""

    case = models.ForeignKey(
        RecallCase, verbose_name=_("recall case"), on_delete=models.PROTECT, related_name="clocks"
    )
    deadline = models.ForeignKey(
        ClockDeadline, verbose_name=_("clock deadline"), on_delete=models.PROTECT,
        related_name="clocks",
    )  # fmt: skip
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("deadline"), max_length=200)
    label_en = models.CharField(_("deadline in English"), max_length=200, blank=True)
    start_event = models.CharField(_("started by"), max_length=30)
    stop_event = models.CharField(_("stopped by event"), max_length=30, blank=True)
    count = models.PositiveIntegerField(_("time allowed"))
    unit = models.CharField(_("unit of time"), max_length=10, choices=ClockUnit.choices)
    warn_days = models.PositiveIntegerField(_("warn this many working days before"), default=1)
    source = models.CharField(_("source of the deadline"), max_length=300)
    verified = models.BooleanField(_("verified"), default=False)
    condition = models.CharField(_("applies when"), max_length=300, blank=True)
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    # The calendar did not cover every year of the count when the clock started.
    provisional = models.BooleanField(_("provisional due date"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ClockStatus.choices,
                              default=ClockStatus.RUNNING)  # fmt: skip
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stopped_by_event = models.CharField(_("stopping event"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("recall clock")
        verbose_name_plural = _("recall clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "key"],
                condition=models.Q(voided_at__isnull=True),
                name="recall_clock_one_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="recall_clock_status_due")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key}"

    @property
    def title(self) -> str:
        return _in_language(self.label, self.label_en)
