"""The registers part's records (§7.2.1.1–§7.2.1.3): the requirements register (sources, the
requirements they impose per product family, and the impact review a new version of a source
opens); the risk register on a configurable likelihood × severity matrix, its controls, and the
risk-control list (风险管控清单) published from it in versions; and the acknowledgements of key
posts' written responsibilities by their holders."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import Voidable

__all__ = [
    "ControlFrequency",
    "ControlList",
    "ImpactOutcome",
    "ImpactReview",
    "PostAcknowledgement",
    "Requirement",
    "RequirementSource",
    "Risk",
    "RiskControl",
    "RiskMatrix",
    "SourceKind",
    "responsibilities_digest",
]

USER = settings.AUTH_USER_MODEL


def _english() -> bool:
    return (get_language() or "").startswith("en")


# --- requirements register (§7.2.1.1) ------------------------------------------------------


class SourceKind(models.TextChoices):
    LAW = "law", _("Law or regulation")
    MANDATORY_STANDARD = "mandatory_standard", _("Mandatory standard")
    CUSTOMER = "customer", _("Customer safety requirement")
    MARKET = "market", _("Market safety requirement")
    OTHER = "other", _("Other requirement source")


class RequirementSource(Voidable):
    """A law, a mandatory standard, a customer's or a market's safety requirement document, in
    the version in force. A new version is recorded through the service, which opens an impact
    review; the old version stays in the history."""

    kind = models.CharField(_("kind of source"), max_length=20, choices=SourceKind.choices)
    code = models.CharField(_("source number"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    version = models.CharField(_("version in force"), max_length=40, blank=True)
    effective_on = models.DateField(_("in force since"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "code", "id"]
        verbose_name = _("requirement source")
        verbose_name_plural = _("requirement sources")

    def __str__(self) -> str:
        title = self.title_en if self.title_en and _english() else self.title
        return f"{self.code} {title}".strip()


class Requirement(Voidable):
    """What a source requires of one product family: the source's clause, the requirement in
    the enterprise's words, where it applies, who answers for it and when it is next reviewed."""

    source = models.ForeignKey(
        RequirementSource, verbose_name=_("source"), on_delete=models.PROTECT,
        related_name="requirements",
    )  # fmt: skip
    family = models.CharField(_("product family"), max_length=60, db_index=True)
    source_clause = models.CharField(_("clause of the source"), max_length=60, blank=True)
    text = models.TextField(_("requirement"))
    applicability = models.TextField(_("applicability"), blank=True)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    review_on = models.DateField(_("next review"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family", "source__code", "source_clause", "id"]
        verbose_name = _("safety requirement")
        verbose_name_plural = _("safety requirements")

    def __str__(self) -> str:
        return f"{self.family} · {self.source.code} {self.source_clause}".strip()


class ImpactOutcome(models.TextChoices):
    NO_IMPACT = "no_impact", _("No impact")
    REQUIREMENTS_UPDATED = "updated", _("Requirements updated")
    ACTION_NEEDED = "action", _("Action needed (risk register or process)")


class ImpactReview(Voidable):
    """The task a new version of a source opens: who reviews its impact on the requirements by
    when, and what they concluded."""

    source = models.ForeignKey(
        RequirementSource, verbose_name=_("source"), on_delete=models.PROTECT,
        related_name="reviews",
    )  # fmt: skip
    version_from = models.CharField(_("previous version"), max_length=40, blank=True)
    version_to = models.CharField(_("new version"), max_length=40)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    opened_by = models.ForeignKey(
        USER, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("review opened at"))
    outcome = models.CharField(
        _("review outcome"), max_length=12, choices=ImpactOutcome.choices, blank=True
    )
    outcome_text = models.TextField(_("findings"), blank=True)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["closed_at", "due_on", "id"]
        verbose_name = _("impact review")
        verbose_name_plural = _("impact reviews")

    def __str__(self) -> str:
        return f"{self.source.code} {self.version_from} → {self.version_to}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.voided_at is None


# --- risk register (§7.2.1.2) ---------------------------------------------------------------


def _default_levels() -> list[dict[str, Any]]:
    return [
        {"code": "low", "label": "低", "label_en": "Low", "colour": "#4caf50", "min": 1},
        {"code": "medium", "label": "中", "label_en": "Medium", "colour": "#ffc107", "min": 5},
        {"code": "high", "label": "高", "label_en": "High", "colour": "#ff7043", "min": 10},
        {"code": "extreme", "label": "极高", "label_en": "Very high", "colour": "#d32f2f",
         "min": 17},
    ]  # fmt: skip


def _default_likelihood() -> list[dict[str, str]]:
    return [
        {"label": "极少", "label_en": "Rare"},
        {"label": "不太可能", "label_en": "Unlikely"},
        {"label": "可能", "label_en": "Possible"},
        {"label": "很可能", "label_en": "Likely"},
        {"label": "几乎肯定", "label_en": "Almost certain"},
    ]


def _default_severity() -> list[dict[str, str]]:
    return [
        {"label": "轻微", "label_en": "Negligible"},
        {"label": "较小", "label_en": "Minor"},
        {"label": "中等", "label_en": "Moderate"},
        {"label": "严重", "label_en": "Major"},
        {"label": "灾难性", "label_en": "Catastrophic"},
    ]


class RiskMatrix(models.Model):
    """The enterprise's likelihood × severity matrix (one row; 5 × 5 by default). A cell's
    score is likelihood × severity; its level is the highest level whose ``min`` it reaches.
    ``likelihood``/``severity`` list the scale's labels from 1 up; ``levels`` are ordered by
    ``min``, each with a code, labels and a colour."""

    likelihood = models.JSONField(_("likelihood scale"), default=_default_likelihood)
    severity = models.JSONField(_("severity scale"), default=_default_severity)
    levels = models.JSONField(_("risk levels"), default=_default_levels)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")

    def __str__(self) -> str:
        return f"{len(self.likelihood)} × {len(self.severity)}"

    def level_of(self, likelihood: int | None, severity: int | None) -> dict[str, Any] | None:
        if not likelihood or not severity:
            return None
        score = likelihood * severity
        found = None
        for level in sorted(self.levels, key=lambda lv: int(lv["min"])):
            if score >= int(level["min"]):
                found = level
        return found

    @staticmethod
    def label(entry: dict[str, Any]) -> str:
        return (
            str(entry.get("label_en") or entry.get("label") or "")
            if _english()
            else str(entry.get("label") or entry.get("label_en") or "")
        )


class Risk(Voidable):
    """A hazard of a product family (or one item) at a process step: its cause and consequence,
    the inherent likelihood and severity, the controls (``RiskControl``), the residual
    likelihood and severity with them, and its owner."""

    code = models.CharField(_("risk number"), max_length=24, unique=True)
    family = models.CharField(_("product family"), max_length=60, db_index=True)
    item = models.ForeignKey(
        "masterdata.Item", verbose_name=_("item"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    process = models.CharField(_("process step"), max_length=200)
    hazard = models.TextField(_("hazard"))
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    severity = models.PositiveSmallIntegerField(
        _("consequence severity"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    residual_severity = models.PositiveSmallIntegerField(
        _("residual severity"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return f"{self.code} {self.hazard[:60]}"

    @property
    def score(self) -> int:
        return self.likelihood * self.severity

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_severity


class ControlFrequency(models.TextChoices):
    DAILY = "daily", _("Daily control")
    WEEKLY = "weekly", _("Weekly check")
    MONTHLY = "monthly", _("Monthly dispatch")


class RiskControl(Voidable):
    """One control of a risk: what is done, how often it is checked in the regime's records,
    and who records it. Its ``key`` (``control:<id>``) stays the same in every version of the
    risk-control list."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="controls"
    )
    text = models.TextField(_("control measure"))
    frequency = models.CharField(
        _("checked"), max_length=8, choices=ControlFrequency.choices,
        default=ControlFrequency.DAILY,
    )  # fmt: skip
    owner = models.ForeignKey(
        USER, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["risk__code", "id"]
        verbose_name = _("risk control")
        verbose_name_plural = _("risk controls")

    def __str__(self) -> str:
        return f"{self.risk.code} {self.text[:60]}"

    @property
    def key(self) -> str:
        return f"control:{self.pk}"


class ControlList(models.Model):
    """One published version of the risk-control list (风险管控清单): a frozen copy of the risk
    register's live risks and controls (``rows``), in force from ``effective_on`` until a later
    version. Versions are never edited or deleted; a correction is a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_on = models.DateField(_("in force from"))
    published_by = models.ForeignKey(
        USER, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    note = models.TextField(_("what changed"), blank=True)
    matrix = models.JSONField(_("matrix used"), default=dict)
    rows = models.JSONField(_("risks and controls"), default=list)
    digest = models.CharField(_("content digest"), max_length=64)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("risk-control list")
        verbose_name_plural = _("risk-control lists")

    def __str__(self) -> str:
        return f"V{self.version} ({self.effective_on:%Y-%m-%d})"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from cqo.core.models import ProtectedRecordError

        raise ProtectedRecordError(_("Quality records are voided with a reason, never deleted."))


# --- key posts (§7.2.1.3) -------------------------------------------------------------------


class PostAcknowledgement(Voidable):
    """A holder's acknowledgement of a key post's written responsibilities, as they read them
    (``text`` and its SHA-256 ``digest``): when the post's responsibilities change, the old
    acknowledgement no longer matches and the holder acknowledges again."""

    post = models.ForeignKey(
        "organisation.Post", verbose_name=_("post"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisation.Person", verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    acknowledged_by = models.ForeignKey(
        USER, verbose_name=_("acknowledged by"), on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"))
    text = models.TextField(_("responsibilities acknowledged"))
    digest = models.CharField(_("content digest"), max_length=64)

    class Meta:
        ordering = ["-acknowledged_at", "-id"]
        verbose_name = _("acknowledgement of post responsibilities")
        verbose_name_plural = _("acknowledgements of post responsibilities")

    def __str__(self) -> str:
        return f"{self.post} · {self.person}"


def responsibilities_digest(text: str) -> str:
    """The SHA-256 of a post's responsibilities as written (surrounding blanks ignored)."""
    return hashlib.sha256((text or "").strip().encode()).hexdigest()
