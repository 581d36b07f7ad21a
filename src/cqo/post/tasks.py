"""Jobs: the yearly re-assessment reminder of the CQO's knowledge and abilities (§5.2, §5.3);
the daily check that the published charter still lists an appointment and delegations in force
(§4.2); and the end of the post assignments of a CQO whose term ran out (§3.1)."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from cqo.organisation import roles as R

from .models import (
    AssessmentStatus,
    Charter,
    CharterStatus,
    CompetenceAssessment,
    Reminder,
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


def _notify(users: list[Any], text: Any, url: str) -> int:
    """In-app through the authorities' notifications when they exist, else e-mail in both
    languages."""
    try:
        notify = importlib.import_module("cqo.authorities.notify").notify
    except (ImportError, AttributeError):
        notify = None
    if notify is not None:
        notify(users, text, url=url, clause="§5.2, §5.3")
        return len(users)
    bodies = []
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            bodies.append(str(text()))
    addresses = [u.email for u in users if u.email]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(
                "[首席质量官 CQO] " + bodies[0][:80],
                "\n\n".join(bodies),
                settings.DEFAULT_FROM_EMAIL,
                addresses,
                fail_silently=True,
            )
        )
    return len(addresses)


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
    key = f"competence:{person.pk}"
    reminder = Reminder.objects.select_for_update().filter(key=key).first()
    if reminder is not None and (day - reminder.sent_on).days < REPEAT_DAYS:
        return result
    result["notified"] = _notify(
        _recipients(person), lambda: _message(person, last), reverse("post:competence_list")
    )
    Reminder.objects.update_or_create(key=key, defaults={"sent_on": day})
    return result


# Every morning at 08:10.
competence_remind_daily = db_periodic_task(crontab(hour="8", minute="10"))(competence_remind)


@transaction.atomic
def charter_expiry_check(*, on: datetime.date | None = None) -> dict[str, Any]:
    """Mark the published charter out of date (§4.2) when the appointment or a delegation it
    lists is no longer in force: a term or a delegation that simply ran out calls no service, so
    nothing else would notice."""
    from . import services as S

    day = on or timezone.localdate()
    result: dict[str, Any] = {"on": day.isoformat(), "outdated": False, "reasons": []}
    charter = Charter.objects.filter(status=CharterStatus.PUBLISHED).order_by("-version").first()
    if charter is None:
        return result
    content = charter.content or {}
    reasons: list[str] = []
    listed = content.get("appointment") or {}
    current = cqo_current(on=day)
    if listed and (current is None or current.pk != listed.get("id")):
        reasons.append(
            _("CQO appointment %(number)s listed in charter v%(v)s is no longer in force.")
            % {"number": listed.get("number", ""), "v": charter.version}
        )
    try:
        in_force = importlib.import_module("cqo.authorities.selectors").delegations_in_force
    except (ImportError, AttributeError):
        in_force = None
    rows = content.get("delegations") or []
    if in_force is not None and rows:
        live = set(in_force(on=day).values_list("pk", flat=True))
        for row in rows:
            if row.get("id") not in live:
                reasons.append(
                    _(
                        "The delegation of authority %(authority)s to %(delegate)s listed in "
                        "charter v%(v)s has expired or ended."
                    )
                    % {
                        "authority": row.get("authority", ""),
                        "delegate": row.get("delegate", ""),
                        "v": charter.version,
                    }
                )
    # Said once: a reason already on the charter is not recorded again every morning.
    reasons = [r for r in reasons if r not in (charter.outdated_reason or "")]
    if not reasons:
        return result
    for reason in reasons:
        S.charter_mark_outdated(reason=reason)
    result.update(outdated=True, reasons=reasons)
    return result


@transaction.atomic
def posts_expiry(*, on: datetime.date | None = None) -> list[str]:
    from . import services as S

    return S.appointment_posts_expire(on=on)


# Shortly after midnight: the day's expiries first, then the charter's check.
posts_expiry_daily = db_periodic_task(crontab(hour="0", minute="15"))(posts_expiry)
charter_expiry_daily = db_periodic_task(crontab(hour="0", minute="20"))(charter_expiry_check)
