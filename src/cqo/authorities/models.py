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
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.models import ProtectedRecordError, Voidable, VoidableQuerySet
from cqo.core.uploads import validate_upload

from .catalogue import AUTHORITY_CHOICES, BY_CODE
from .kinds import approval_kind_label, validate_approval_kind
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
    # Checked against the registry the apps fill (``kinds.approval_kind_register``), not a
    # choices list: a domain app adds its kind without a migration here.
    kind = models.CharField(_("kind"), max_length=20, validators=[validate_approval_kind])
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

    def get_kind_display(self) -> str:
        return approval_kind_label(self.kind)

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


def attachment_path(instance: ApprovalAttachment, filename: str) -> str:
    # The stored name is ours (the digest), never the uploader's: no path or extension tricks.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"authorities/approvals/{instance.request_id}/{instance.sha256[:32]}.{suffix[:5]}"


class ApprovalAttachment(Voidable):
    """A document an approval request carries as evidence (an inspection report, a photo, a
    quotation): kept with its SHA-256, served only to those who may read the request."""

    request = models.ForeignKey(
        ApprovalRequest,
        verbose_name=_("approval request"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, max_length=300, validators=[validate_upload]
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
