"""Records of the CQO's authorities (§6): delegations, the approval inbox, strategy and plans,
proposals to the decision layer, business decisions, vetoes and notifications.

Who may do what is decided by the engine (``engine.holds``) through the rules in ``rules.py``;
these models only hold what happened. Nothing here is hard-deleted: delegations are revoked,
requests withdrawn, decisions voided, all with a reason.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import ProtectedRecordError, Voidable, VoidableQuerySet

from .catalogue import AUTHORITY_CHOICES, BY_CODE
from .vetoable import (
    VetoableMixin,
    VetoFlow,
    veto_locked_columns,
    veto_row_guard,
    veto_rows_guard_update,
)

USER = settings.AUTH_USER_MODEL


def _today() -> datetime.date:
    return timezone.localdate()


# --- delegation ---------------------------------------------------------------------------


class DelegationQuerySet(VoidableQuerySet):
    def in_force(self, on: datetime.date | None = None) -> DelegationQuerySet:
        """Not revoked and within its own dates. The engine also checks the delegator still
        holds the authority (an appointment that ended ends the delegations made under it)."""
        day = on or _today()
        return self.filter(
            revoked_at__isnull=True, voided_at__isnull=True, start_date__lte=day, end_date__gte=day
        )


class Delegation(Voidable):
    """The CQO (or a holder) hands one authority to a named person, for named units and a period."""

    authority = models.CharField(
        _("authority"),
        max_length=1,
        choices=AUTHORITY_CHOICES,
        help_text=_("One of the nine authorities of §6 a)–i)."),
    )
    delegator = models.ForeignKey(
        USER, verbose_name=_("delegated by"), on_delete=models.PROTECT, related_name="+"
    )
    delegate = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
        help_text=_("The named person who may exercise the authority."),
    )
    units = models.ManyToManyField(
        "organisation.Unit",
        verbose_name=_("units"),
        related_name="+",
        help_text=_("The delegation covers these units and everything below them."),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), help_text=_("Last day the delegation is in force."))
    scope_note = models.TextField(_("scope and conditions"), blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("delegated under"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_delegations",
        help_text=_("Empty when the CQO delegated directly."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = DelegationQuerySet.as_manager()  # type: ignore[assignment,misc]
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        indexes = [models.Index(fields=["authority", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="authorities_delegation_ends_after_start",
                violation_error_message=_("A delegation cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.clause} → {self.delegate} ({self.start_date}–{self.end_date})"

    @property
    def clause(self) -> str:
        return BY_CODE[self.authority].clause

    @property
    def authority_label(self) -> Any:
        return BY_CODE[self.authority].label

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def status_on(self, day: datetime.date | None = None) -> str:
        day = day or _today()
        if self.revoked_at is not None:
            return "revoked"
        if day < self.start_date:
            return "future"
        if day > self.end_date:
            return "expired"
        return "in_force"


# --- the one-vote veto ---------------------------------------------------------------------


class VetoQuerySet(models.QuerySet):
    def active(self) -> VetoQuerySet:
        return self.filter(lifted_at__isnull=True)

    def for_object(self, obj: Any) -> VetoQuerySet:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=ct, object_id=str(obj.pk))

    def active_for(self, obj: Any) -> VetoQuerySet:
        return self.for_object(obj).active()

    def delete(self) -> Any:  # type: ignore[override]
        raise ProtectedRecordError(_("A veto is lifted with a reason, never deleted."))

    def update(self, **kwargs: Any) -> int:
        # Only ``services.veto_lift`` lifts a veto (§6 i)); see ``vetoable`` for the guard.
        veto_rows_guard_update(self, kwargs)
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs, fields = list(objs), list(fields)
        if veto_locked_columns(fields):
            for obj in objs:
                veto_row_guard(obj)
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Veto(models.Model):
    """A one-vote veto (§6 i)) on one decision, and its lifting."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of decision"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("decision id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    subject_repr = models.CharField(_("decision"), max_length=300)
    reason = models.TextField(_("reason for the veto"))
    vetoed_by = models.ForeignKey(
        USER, verbose_name=_("vetoed by"), on_delete=models.PROTECT, related_name="+"
    )
    vetoed_at = models.DateTimeField(_("vetoed at"))
    capacity = models.CharField(_("vetoed as"), max_length=20, default="cqo")
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        USER,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    objects = VetoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-vetoed_at", "-id"]
        verbose_name = _("veto")
        verbose_name_plural = _("vetoes")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(lifted_at__isnull=True),
                name="authorities_one_active_veto_per_decision",
                violation_error_message=_("This decision is already vetoed."),
            )
        ]

    def __str__(self) -> str:
        return f"§6 i) {self.subject_repr}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ProtectedRecordError(_("A veto is lifted with a reason, never deleted."))


# --- approval inbox (§6 c)) ---------------------------------------------------------------


class ApprovalKind(models.TextChoices):
    QUALITY_PLAN = "quality_plan", _("Quality plan")
    ANOMALY = "anomaly", _("Quality anomaly disposition")
    CONCESSION = "concession", _("Concession")
    DEVIATION = "deviation", _("Deviation permit")
    SPENDING = "spending", _("Spending")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApprovalRequest(VetoableMixin, Voidable):
    """Anything a module needs approved under an authority, routed to whoever holds it."""

    veto_flow = VetoFlow(
        "status",
        (ApprovalStatus.PENDING, ApprovalStatus.APPROVED),
        final=(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.WITHDRAWN),
    )

    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    subject_repr = models.CharField(_("record"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ApprovalKind.choices)
    authority = models.CharField(
        _("authority needed"), max_length=1, choices=AUTHORITY_CHOICES, default="c"
    )
    summary = models.TextField(_("summary"))
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Routes the request to a delegate for this unit; empty means enterprise-wide."),
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"))
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_as = models.CharField(_("decided as"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [
            models.Index(fields=["status", "authority"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_repr}"

    @property
    def clause(self) -> str:
        return BY_CODE[self.authority].clause

    @property
    def age_days(self) -> int:
        end = self.decided_at or timezone.now()
        return max(0, (end - self.raised_at).days)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ApprovalStatus.PENDING
            and self.due_date is not None
            and self.due_date < _today()
        )

    @property
    def days_overdue(self) -> int:
        if not self.is_overdue or self.due_date is None:
            return 0
        return (_today() - self.due_date).days


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
