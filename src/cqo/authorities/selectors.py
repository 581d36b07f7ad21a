"""Reads of the authorities' records, scoped to what the user may see.

``delegations_in_force`` is what the charter (§4.2) lists; the inbox selectors route each request
to whoever holds its authority for its unit, so a delegate sees only what the delegation covers.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from . import engine
from .catalogue import BY_CODE
from .models import (
    ApprovalRequest,
    ApprovalStatus,
    Delegation,
    Veto,
)

EXPIRING_DAYS = 14


def _today() -> datetime.date:
    return timezone.localdate()


# --- delegations ------------------------------------------------------------------------


def _delegations_base() -> Any:
    return (
        Delegation.objects.filter(voided_at__isnull=True)
        .select_related("delegator", "delegate", "delegate__unit", "revoked_by", "source")
        .prefetch_related("units")
    )


def delegations_in_force(on: datetime.date | None = None) -> QuerySet[Delegation]:
    """The delegations in force on ``on`` (today by default), still backed by the delegator's
    own authority: what the charter lists as delegated."""
    day = on or _today()
    with engine.memo():
        ids = [
            d.pk for d in _delegations_base().in_force(day) if engine.delegation_valid(d, on=day)
        ]
    return _delegations_base().filter(pk__in=ids).order_by("authority", "end_date", "id")


def delegations_expiring(
    user: Any = None, *, within_days: int = EXPIRING_DAYS, on: datetime.date | None = None
) -> list[Delegation]:
    """Delegations in force that end within ``within_days``; for a user other than the CQO, only
    those they made or received."""
    day = on or _today()
    qs = (
        _delegations_base()
        .in_force(day)
        .filter(end_date__lte=day + datetime.timedelta(days=within_days))
    )
    with engine.memo():
        if user is not None and not engine.is_current_cqo(user, on=day):
            qs = qs.filter(Q(delegator=user) | Q(delegate__user=user))
        return [d for d in qs.order_by("end_date", "id") if engine.delegation_valid(d, on=day)]


def delegations_visible(user: Any, *, state: str = "", authority: str = "") -> QuerySet[Delegation]:
    if user is None or not user.has_perm("authorities.view_delegation"):
        return Delegation.objects.none()
    qs = _delegations_base()
    day = _today()
    if authority in BY_CODE:
        qs = qs.filter(authority=authority)
    if state == "in_force":
        qs = qs.in_force(day)
    elif state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif state == "expired":
        qs = qs.filter(revoked_at__isnull=True, end_date__lt=day)
    elif state == "future":
        qs = qs.filter(revoked_at__isnull=True, start_date__gt=day)
    return qs.order_by("-start_date", "-id")


def delegations_of(user: Any, *, on: datetime.date | None = None) -> list[Delegation]:
    """The delegations in force that ``user`` holds."""
    return [d for d in delegations_in_force(on) if d.delegate.user_id == getattr(user, "pk", None)]


# --- approvals --------------------------------------------------------------------------


def _approvals_base() -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(voided_at__isnull=True).select_related(
        "unit", "raised_by", "decided_by", "content_type"
    )


def _covering_filter(user: Any) -> Q | None:
    """A filter for the requests ``user`` may decide; None when they may decide none."""
    if engine.is_current_cqo(user):
        return Q()
    q: Q | None = None
    delegations = (
        Delegation.objects.in_force()
        .filter(delegate__user=user, delegate__status="active")
        .select_related("delegator")
        .prefetch_related("units")
    )
    for d in delegations:
        if not engine.delegation_valid(d):
            continue
        for unit in d.units.all():
            part = Q(unit__path__startswith=unit.path)
            if unit.parent_id is None:
                part |= Q(unit__isnull=True)
            part &= Q(authority=d.authority)
            q = part if q is None else q | part
    return q


def approvals_awaiting(
    user: Any, *, kind: str = "", overdue: bool = False
) -> QuerySet[ApprovalRequest]:
    """The inbox: requests awaiting a decision that ``user`` holds the authority to make, oldest
    first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ApprovalRequest.objects.none()
    from cqo.organisation.rules import user_roles

    with engine.memo():
        covering = _covering_filter(user)
        cqo = engine.current_cqo_user()
    # Segregation of duties (``cqo.core.sod``): the CQO's own requests go to the principal, and
    # nobody's inbox holds what they raised themselves.
    if covering is not None and cqo is not None:
        covering &= ~Q(raised_by=cqo)
    if cqo is not None and "principal" in user_roles(user):
        covering = Q(raised_by=cqo) if covering is None else covering | Q(raised_by=cqo)
    if covering is None:
        return ApprovalRequest.objects.none()
    qs = _approvals_base().filter(covering, status=ApprovalStatus.PENDING).exclude(raised_by=user)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(due_date__lt=_today())
    return qs.order_by("raised_at", "id")


def _sees_everything(user: Any, management_roles: Collection[str]) -> bool:
    return bool(management_roles) or user.is_superuser or engine.is_current_cqo(user)


def approvals_visible(
    user: Any, *, status: str = "", kind: str = "", overdue: bool = False, mine: bool = False
) -> QuerySet[ApprovalRequest]:
    if user is None or not getattr(user, "is_authenticated", False):
        return ApprovalRequest.objects.none()
    qs = _approvals_base()
    if not user.has_perm("authorities.view_approvalrequest"):
        return ApprovalRequest.objects.none()
    from cqo.organisation.rules import user_roles

    from .rules import MANAGEMENT_ROLES

    if not _sees_everything(user, user_roles(user) & set(MANAGEMENT_ROLES)):
        awaiting = approvals_awaiting(user).values("pk")
        qs = qs.filter(Q(raised_by=user) | Q(pk__in=awaiting))
    if mine:
        qs = qs.filter(raised_by=user)
    if status in ApprovalStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(status=ApprovalStatus.PENDING, due_date__lt=_today())
    return qs.order_by("-raised_at", "-id")


def approvals_for_subject(subject: Any) -> QuerySet[ApprovalRequest]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    return _approvals_base().filter(content_type=ct, object_id=str(subject.pk))


# --- decisions and vetoes --------------------------------------------------------------


def vetoes_visible(user: Any, *, active: bool | None = None) -> QuerySet[Veto]:
    if user is None or not user.has_perm("authorities.view_veto"):
        return Veto.objects.none()
    qs = Veto.objects.select_related("vetoed_by", "lifted_by", "content_type")
    if active is True:
        qs = qs.filter(lifted_at__isnull=True)
    elif active is False:
        qs = qs.filter(lifted_at__isnull=False)
    return qs.order_by("-vetoed_at", "-id")


def vetoes_for(obj: Any) -> QuerySet[Veto]:
    return Veto.objects.for_object(obj).select_related("vetoed_by", "lifted_by")


def vetoed_ids(model: Any, ids: list[Any]) -> set[str]:
    """Which of ``ids`` carry an active veto: one query for a whole list page."""
    from .vetoable import _vetoed_ids

    return _vetoed_ids(model, ids)


# --- subjects named by type and id (approval requests, vetoes) -----------------------------


def subject_readable(
    user: Any, *, subject_type: str, object_id: Any, allowed: Collection[str]
) -> Any:
    """The record ``subject_type`` (``app_label.model``) ``object_id`` when its type is one of
    ``allowed`` (the approval subjects or the vetoable models the apps registered) and ``user``
    may read it; None otherwise. The caller answers every None the same way, so the answer never
    tells whether a record of a type the caller may not use, or may not read, exists."""
    from django.apps import apps
    from django.core.exceptions import ValidationError

    label = str(subject_type or "").strip().lower()
    if label not in allowed:
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    try:
        subject = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        return None
    if subject is None:
        return None
    meta = subject._meta
    if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}", subject):
        return None
    return subject
