"""The authority engine: who holds which of the nine authorities (§6), where and when.

An authority is not a group a user is put in. It comes from the current appointment: the current
CQO (asked of ``cqo.post.selectors.user_is_current_cqo``) holds all nine over the whole
enterprise, and loses them the day the appointment ends. Anyone else holds an authority only
through a delegation in force that covers the unit in question (a unit covers its subtree), and
only while the person who delegated it still holds it: an ended appointment ends the delegations
made under it. The veto (i) passes by delegation only when the published charter allows it.

Services ask through rules (``require(actor, "authorities.exercise_c", obj, clause="§6 c)")``);
the object may carry a ``unit``. With no object the question is "anywhere?", which is what a page
needs to decide whether to show a button; with an object whose unit is empty, the question is
"over the whole enterprise?".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import rules
from django.utils import timezone

from cqo.core import request_cache
from cqo.post import selectors as post_selectors
from cqo.post.office import _active, forget, is_current_cqo, memo

from .catalogue import BY_CODE, VETO

__all__ = ["forget", "is_current_cqo", "memo"]

MAX_CHAIN = 5


class _WholeEnterprise:
    def __repr__(self) -> str:
        return "WHOLE_ENTERPRISE"


# The unit of a record that concerns the whole enterprise (no unit of its own).
WHOLE_ENTERPRISE: Any = _WholeEnterprise()


def _today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Term:
    start: datetime.date
    end: datetime.date | None


def cqo_term(user: Any, *, on: datetime.date | None = None) -> Term | None:
    """The dates of the appointment ``user`` holds as CQO on ``on``; None when not the CQO."""
    term = post_selectors.cqo_term(user, on=on) if _active(user) else None
    if term is None:
        return None
    start, end = term
    return Term(start, end)


def current_cqo_user(*, on: datetime.date | None = None) -> Any:
    """The account of the CQO in office on ``on``, or None."""
    appointment = post_selectors.cqo_current(on=on)
    if appointment is None or appointment.person.user_id is None:
        return None
    user = appointment.person.user
    return user if _active(user) else None


def veto_delegable() -> bool:
    """Whether the published charter (§4.2) lets the CQO delegate the veto (§6 i)); default no."""
    # The charter sits above the engine and adds this rule; no charter app, no delegated veto.
    return request_cache.remember(
        ("authorities.veto_delegable",), lambda: bool(rules.test_rule("charter_veto_delegable"))
    )


def unit_of(obj: Any) -> Any:
    """The unit a record concerns: the record itself when it is a unit, its ``unit`` otherwise,
    ``WHOLE_ENTERPRISE`` when it has none, and None when there is no record at all (anywhere)."""
    from cqo.organisation.models import Unit

    if obj is None:
        return None
    if obj is WHOLE_ENTERPRISE or isinstance(obj, Unit):
        return obj
    unit = getattr(obj, "unit", None)
    if isinstance(unit, Unit):
        return unit
    subject = getattr(obj, "subject", None)
    if subject is not None and subject is not obj and not isinstance(subject, str):
        inner = getattr(subject, "unit", None)
        if isinstance(inner, Unit):
            return inner
    return WHOLE_ENTERPRISE


def covers(delegation: Any, unit: Any) -> bool:
    """Whether a delegation's units reach ``unit`` (None: any unit at all)."""
    units = list(delegation.units.all())
    if unit is None:
        return bool(units)
    if unit is WHOLE_ENTERPRISE:
        return any(u.parent_id is None for u in units)
    return any(unit.path.startswith(u.path) for u in units)


def _delegations_for(user: Any, code: str, on: datetime.date | None) -> Any:
    from cqo.organisation.models import PersonStatus

    from .models import Delegation

    return (
        Delegation.objects.in_force(on)
        .filter(authority=code, delegate__user=user, delegate__status=PersonStatus.ACTIVE)
        .select_related("delegator")
        .prefetch_related("units")
    )


def delegation_valid(delegation: Any, *, on: datetime.date | None = None, _depth: int = 0) -> bool:
    """In force on ``on`` and still backed by the delegator's own authority."""
    day = on or _today()
    if delegation.status_on(day) != "in_force" or delegation.voided_at is not None:
        return False
    if delegation.authority == VETO and not veto_delegable():
        return False
    if _depth >= MAX_CHAIN:
        return False
    if is_current_cqo(delegation.delegator, on=day):
        return True
    return all(
        holds(delegation.delegator, delegation.authority, unit=u, on=day, _depth=_depth + 1)
        for u in delegation.units.all()
    )


def holds(
    user: Any, code: str, *, unit: Any = None, on: datetime.date | None = None, _depth: int = 0
) -> bool:
    """Whether ``user`` holds authority ``code`` ("a".."i") over ``unit`` on ``on``."""
    if code not in BY_CODE:
        raise KeyError(f"unknown authority {code!r}")
    if not _active(user):
        return False
    if is_current_cqo(user, on=on):
        return True
    return any(
        covers(d, unit) and delegation_valid(d, on=on, _depth=_depth)
        for d in _delegations_for(user, code, on)
    )


def holding_delegation(
    user: Any, code: str, *, unit: Any = None, on: datetime.date | None = None
) -> Any:
    """The delegation through which a non-CQO holds ``code`` over ``unit``, or None."""
    if not _active(user):
        return None
    for d in _delegations_for(user, code, on):
        if covers(d, unit) and delegation_valid(d, on=on):
            return d
    return None


def capacity(user: Any, code: str, *, unit: Any = None, on: datetime.date | None = None) -> str:
    """ "cqo", "delegate" or "" (holds nothing): how a signature should describe the signer."""
    if is_current_cqo(user, on=on):
        return "cqo"
    if holding_delegation(user, code, unit=unit, on=on) is not None:
        return "delegate"
    return ""


def lapsed_delegation(
    user: Any, code: str, *, unit: Any = None, on: datetime.date | None = None
) -> Any:
    """The latest delegation of ``code`` to ``user`` covering ``unit`` that has ended, been
    revoked, or lost its backing; for a refusal that says why, not just "no"."""
    from .models import Delegation

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    candidates = (
        Delegation.objects.filter(authority=code, delegate__user=user, voided_at__isnull=True)
        .prefetch_related("units")
        .select_related("delegator")
        .order_by("-end_date", "-id")
    )
    for d in candidates:
        if covers(d, unit) and not delegation_valid(d, on=on):
            return d
    return None


def authorities_held(user: Any, *, on: datetime.date | None = None) -> list[str]:
    """The codes ``user`` holds anywhere on ``on``."""
    return [code for code in BY_CODE if holds(user, code, on=on)]
