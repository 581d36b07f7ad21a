"""Jobs: the e-mail of each notification, and the one daily run of every app's reminders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Notification
from .services import reminders_run

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


def reminders() -> dict[str, Any]:
    return {"at": timezone.now().isoformat(), **reminders_run()}


# Every morning at 08:10, before the working day starts.
reminders_daily = db_periodic_task(crontab(hour="8", minute="10"))(reminders)
