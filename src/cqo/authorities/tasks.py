"""Jobs: e-mail for notifications, and daily reminders for approval requests past their due date
or, with no due date, waiting longer than ``CQO_APPROVAL_REMIND_AFTER_DAYS`` (default 3 days)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Notification

SUBJECT_PREFIX = "[首席质量官 CQO] "


def _site_url(path: str) -> str:
    base = getattr(settings, "CQO_SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if path else base


@db_task()
def notification_email(ids: list[int]) -> int:
    """Send each notification to its recipient's address, in Chinese then English."""
    sent = 0
    for n in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        address = n.recipient.email
        if not address:
            continue
        link = _site_url(n.url)
        body = "\n\n".join(part for part in (n.message, n.message_en, link) if part)
        sent += send_mail(
            SUBJECT_PREFIX + n.message[:80],
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=True,
        )
    return sent


def approvals_remind() -> dict[str, Any]:
    from .services import approvals_remind_due

    count = approvals_remind_due()
    return {"at": timezone.now().isoformat(), "reminded": count}


# Every morning at 08:30, before the working day starts.
approvals_remind_daily = db_periodic_task(crontab(hour="8", minute="30"))(approvals_remind)
