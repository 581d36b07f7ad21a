"""Proposals to the decision layer (§6 b)) and the business decisions the CQO may veto (§6 i)):
a domain app on the kernel."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
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


# --- proposals to the decision layer (§6 b)) ----------------------------------------------


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    DEFERRED = "deferred", _("Deferred")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Proposal(VetoableMixin, Voidable):
    veto_flow = VetoFlow(
        "status",
        (ProposalStatus.OPEN, ProposalStatus.ACCEPTED),
        final=(ProposalStatus.ACCEPTED, ProposalStatus.REJECTED),
    )

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"))
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    addressee = models.ForeignKey(
        USER,
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The principal or member of the decision layer who must answer."),
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    answer_by = models.DateField(_("answer wanted by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    answered_by = models.ForeignKey(
        USER,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    @property
    def awaiting_answer(self) -> bool:
        """Open, or deferred to a date that has come: either way the decision layer owes one."""
        if self.voided_at is not None:
            return False
        if self.status == ProposalStatus.OPEN:
            return True
        return (
            self.status == ProposalStatus.DEFERRED
            and self.deferred_until is not None
            and self.deferred_until <= _today()
        )

    @property
    def age_days(self) -> int:
        """Days the proposal has waited for its (latest) answer."""
        if self.status == ProposalStatus.DEFERRED and self.deferred_until is not None:
            start = datetime.datetime.combine(
                self.deferred_until, datetime.time.min, tzinfo=timezone.get_current_timezone()
            )
            return max(0, (timezone.now() - start).days)
        end = self.answered_at if not self.awaiting_answer and self.answered_at else timezone.now()
        return max(0, (end - self.submitted_at).days)


# --- business decisions -----------------------------------------------------------------


class DecisionKind(models.TextChoices):
    PRODUCT_LAUNCH = "product_launch", _("Product launch")
    SUPPLIER_APPROVAL = "supplier_approval", _("Supplier approval")
    OTHER = "other", _("Other")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    IN_EFFECT = "in_effect", _("In effect")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BusinessDecision(VetoableMixin, Voidable):
    """A decision of the business the CQO may hold with a one-vote veto (§6 i))."""

    veto_flow = VetoFlow(
        "status",
        (
            DecisionStatus.DRAFT,
            DecisionStatus.SUBMITTED,
            DecisionStatus.APPROVED,
            DecisionStatus.IN_EFFECT,
        ),
        final=(DecisionStatus.IN_EFFECT, DecisionStatus.WITHDRAWN),
    )

    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    effective_at = models.DateTimeField(_("in effect from"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("business decision")
        verbose_name_plural = _("business decisions")

    def __str__(self) -> str:
        return self.title
