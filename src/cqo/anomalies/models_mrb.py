"""The review board (MRB) of a nonconformance (§6 c)): members' opinions and the dispositions of
its nonconforming quantity, each a decision the CQO may veto (§6 i)).

A disposition names what happens to part of the quantity (use as is, concession, rework, repair,
regrade, scrap, return to supplier). Those the enterprise's review policy sends to the CQO (a
concession, anything on a critical defect, anything above the policy's cost or quantity) wait
for an approval request of kind ``ncr_disposition``; the rest are decided by the board at once.
A decided disposition is carried out and then marked done; its estimated cost becomes a cost
entry (``models_costs``) on the NCR.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cqo.authorities.vetoable import VetoableMixin, VetoFlow
from cqo.core.models import Voidable

USER = settings.AUTH_USER_MODEL

__all__ = [
    "Disposition",
    "DispositionKind",
    "DispositionStatus",
    "OpinionStance",
    "ReviewOpinion",
    "ReviewPolicy",
]


class DispositionKind(models.TextChoices):
    USE_AS_IS = "use_as_is", _("Use as is")
    CONCESSION = "concession", _("Concession")
    REWORK = "rework", _("Rework")
    REPAIR = "repair", _("Repair")
    REGRADE = "regrade", _("Regrade")
    SCRAP = "scrap", _("Scrap")
    RETURN_TO_SUPPLIER = "return_to_supplier", _("Return to supplier")


class OpinionStance(models.TextChoices):
    AGREE = "agree", _("Agree")
    AGREE_WITH_CONDITIONS = "conditions", _("Agree with conditions")
    DISAGREE = "disagree", _("Disagree")
    NO_OPINION = "none", _("No opinion")


class ReviewOpinion(Voidable):
    """One board member's opinion on an NCR: what they recommend and why."""

    anomaly = models.ForeignKey(
        "anomalies.Anomaly",
        verbose_name=_("NCR"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    member = models.ForeignKey(
        USER, verbose_name=_("board member"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("representing"), max_length=80, blank=True)
    recommendation = models.CharField(
        _("recommended disposition"), max_length=20, choices=DispositionKind.choices, blank=True
    )
    stance = models.CharField(
        _("stance"), max_length=10, choices=OpinionStance.choices, default=OpinionStance.AGREE
    )
    text = models.TextField(_("opinion"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")

    def __str__(self) -> str:
        return f"{self.anomaly_id} · {self.member_id}"


class DispositionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting approval")
    DECIDED = "decided", pgettext_lazy("disposition", "Decided")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses whose quantity counts as dispositioned (or about to be).
LIVE_STATUSES = (DispositionStatus.SUBMITTED, DispositionStatus.DECIDED, DispositionStatus.DONE)


class Disposition(VetoableMixin, Voidable):
    """What happens to a quantity of an NCR's nonconforming product (§6 c)); vetoable (§6 i))."""

    veto_flow = VetoFlow(
        "status",
        (DispositionStatus.SUBMITTED, DispositionStatus.DECIDED, DispositionStatus.DONE),
        final=(DispositionStatus.DONE, DispositionStatus.REJECTED, DispositionStatus.WITHDRAWN),
    )

    anomaly = models.ForeignKey(
        "anomalies.Anomaly",
        verbose_name=_("NCR"),
        on_delete=models.PROTECT,
        related_name="dispositions",
    )
    lot = models.ForeignKey(
        "masterdata.Lot",
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("disposition"), max_length=20, choices=DispositionKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    reason = models.TextField(_("reason"))
    conditions = models.TextField(
        _("conditions"),
        blank=True,
        help_text=_("For a concession: where, for how long and under what conditions."),
    )
    unit_cost = models.DecimalField(
        _("unit cost (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(
        _("rework hours"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    hourly_rate = models.DecimalField(
        _("hourly rate (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost = models.DecimalField(
        _("estimated cost (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    needs_approval = models.BooleanField(_("needs the CQO's approval"), default=False)
    approval_grounds = models.CharField(_("why approval is needed"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DispositionStatus.choices,
        default=DispositionStatus.SUBMITTED,
    )
    approval = models.ForeignKey(
        "authorities.ApprovalRequest",
        verbose_name=_("approval request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    lot_released = models.BooleanField(_("lot conditionally released"), default=False)
    done_by = models.ForeignKey(
        USER,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("note on completion"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="anomalies_disposition_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            )
        ]
        indexes = [models.Index(fields=["anomaly", "status"], name="anomalies_disp_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.quantity.normalize():f}"

    def get_absolute_url(self) -> str:
        return reverse("anomalies:disposition_detail", args=[self.pk])


class ReviewPolicy(models.Model):
    """The enterprise's thresholds above which a disposition goes to the CQO (§6 c)); one row,
    edited by the CQO. Blank: no threshold of that kind."""

    cost_threshold = models.DecimalField(
        _("cost threshold (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("5000.00"),
    )
    quantity_threshold = models.DecimalField(
        _("quantity threshold"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    updated_by = models.ForeignKey(
        USER,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review policy")
        verbose_name_plural = _("review policies")

    def __str__(self) -> str:
        return str(_("Review policy"))
