"""Quality objectives (§7.1.2) and their appraisal (§6 g), §7.1.7).

- ``Objective``: an objective of the enterprise (no parent) or of a unit, cascaded from a parent
  objective; its measure is a registered metric (``cqo.core.metrics``) or "entered with
  evidence"; a target, a tolerance (the amber band, in the measure's unit), a period and an
  owner. Its actual is computed from the registry for the period and per month, or entered.
- ``ObjectiveActual``: an actual entered for a month with its evidence (an upload); a new one
  for the same month voids the old.
- ``AppraisalRound``: a scheme for a period and for units or people — the objectives weighed,
  points for green / amber / red, deductions per penalty from the quality record; its scores
  computed and proposed, reviewed by someone else, then signed by the CQO through the approval
  inbox with an e-signature (``appraisal_round``), never by whoever proposed or reviewed it.
- ``Appraisal``: one unit's or one person's score in a round, with its breakdown kept as it was
  computed (the figures do not move once proposed).
- ``AppraisalAppeal``: the person's appeal against their signed score, answered by someone else.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cqo.core.metrics import Direction
from cqo.core.models import Voidable
from cqo.core.uploads import validate_upload

USER = settings.AUTH_USER_MODEL
ENTERED = ""  # an objective whose measure is entered with evidence has no metric key


class Objective(Voidable):
    number = models.CharField(_("objective number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("cascaded from"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )  # fmt: skip
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    metric = models.CharField(pgettext_lazy("objective", "measure"), max_length=60, blank=True)
    measure_name = models.CharField(_("measure (entered)"), max_length=120, blank=True)
    measure_unit = models.CharField(_("unit of the measure"), max_length=30, blank=True)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    tolerance = models.DecimalField(
        _("tolerance (amber band)"), max_digits=16, decimal_places=4, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    first = models.DateField(_("period from"))
    last = models.DateField(_("period to"))
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first", "number"]
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        permissions = [("enter_objectiveactual", "Enter an objective's actual")]
        constraints = [
            models.CheckConstraint(
                condition=Q(last__gte=models.F("first")), name="perf_objective_period",
                violation_error_message=_("The period ends on or after its first day."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("performance:objective_detail", args=[self.pk])

    @property
    def computed(self) -> bool:
        return bool(self.metric)


class ObjectiveActual(Voidable):
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="actuals"
    )
    month = models.DateField(_("month"))  # its first day
    value = models.DecimalField(_("actual"), max_digits=16, decimal_places=4)
    evidence = models.FileField(
        _("evidence"), upload_to="performance/evidence/%Y/", validators=[validate_upload]
    )
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        USER, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["objective_id", "month", "id"]
        verbose_name = _("entered actual")
        verbose_name_plural = _("entered actuals")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "month"], condition=Q(voided_at__isnull=True),
                name="perf_actual_one_per_month",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.objective.number} {self.month:%Y-%m}"


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("Units")
    PERSON = "person", _("People")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Scores proposed")
    REVIEWED = "reviewed", _("Reviewed, awaiting the CQO's signature")
    SIGNED = "signed", _("Signed by the CQO")
    RETURNED = "returned", _("Returned")


class AppraisalRound(Voidable):
    number = models.CharField(_("round number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subject_kind = models.CharField(_("appraised"), max_length=6, choices=SubjectKind.choices)
    first = models.DateField(_("period from"))
    last = models.DateField(_("period to"))
    points_green = models.DecimalField(
        _("points when green"), max_digits=6, decimal_places=2, default=Decimal(100)
    )
    points_amber = models.DecimalField(
        _("points when amber"), max_digits=6, decimal_places=2, default=Decimal(60)
    )
    points_red = models.DecimalField(
        _("points when red"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    deduction_per_penalty = models.DecimalField(
        _("deduction per penalty"), max_digits=6, decimal_places=2, default=Decimal(5),
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    deduction_cap = models.DecimalField(
        _("deductions at most"), max_digits=6, decimal_places=2, default=Decimal(20),
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    # Credits for improvement results (§6 g)): each reward decided under an enterprise rule
    # (§7.2.4.2) in the period, capped so that rewards cannot hide missed objectives.
    credit_per_reward = models.DecimalField(
        _("credit per reward"), max_digits=6, decimal_places=2, default=Decimal(5),
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    credit_cap = models.DecimalField(
        _("credits at most"), max_digits=6, decimal_places=2, default=Decimal(10),
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        USER, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    approval = models.ForeignKey(
        "authorities.ApprovalRequest", verbose_name=_("approval request"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first", "-id"]
        verbose_name = _("appraisal round")
        verbose_name_plural = _("appraisal rounds")
        permissions = [
            ("propose_appraisalround", "Compute and propose an appraisal round"),
            ("review_appraisalround", "Review an appraisal round"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last__gte=models.F("first")), name="perf_round_period",
                violation_error_message=_("The period ends on or after its first day."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("performance:round_detail", args=[self.pk])


class RoundObjective(models.Model):
    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("appraisal round"), on_delete=models.PROTECT,
        related_name="weights",
    )  # fmt: skip
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["round_id", "id"]
        verbose_name = _("weighed objective")
        verbose_name_plural = _("weighed objectives")
        constraints = [
            models.UniqueConstraint(fields=["round", "objective"], name="perf_round_objective"),
        ]

    def __str__(self) -> str:
        return f"{self.round.number} {self.objective.number} × {self.weight}"


class Appraisal(models.Model):
    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("appraisal round"), on_delete=models.PROTECT,
        related_name="appraisals",
    )  # fmt: skip
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    person = models.ForeignKey(
        USER, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    objective_points = models.DecimalField(_("objective points"), max_digits=8, decimal_places=2)
    deductions = models.DecimalField(_("deductions"), max_digits=8, decimal_places=2)
    credits = models.DecimalField(_("credits"), max_digits=8, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["round_id", "-score", "id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        permissions = [("export_appraisal", "Export appraisals for HR")]

    def __str__(self) -> str:
        who = self.unit if self.unit_id else self.person
        return f"{self.round.number} {who}"

    def get_absolute_url(self) -> str:
        return reverse("performance:appraisal_detail", args=[self.pk])


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", pgettext_lazy("appeal status", "Answered")


class AppraisalAppeal(models.Model):
    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.PROTECT, related_name="appeals"
    )
    grounds = models.TextField(_("grounds of the appeal"))
    raised_by = models.ForeignKey(
        USER, verbose_name=_("appealed by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("appealed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        USER, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        permissions = [("answer_appraisalappeal", "Answer an appeal")]

    def __str__(self) -> str:
        return f"{self.appraisal} · {self.get_status_display()}"
