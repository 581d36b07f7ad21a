"""Reads of the CQO post, scoped to what the user may see.

``cqo_current`` and ``user_is_current_cqo`` are what the authority engine asks (the nine
authorities come from the appointment in force, not from a group); ``charter_veto_delegable``
tells it whether the published charter lets the veto be delegated.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.core import request_cache
from cqo.organisation import roles as R
from cqo.organisation.models import Person
from cqo.organisation.rules import user_person, user_roles

from .models import (
    Appointment,
    AssessmentStatus,
    CompetenceAssessment,
    DevelopmentAction,
    EvidenceDocument,
)

REASSESS_DAYS = 365


def cqo_current(*, on: datetime.date | None = None) -> Appointment | None:
    """The signed appointment in force on ``on`` (today by default), or None. Asked once per
    request: the engine, the rules and the dashboard's panels all ask it."""
    return request_cache.remember(
        ("post.cqo_current", on or timezone.localdate()),
        lambda: (
            Appointment.objects.in_force(on)
            .select_related(
                "person", "person__user", "person__unit__enterprise", "principal", "enterprise"
            )
            .order_by("-effective_from", "-id")
            .first()
        ),
    )


def user_is_current_cqo(user: Any, *, on: datetime.date | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    appointment = cqo_current(on=on)
    return appointment is not None and appointment.person.user_id == user.pk


def cqo_term(
    user: Any, *, on: datetime.date | None = None
) -> tuple[datetime.date, datetime.date | None] | None:
    """First and last day of the appointment ``user`` holds on ``on``; None if not the CQO."""
    if not user_is_current_cqo(user, on=on):
        return None
    appointment = cqo_current(on=on)
    assert appointment is not None
    return appointment.effective_from, appointment.last_day


def _sees_all(user: Any) -> bool:
    return bool({R.PRINCIPAL, R.AUDITOR} & user_roles(user)) or bool(
        getattr(user, "is_superuser", False)
    )


def appointments_visible(user: Any) -> QuerySet[Appointment]:
    qs = Appointment.objects.select_related("person", "principal", "predecessor", "enterprise")
    if _sees_all(user):
        return qs
    me = user_person(user)
    return qs.filter(person=me) if me is not None else qs.none()


def people_visible_for_qualification(user: Any) -> QuerySet[Person]:
    qs = Person.objects.select_related("unit", "user").order_by("employee_no")
    if _sees_all(user):
        return qs
    me = user_person(user)
    return qs.filter(pk=me.pk) if me is not None else qs.none()


def evidence_for(person: Person, *, include_voided: bool = False) -> QuerySet[EvidenceDocument]:
    qs = EvidenceDocument.objects.filter(person=person).select_related("uploaded_by")
    return qs if include_voided else qs.filter(voided_at__isnull=True)


def assessments_visible(user: Any) -> QuerySet[CompetenceAssessment]:
    qs = CompetenceAssessment.objects.select_related("person")
    if _sees_all(user):
        return qs
    me = user_person(user)
    return qs.filter(person=me) if me is not None else qs.none()


@dataclass(frozen=True)
class DueItem:
    kind: str
    title: str
    clause: str
    due: datetime.date | None = None
    url: str = ""
    overdue: bool = False


def competence_due(*, on: datetime.date | None = None) -> list[DueItem]:
    """What the post owes under §5 now: the yearly assessment, plan actions, evidence gaps."""
    from django.urls import reverse

    day = on or timezone.localdate()
    appointment = cqo_current(on=day)
    if appointment is None:
        return []
    person = appointment.person
    items: list[DueItem] = []
    last = (
        CompetenceAssessment.objects.filter(person=person, status=AssessmentStatus.COMPLETED)
        .order_by("-assessed_on")
        .first()
    )
    if last is None or (day - last.assessed_on).days > REASSESS_DAYS:
        due = (
            last.assessed_on + datetime.timedelta(days=REASSESS_DAYS)
            if last
            else appointment.effective_from
        )
        items.append(
            DueItem(
                "assessment",
                _("Yearly knowledge and ability assessment of %(person)s") % {"person": person},
                "§5.2, §5.3",
                due,
                reverse("post:competence_list"),
                overdue=due < day,
            )
        )
    for assessment in CompetenceAssessment.objects.filter(
        person=person, status=AssessmentStatus.OPEN
    ):
        items.append(
            DueItem(
                "assessment_open",
                _("Assessment of %(date)s waits for scores or completion")
                % {"date": assessment.assessed_on},
                "§5.2, §5.3",
                assessment.assessed_on,
                reverse("post:competence_detail", args=[assessment.pk]),
            )
        )
    actions = DevelopmentAction.objects.filter(
        assessment__person=person,
        done_on__isnull=True,
        due_on__lte=day + datetime.timedelta(days=30),
    ).select_related("assessment")
    for action in actions:
        items.append(
            DueItem(
                "action",
                _("Development action: %(action)s") % {"action": action.action},
                "§5.2, §5.3",
                action.due_on,
                reverse("post:competence_detail", args=[action.assessment_id]),
                overdue=action.due_on < day,
            )
        )
    from .qualification import WARNING, qualification_check

    report = qualification_check(person, on=day)
    for result in report.results:
        if result.outcome == WARNING:
            items.append(
                DueItem(
                    "qualification",
                    f"{result.label}: {result.message}",
                    result.clause,
                    None,
                    reverse("post:qualification", args=[person.pk]),
                )
            )
    return items


# --- the §5 list, remembered across requests ------------------------------------------------
# The dashboard asks ``competence_due`` on every view of the CQO and the principal, and it reads
# eight tables. Its answer changes only when one of the post's records, a person, a unit or the
# enterprise changes, or the day or the reader's language does; so it is kept in the shared cache
# (every server process sees it) under a version that any such write replaces (``PostConfig``).
DUE_VERSION_KEY = "post.competence_due.version"
DUE_SECONDS = 3600
DUE_SOURCES = frozenset({"organisation.person", "organisation.unit", "organisation.enterprise"})


def competence_due_changed() -> None:
    """Make every remembered ``competence_due`` answer stale."""
    import uuid

    from django.core.cache import cache

    cache.set(DUE_VERSION_KEY, uuid.uuid4().hex, None)


def competence_due_remembered(*, on: datetime.date | None = None) -> list[DueItem]:
    """``competence_due`` for today's appointment, from the shared cache when nothing it reads
    has changed since it was computed."""
    import uuid

    from django.core.cache import cache
    from django.utils.translation import get_language

    day = on or timezone.localdate()
    appointment = cqo_current(on=day)
    if appointment is None:
        return []
    version = cache.get_or_set(DUE_VERSION_KEY, uuid.uuid4().hex, None)
    key = f"post.competence_due:{version}:{appointment.pk}:{day.isoformat()}:{get_language()}"
    items = cache.get(key)
    if items is None:
        items = competence_due(on=day)
        cache.set(key, items, DUE_SECONDS)
    return list(items)
