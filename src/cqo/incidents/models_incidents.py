"""Quality incidents (质量事故 / 质量安全事件): the report with its level, the enterprise's
incident-reporting rules in force when it was reported, and the investigation led by the CQO or a
delegate of the investigation authority (§6 d), §7.2.1.3)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable

__all__ = [
    "LEVEL_ORDER",
    "DeciderRole",
    "Incident",
    "IncidentLevel",
    "IncidentRules",
    "IncidentStatus",
    "Responsibility",
    "ResponsibilityKind",
    "TeamMember",
    "TimelineEntry",
]

USER = settings.AUTH_USER_MODEL
ZERO = Decimal("0")


class IncidentLevel(models.TextChoices):
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    MAJOR = "major", _("Major")


LEVEL_ORDER = {IncidentLevel.GENERAL: 0, IncidentLevel.SERIOUS: 1, IncidentLevel.MAJOR: 2}


class DeciderRole(models.TextChoices):
    PRINCIPAL = "principal", _("The principal")
    CQO = "cqo", _("The CQO")


class IncidentRules(Voidable):
    """One version of the enterprise's incident-reporting and penalty rules. A change is a new
    version; an incident keeps the version it was reported under."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("rules text"))
    serious_loss = models.DecimalField(
        _("serious from a loss of (yuan)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )  # fmt: skip
    major_loss = models.DecimalField(
        _("major from a loss of (yuan)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )  # fmt: skip
    serious_injuries = models.PositiveIntegerField(_("serious from injured people"))
    major_injuries = models.PositiveIntegerField(_("major from injured people"))
    major_deaths = models.PositiveIntegerField(_("major from deaths"), default=1)
    general_hours = models.PositiveIntegerField(_("report a general incident within (hours)"))
    serious_hours = models.PositiveIntegerField(_("report a serious incident within (hours)"))
    major_hours = models.PositiveIntegerField(_("report a major incident within (hours)"))
    general_report_to = models.CharField(_("a general incident is reported to"), max_length=200)
    serious_report_to = models.CharField(_("a serious incident is reported to"), max_length=200)
    major_report_to = models.CharField(_("a major incident is reported to"), max_length=200)
    decider_role = models.CharField(
        _("penalties are decided by"), max_length=20, choices=DeciderRole.choices,
        default=DeciderRole.PRINCIPAL,
    )  # fmt: skip
    hearing_days = models.PositiveIntegerField(
        _("days the person has to answer"), default=5, validators=[MinValueValidator(1)]
    )
    set_by = models.ForeignKey(USER, verbose_name=_("set by"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    set_at = models.DateTimeField(_("set at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("incident rules")
        verbose_name_plural = _("incident rules")

    def __str__(self) -> str:
        return str(_("Incident rules, version %(version)s") % {"version": self.version})

    def level_for(self, *, loss: Decimal, injuries: int, deaths: int) -> str:
        """The level the thresholds give: the worst that any measure of harm or loss reaches."""
        if (
            deaths >= self.major_deaths
            or injuries >= self.major_injuries
            or loss >= self.major_loss
        ):
            return IncidentLevel.MAJOR
        if injuries >= self.serious_injuries or loss >= self.serious_loss:
            return IncidentLevel.SERIOUS
        return IncidentLevel.GENERAL

    def hours_for(self, level: str) -> int:
        return int(getattr(self, f"{level}_hours"))

    def report_to_for(self, level: str) -> str:
        return str(getattr(self, f"{level}_report_to"))


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Under investigation")
    CONCLUDED = "concluded", _("Investigation concluded")
    CLOSED = "closed", _("Closed")


class Incident(Voidable):
    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit where it happened"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    item = models.ForeignKey(
        "masterdata.Item", verbose_name=_("item"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    loss = models.DecimalField(
        _("direct loss (yuan)"), max_digits=14, decimal_places=2, default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )  # fmt: skip
    injuries = models.PositiveIntegerField(_("injured people"), default=0)
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    harm = models.TextField(_("other harm"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=IncidentLevel.choices)
    level_by_rules = models.CharField(
        _("level by the thresholds"), max_length=10, choices=IncidentLevel.choices
    )
    level_reason = models.TextField(_("reason for the level"), blank=True)
    rules = models.ForeignKey(
        IncidentRules, verbose_name=_("rules in force"), on_delete=models.PROTECT,
        related_name="incidents",
    )  # fmt: skip
    reported_by = models.ForeignKey(USER, verbose_name=_("reported by"), on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    reported_at = models.DateTimeField(_("reported at"))
    report_due_at = models.DateTimeField(_("to be reported onward by"))
    reported_onward_at = models.DateTimeField(_("reported onward at"), null=True, blank=True)
    reported_onward_to = models.CharField(_("reported onward to"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=IncidentStatus.choices,
        default=IncidentStatus.REPORTED,
    )  # fmt: skip
    lead = models.ForeignKey(
        USER, verbose_name=_("investigation led by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    investigation_opened_at = models.DateTimeField(_("investigation opened at"), null=True,
                                                   blank=True)  # fmt: skip
    facts = models.TextField(_("facts established"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        USER, verbose_name=_("concluded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    ncr_requested_at = models.DateTimeField(_("nonconformance requested at"), null=True,
                                            blank=True)  # fmt: skip
    ncr_ref = models.CharField(_("nonconformance"), max_length=80, blank=True)
    ncr_url = models.CharField(_("nonconformance page"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("quality incident")
        verbose_name_plural = _("quality incidents")
        indexes = [models.Index(fields=["status", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def report_overdue(self, now: datetime.datetime) -> bool:
        return self.reported_onward_at is None and now > self.report_due_at


class TeamMember(Voidable):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(USER, verbose_name=_("member"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    task = models.CharField(_("task in the team"), max_length=200, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("investigation team member")
        verbose_name_plural = _("investigation team members")

    def __str__(self) -> str:
        return str(self.user)


class TimelineEntry(Voidable):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField(_("when"))
    text = models.TextField(_("what happened or was found"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:40]}"


class ResponsibilityKind(models.TextChoices):
    DIRECT = "direct", _("Direct responsibility")
    MAIN = "main", _("Main responsibility")
    LEADERSHIP = "leadership", _("Leadership responsibility")
    SECONDARY = "secondary", _("Secondary responsibility")


class Responsibility(Voidable):
    """A finding of the investigation: which unit or person bears which responsibility."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="responsibilities"
    )
    person = models.ForeignKey(
        "organisation.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("responsibility"), max_length=12, choices=ResponsibilityKind.choices)
    finding = models.TextField(_("finding"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self) -> str:
        return f"{self.person or self.unit}: {self.get_kind_display()}"
