"""Segregation of duties, written once: nobody decides, verifies or appraises what they raised,
nor a record that is about them.

Every module that has someone decide on someone else's work asks ``sod_check`` in its service
(the gate) and ``sod_conflict`` where a page decides whether to offer the action: approvals
(§6 c)), business decisions (§6 b)), and later effectiveness checks and appraisals (§6 g)). Who
takes over when the usual decider is conflicted (a request raised by the CQO goes to the
principal) is the module's own routing; this rule only says who may not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

RAISED = "raised"
SUBJECT = "subject"

# Attributes through which a record names the people it comes from or is about: the person it
# concerns, and whoever wrote or owns it.
PEOPLE_FIELDS = ("person", "user", "owner", "created_by", "raised_by")


class SegregationOfDutiesError(PermissionDenied):
    """Refused because the actor raised the record or is its subject."""


def _user_pk(who: Any) -> Any:
    """The user id behind a user, a person (its account) or a bare id; None when there is none."""
    if who is None:
        return None
    if isinstance(who, int):
        return who
    if hasattr(who, "get_username"):
        return who.pk
    return getattr(who, "user_id", None)


def people_of(record: Any) -> set[Any]:
    """The user ids of the people ``record`` comes from or is about (see ``PEOPLE_FIELDS``); a
    person or a user record is about that person."""
    if record is None:
        return set()
    found = {record.pk} if hasattr(record, "get_username") else set()
    for name in PEOPLE_FIELDS:
        if hasattr(record, f"{name}_id"):  # a foreign key on the record itself
            found.add(_user_pk(getattr(record, name, None)))
    found.discard(None)
    return found


def sod_conflict(*, actor: Any, raised_by: Any = None, subject_people: Iterable[Any] = ()) -> str:
    """ "raised" or "subject" when ``actor`` may not decide, "" when they may."""
    me = _user_pk(actor)
    if me is None:
        return ""
    if raised_by is not None and _user_pk(raised_by) == me:
        return RAISED
    if any(_user_pk(p) == me for p in subject_people):
        return SUBJECT
    return ""


def sod_check(
    *, actor: Any, raised_by: Any = None, subject_people: Iterable[Any] = (), clause: str
) -> None:
    """Refuse, naming the clause, an actor who raised the record or is its subject."""
    conflict = sod_conflict(actor=actor, raised_by=raised_by, subject_people=subject_people)
    if conflict == RAISED:
        raise SegregationOfDutiesError(
            _("You raised this yourself; someone else must decide it (%(clause)s).")
            % {"clause": clause}
        )
    if conflict == SUBJECT:
        raise SegregationOfDutiesError(
            _("This concerns you or a record of yours; someone else must decide it (%(clause)s).")
            % {"clause": clause}
        )
