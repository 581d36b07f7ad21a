"""Jobs: the yearly re-assessment reminder of the CQO's knowledge and abilities (§5.2, §5.3),
run by the notifications' daily job; and the end of the post assignments of a CQO whose term ran
out (§3.1)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from cqo.notifications.services import notify, reminder_claim
from cqo.organisation import roles as R

from .models import (
    AssessmentStatus,
    CompetenceAssessment,
)
from .selectors import REASSESS_DAYS, cqo_current

# A reminder is repeated at most this often while the assessment stays overdue.
REPEAT_DAYS = 14


def _message(person: Any, last: datetime.date | None) -> str:
    if last is None:
        return _(
            "%(person)s, the CQO, has no knowledge and ability assessment on record (§5.2, §5.3)."
        ) % {"person": person}
    return _(
        "The yearly knowledge and ability assessment of %(person)s, the CQO, is due: the last one "
        "was on %(date)s (§5.2, §5.3)."
    ) % {
        "person": person,
        "date": last,
    }


def _recipients(person: Any) -> list[Any]:
    User = get_user_model()
    users = list(User.objects.filter(is_active=True, groups__name=R.PRINCIPAL).distinct())
    if person.user is not None and person.user.is_active:
        users.append(person.user)
    return users


@transaction.atomic
def competence_remind(*, on: datetime.date | None = None) -> dict[str, Any]:
    """Find the CQO in office whose last completed assessment is older than a year; tell them and
    the principal, at most once every two weeks."""
    from django.urls import reverse

    day = on or timezone.localdate()
    appointment = cqo_current(on=day)
    result: dict[str, Any] = {"on": day.isoformat(), "due": False, "notified": 0}
    if appointment is None:
        return result
    person = appointment.person
    last = (
        CompetenceAssessment.objects.filter(person=person, status=AssessmentStatus.COMPLETED)
        .order_by("-assessed_on")
        .values_list("assessed_on", flat=True)
        .first()
    )
    if last is not None and (day - last).days <= REASSESS_DAYS:
        return result
    result["due"] = True
    if not reminder_claim(f"post.competence:{person.pk}", on=day, every_days=REPEAT_DAYS):
        return result
    recipients = _recipients(person)
    notify(
        recipients,
        lambda: _message(person, last),
        url=reverse("post:competence_list"),
        clause="§5.2, §5.3",
    )
    result["notified"] = len({u.pk for u in recipients if u.is_active})
    return result


@transaction.atomic
def posts_expiry(*, on: datetime.date | None = None) -> list[str]:
    from . import services as S

    return S.appointment_posts_expire(on=on)


# Shortly after midnight (the charter's check follows at 00:20).
posts_expiry_daily = db_periodic_task(crontab(hour="0", minute="15"))(posts_expiry)
