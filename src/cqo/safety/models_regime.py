"""The regime part's records: daily control, weekly check and monthly dispatch (日管控、周排查、
月调度), the practice national rules for licensed and CCC producers turn the CQO's quality-safety
duty (§7.2.1, risk review §7.2.1.2) into, and the rectification tasks they raise.

- ``DailyRecord``: one per day, by a quality-safety officer, with a ``DailyCheck`` per daily
  control of the risk-control list in force that day (its key, code and text copied in, so a
  later version of the list never rewrites what was checked);
- ``WeeklyReport``: one per week (Monday to Sunday), by the quality-safety director (the CQO when
  one person holds both posts), with the problems found and their ``RectificationTask``s;
- ``MonthlyDispatch``: one per month, the CQO's (or director's) report, then the meeting the
  principal holds on it and the decisions recorded;
- ``RegimePolicy``: when each record is due (versioned: a change is a new row).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable
from cqo.core.uploads import validate_upload

__all__ = [
    "DailyCheck",
    "DailyRecord",
    "DispatchStatus",
    "MonthlyDispatch",
    "RectificationTask",
    "RegimePolicy",
    "TaskStatus",
    "WeeklyReport",
]

USER = settings.AUTH_USER_MODEL


class RegimePolicy(models.Model):
    """When the records are due. The newest row is in force; a change adds a row."""

    starts_on = models.DateField(
        _("records expected from"),
        help_text=_("Days, weeks and months before this date are never chased."),
    )
    daily_due_hour = models.PositiveSmallIntegerField(
        _("daily record due by (hour)"), default=18,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text=_("A day without its daily control record by this hour reminds the "
                    "quality-safety officers (§7.2.1.2)."),
    )  # fmt: skip
    weekends = models.BooleanField(
        _("daily records on Saturdays and Sundays too"), default=False,
    )  # fmt: skip
    weekly_due_days = models.PositiveSmallIntegerField(
        _("weekly report due (days after the week ends)"), default=1,
        validators=[MinValueValidator(0), MaxValueValidator(14)],
        help_text=_("A week without its check report by then is escalated to the CQO."),
    )  # fmt: skip
    monthly_due_day = models.PositiveSmallIntegerField(
        _("monthly dispatch due by (day of the next month)"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("A month without its dispatch meeting by then is escalated to the "
                    "principal (§7.2.1)."),
    )  # fmt: skip
    set_by = models.ForeignKey(USER, verbose_name=_("set by"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    set_at = models.DateTimeField(_("set at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("record schedule")
        verbose_name_plural = _("record schedules")

    def __str__(self) -> str:
        return str(_("Record schedule from %(day)s") % {"day": self.starts_on.isoformat()})


class DailyRecord(Voidable):
    """《每日质量安全检查记录》: the day's checks of the daily controls of the risk-control list."""

    day = models.DateField(_("day"))
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("daily control record")
        verbose_name_plural = _("daily control records")
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=Q(voided_at__isnull=True),
                name="safety_daily_record_one_per_day",
                violation_error_message=_("This day already has its daily control record."),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(_("Daily control record of %(day)s") % {"day": self.day.isoformat()})

    @property
    def late(self) -> bool:
        return self.recorded_at.date() > self.day


class DailyCheck(models.Model):
    """One control checked on a day: the control as the list stated it then, done or not, the
    finding, a photo. Written only with its record."""

    record = models.ForeignKey(DailyRecord, on_delete=models.PROTECT, related_name="checks")
    control_key = models.CharField(_("control key"), max_length=80)
    control_code = models.CharField(_("control code"), max_length=40)
    control_text = models.TextField(_("control"))
    risk_code = models.CharField(_("risk"), max_length=40, blank=True)
    done = models.BooleanField(_("done"))
    finding = models.TextField(_("what was found"), blank=True)
    photo = models.FileField(
        _("photo"), upload_to="safety/daily/%Y/%m/", blank=True, validators=[validate_upload]
    )

    class Meta:
        ordering = ["record", "control_code", "id"]
        verbose_name = _("daily check")
        verbose_name_plural = _("daily checks")
        constraints = [
            models.UniqueConstraint(fields=["record", "control_key"],
                                    name="safety_daily_check_one_per_control")
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.control_code} {self.control_text[:40]}"


class WeeklyReport(Voidable):
    """《每周质量安全排查治理报告》: the week's check by the quality-safety director."""

    week_start = models.DateField(_("week from (Monday)"))
    written_by = models.ForeignKey(USER, verbose_name=_("written by"), on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    written_at = models.DateTimeField(_("written at"))
    summary = models.TextField(_("how the week's controls went"))
    problems = models.TextField(_("problems found"), blank=True)
    conclusion = models.TextField(_("conclusion and next week's focus"), blank=True)
    # The week's figures when the report was written (days recorded, checks not done, findings).
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-week_start", "-id"]
        verbose_name = _("weekly check report")
        verbose_name_plural = _("weekly check reports")
        constraints = [
            models.UniqueConstraint(
                fields=["week_start"], condition=Q(voided_at__isnull=True),
                name="safety_weekly_report_one_per_week",
                violation_error_message=_("This week already has its check report."),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(_("Weekly check report of %(first)s – %(last)s")
                   % {"first": self.week_start.isoformat(), "last": self.week_end.isoformat()})  # fmt: skip

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=6)


class DispatchStatus(models.TextChoices):
    REPORTED = "reported", _("Report submitted")
    HELD = "held", _("Meeting held")


class MonthlyDispatch(Voidable):
    """《每月质量安全调度会议纪要》: the CQO's report on the month, then the principal's meeting
    on it and its decisions."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=10, choices=DispatchStatus.choices,
                              default=DispatchStatus.REPORTED)  # fmt: skip
    report = models.TextField(_("the CQO's report on the month"))
    reported_by = models.ForeignKey(USER, verbose_name=_("reported by"),
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    reported_at = models.DateTimeField(_("reported at"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    held_on = models.DateField(_("meeting held on"), null=True, blank=True)
    chaired_by = models.ForeignKey(
        USER, verbose_name=_("chaired by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    attendees = models.TextField(_("attendees"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("monthly dispatch")
        verbose_name_plural = _("monthly dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=Q(voided_at__isnull=True),
                name="safety_monthly_dispatch_one_per_month",
                violation_error_message=_("This month already has its dispatch record."),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(_("Monthly dispatch of %(month)s") % {"month": self.month.strftime("%Y-%m")})


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RectificationTask(Voidable):
    """A rectification task (整改任务) raised by a weekly report or a monthly dispatch: its owner,
    deadline, and the evidence it was closed with."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    weekly = models.ForeignKey(
        WeeklyReport, verbose_name=_("weekly check report"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )  # fmt: skip
    monthly = models.ForeignKey(
        MonthlyDispatch, verbose_name=_("monthly dispatch"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )  # fmt: skip
    problem = models.TextField(_("problem"))
    action = models.TextField(_("rectification required"))
    owner = models.ForeignKey(USER, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)  # fmt: skip
    raised_by = models.ForeignKey(USER, verbose_name=_("raised by"), on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    raised_at = models.DateTimeField(_("raised at"))
    evidence = models.TextField(_("evidence of rectification"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="safety/tasks/%Y/%m/", blank=True,
        validators=[validate_upload],
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "deadline", "id"]
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly__isnull=False) | Q(monthly__isnull=False),
                name="safety_task_has_a_source",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.number} {self.problem[:40]}"

    def overdue(self, today: datetime.date) -> bool:
        return self.status == TaskStatus.OPEN and today > self.deadline
