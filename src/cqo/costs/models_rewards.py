"""The rewards part's records (§7.2.4.2): the enterprise's reward and penalty rules, each with its
basis, set by the CQO; and the decisions taken under them about a person or a unit, raised by a
member with the evidence and decided by the CQO. A decided reward is paid from the special
quality fund (a ``FundSpending`` under the improvement-rewards purpose); a decided penalty goes
on the person's or unit's quality record. Penalties decided after an incident stay in the
incidents app (§6 d)); these are the enterprise's own rules.

Amounts are yuan with two places, never floats. Nothing is deleted: voided with a reason."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cqo.core.models import Voidable
from cqo.core.uploads import validate_upload

__all__ = ["DecisionStatus", "RewardDecision", "RewardKind", "RewardRule"]

USER = settings.AUTH_USER_MODEL


class RewardKind(models.TextChoices):
    REWARD = "reward", _("Reward")
    PENALTY = "penalty", _("Penalty")


class RewardRule(Voidable):
    """A rule of rewards and penalties with its basis (a clause of the standard or the
    enterprise's own rule), its amount range or points, and the period it applies in."""

    code = models.CharField(_("code"), max_length=30)
    kind = models.CharField(_("kind"), max_length=8, choices=RewardKind.choices)
    title = models.CharField(_("title"), max_length=200)
    basis = models.TextField(_("basis"))
    amount_min = models.DecimalField(
        _("lowest amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    amount_max = models.DecimalField(
        _("highest amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    active_from = models.DateField(_("applies from"))
    active_to = models.DateField(_("applies to"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("set at"))

    class Meta:
        ordering = ["code", "id"]
        verbose_name = _("reward or penalty rule")
        verbose_name_plural = _("reward and penalty rules")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(voided_at__isnull=True),
                name="costs_rewardrule_unique_code",
            )
        ]  # fmt: skip
        permissions = [("void_rewardrule", "Can void a reward or penalty rule")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("costs:reward_rule_detail", args=[self.pk])


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the CQO")
    DECIDED = "decided", _("Decided by the CQO")
    REJECTED = "rejected", _("Rejected")


class RewardDecision(Voidable):
    """A reward or a penalty under a rule, about one person or one unit, with its evidence."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    rule = models.ForeignKey(
        RewardRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=RewardKind.choices)
    person = models.ForeignKey(
        "organisation.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    evidence = models.FileField(
        _("evidence"), upload_to="costs/rewards/%Y/", blank=True, validators=[validate_upload]
    )
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64, blank=True)
    source_ref = models.CharField(_("source record"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices,
        default=DecisionStatus.PROPOSED,
    )  # fmt: skip
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"))
    decided_by = models.ForeignKey(
        USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    spending = models.ForeignKey(
        "costs.FundSpending", verbose_name=_("fund spending"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    fund_refusal = models.TextField(_("refused by the fund"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("reward or penalty decision")
        verbose_name_plural = _("reward and penalty decisions")
        permissions = [("decide_rewarddecision", "Can decide a reward or penalty")]

    def __str__(self) -> str:
        return f"{self.number} {self.rule.title}"

    def get_absolute_url(self) -> str:
        return reverse("costs:reward_decision_detail", args=[self.pk])

    @property
    def concerned(self) -> str:
        if self.person is not None:
            return str(self.person.name)
        return str(self.unit.name) if self.unit is not None else ""
