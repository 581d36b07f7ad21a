"""Quality strategy and plans (§6 a)): a domain app on the kernel. A plan is approved through
the authorities' approval inbox and may be vetoed (§6 i))."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.authorities.vetoable import (
    VetoableMixin,
    VetoFlow,
)
from cqo.core.models import Voidable

USER = settings.AUTH_USER_MODEL


def _today() -> datetime.date:
    return timezone.localdate()


# --- strategy and plans (§6 a)) ----------------------------------------------------------


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    RETIRED = "retired", _("Retired")


class QualityStrategy(Voidable):
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    status = models.CharField(
        _("status"), max_length=10, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "id"]
        verbose_name = _("quality strategy")
        verbose_name_plural = _("quality strategies")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="authorities_strategy_years_in_order",
                violation_error_message=_("The last year cannot come before the first."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned")


class QualityPlan(VetoableMixin, Voidable):
    veto_flow = VetoFlow(
        "status",
        (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.CLOSED),
        final=(PlanStatus.CLOSED,),  # an approved plan still goes forward (to closed)
    )

    strategy = models.ForeignKey(
        QualityStrategy,
        verbose_name=_("strategy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("quality plan")
        verbose_name_plural = _("quality plans")

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> int:
        items = [i for i in self.items.all() if i.voided_at is None]
        if not items:
            return 0
        return round(sum(i.progress for i in items) / len(items))


class PlanItem(Voidable):
    plan = models.ForeignKey(
        QualityPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="items"
    )
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        "organisation.Person", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("deadline"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="authorities_item_progress_at_most_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        return self.progress < 100 and self.due_date < _today()
