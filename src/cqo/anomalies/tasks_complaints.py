"""The daily escalation of overdue complaint responses to the CQO (§6 c)), run by the
notifications' daily job (``reminder_register("anomalies.complaints", ...)``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.core.clauses import clause
from cqo.notifications.services import notify, reminder_claim
from cqo.post.selectors import cqo_current

from .models_complaints import Complaint, ComplaintStatus
from .selectors_complaints import complaints_overdue

CLAUSE = clause("§6 c)")


def _message(complaint: Complaint, now: datetime.datetime) -> str:
    if complaint.status == ComplaintStatus.RECEIVED and complaint.containment_due < now:
        what = _("containment")
        due = complaint.containment_due
    else:
        what = _("8D report")
        due = complaint.eightd_due or now
    return _(
        "Overdue complaint response (%(clause)s): %(number)s from %(customer)s, %(what)s was "
        "due %(due)s."
    ) % {
        "clause": CLAUSE,
        "number": complaint.number,
        "customer": complaint.customer.name,
        "what": what,
        "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
    }


def complaints_escalate(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Tell the CQO in office and each complaint's owner about every response past its deadline,
    at most once a day per complaint (the claim is taken in the transaction that notifies)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    appointment = cqo_current(on=today)
    cqo_user = appointment.person.user if appointment is not None else None
    notified = 0
    overdue = list(complaints_overdue(now=now))
    for complaint in overdue:
        with transaction.atomic():
            if not reminder_claim(f"anomalies.complaint:{complaint.pk}", on=today):
                continue
            notify(
                [cqo_user, complaint.owner],
                lambda c=complaint: _message(c, now),  # type: ignore[misc]
                url=reverse("anomalies:complaint_detail", args=[complaint.pk]),
                clause=CLAUSE,
            )
        notified += 1
    return {"on": today.isoformat(), "overdue": len(overdue), "escalated": notified}


def complaints_remind() -> dict[str, Any]:
    return complaints_escalate()
