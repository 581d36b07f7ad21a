"""Reads of proposals and business decisions, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cqo.authorities import engine
from cqo.authorities.selectors import _sees_everything, _today

from .models import BusinessDecision, Proposal, ProposalStatus

# --- proposals -------------------------------------------------------------------------


def _awaiting_q() -> Q:
    return Q(status=ProposalStatus.OPEN) | Q(
        status=ProposalStatus.DEFERRED, deferred_until__lte=_today()
    )


def proposals_visible(user: Any, *, state: str = "") -> QuerySet[Proposal]:
    if user is None or not user.has_perm("decisions.view_proposal"):
        return Proposal.objects.none()
    qs = Proposal.objects.filter(voided_at__isnull=True).select_related(
        "addressee", "raised_by", "answered_by", "unit"
    )
    from cqo.authorities.rules import MANAGEMENT_ROLES
    from cqo.organisation.rules import user_roles

    if not _sees_everything(user, user_roles(user) & set(MANAGEMENT_ROLES)):
        qs = qs.filter(Q(raised_by=user) | Q(addressee=user))
    if state == "awaiting":
        qs = qs.filter(_awaiting_q())
    elif state in ProposalStatus.values:
        qs = qs.filter(status=state)
    return qs.order_by("submitted_at", "id")


def proposals_awaiting_answer(user: Any) -> QuerySet[Proposal]:
    """CQO side: the proposals this user (or, for the CQO, anyone on the CQO's side) put to the
    decision layer that still await an answer, oldest first."""
    qs = proposals_visible(user).filter(_awaiting_q())
    if not engine.is_current_cqo(user):
        qs = qs.filter(raised_by=user)
    return qs


def proposals_to_answer(user: Any) -> QuerySet[Proposal]:
    """Principal side: proposals addressed to this user that still await an answer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(voided_at__isnull=True, addressee=user)
        .filter(_awaiting_q())
        .select_related("raised_by", "unit")
        .order_by("submitted_at", "id")
    )


def decisions_visible(user: Any, *, status: str = "") -> QuerySet[BusinessDecision]:
    if user is None or not user.has_perm("decisions.view_businessdecision"):
        return BusinessDecision.objects.none()
    qs = BusinessDecision.objects.filter(voided_at__isnull=True).select_related(
        "unit", "created_by", "approved_by"
    )
    return qs.filter(status=status) if status else qs
