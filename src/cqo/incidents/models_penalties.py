"""Penalties by procedure (§6 d)): proposed, the person told and heard (申辩), decided by the
role the enterprise's rules name, then on the person's and the unit's quality record. A decision
is never edited: a revision is a new decision that supersedes the old one, and both are kept."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable

from .models_incidents import Incident

__all__ = [
    "MEASURE_WEIGHT",
    "HearingOutcome",
    "Measure",
    "Penalty",
    "PenaltyDecision",
    "PenaltyStatus",
    "Verdict",
]

USER = settings.AUTH_USER_MODEL
ZERO = Decimal("0")


class Measure(models.TextChoices):
    WARNING = "warning", _("Disciplinary warning")
    CRITICISM = "criticism", _("Notice of criticism")
    FINE = "fine", _("Fine")
    DEMERIT = "demerit", _("Demerit")
    DEMOTION = "demotion", _("Demotion")
    OTHER = "other", _("Other measure")


MEASURE_WEIGHT: dict[str, int] = {
    Measure.WARNING: 1, Measure.CRITICISM: 2, Measure.FINE: 3, Measure.DEMERIT: 4,
    Measure.DEMOTION: 5, Measure.OTHER: 3,
}  # fmt: skip


class PenaltyStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    NOTIFIED = "notified", _("Person told, hearing open")
    HEARD = "heard", _("Heard, awaiting decision")
    DECIDED = "decided", _("Decided, final")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HearingOutcome(models.TextChoices):
    STATEMENT = "statement", _("Statement recorded")
    WINDOW_PASSED = "window_passed", _("No statement within the hearing window")


class Penalty(Voidable):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="penalties")
    number = models.CharField(_("number"), max_length=24, unique=True)
    person = models.ForeignKey(
        "organisation.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    basis = models.TextField(_("basis (rule and article)"))
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(ZERO)],
    )  # fmt: skip
    measure_text = models.CharField(_("measure in words"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PenaltyStatus.choices,
        default=PenaltyStatus.PROPOSED,
    )  # fmt: skip
    decider_role = models.CharField(_("decided by (role)"), max_length=20)
    proposed_by = models.ForeignKey(USER, verbose_name=_("proposed by"), on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    proposed_at = models.DateTimeField(_("proposed at"))
    notice = models.TextField(_("notice to the person"), blank=True)
    notified_by = models.ForeignKey(
        USER, verbose_name=_("told by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)
    hearing_until = models.DateTimeField(_("may answer until"), null=True, blank=True)
    statement = models.TextField(_("the person's statement (申辩)"), blank=True)
    hearing_outcome = models.CharField(
        _("hearing"), max_length=15, choices=HearingOutcome.choices, blank=True
    )
    heard_by = models.ForeignKey(
        USER, verbose_name=_("hearing recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    heard_at = models.DateTimeField(_("heard at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(unit__isnull=False),
                name="incidents_penalty_person_or_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person or self.unit}"

    @property
    def current_decision(self) -> PenaltyDecision | None:
        """The decision no later one revises (the old ones stay, never edited)."""
        decisions = [d for d in self.decisions.all() if d.voided_at is None]
        revised = {d.supersedes_id for d in decisions}
        current = [d for d in decisions if d.pk not in revised]
        return current[-1] if current else None


class Verdict(models.TextChoices):
    IMPOSE = "impose", _("Impose")
    DISMISS = "dismiss", _("No penalty")


class PenaltyDecision(Voidable):
    """A decision on a penalty. Final as recorded; a revision is a new row superseding this."""

    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, related_name="decisions")
    verdict = models.CharField(_("decision outcome"), max_length=10, choices=Verdict.choices)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(ZERO)],
    )  # fmt: skip
    reasons = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(USER, verbose_name=_("decision made by"), on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decision made at"))
    supersedes = models.OneToOneField(
        "self", verbose_name=_("revises"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="superseded_by",
    )  # fmt: skip

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("penalty decision")
        verbose_name_plural = _("penalty decisions")

    def __str__(self) -> str:
        return f"{self.penalty.number} {self.get_verdict_display()}"
