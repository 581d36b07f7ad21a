"""In-app notifications and their e-mails, and the daily reminders.

A message is rendered once in each language (Chinese first, English beside it), so the bell shows
it in the reader's language and the e-mail carries both. The in-app row is written inside the
caller's transaction (a refused change notifies nobody); the e-mail leaves on commit.

Reminders: an app registers a function with ``reminder_register`` from its ``AppConfig.ready()``;
the one daily job (``tasks.reminders_daily``) runs them all. A function finds what is due and
claims each reminder with ``reminder_claim(key, on=..., every_days=...)`` before notifying, so a
second run the same day, or a second worker, sends nothing again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqo.core import request_cache

from .models import Notification, Reminder

# How long the bell's count is kept at most; any write to the database asks again sooner.
UNREAD_SECONDS = 300


def _render(text: Callable[[], str], language: str) -> str:
    with translation.override(language):
        return str(text())[:500]


def notify(
    recipients: Iterable[Any], text: Callable[[], str], *, url: str = "", clause: str = ""
) -> list[Notification]:
    """Tell each recipient (users; None and duplicates are skipped) ``text()``; e-mail on commit."""
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []
    message = _render(text, "zh-hans")
    message_en = _render(text, "en")
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=u, message=message, message_en=message_en, url=url, clause=clause
            )
            for u in users
        ]
    )
    # bulk_create sends no post_save: the bells kept under the database's version are stale.
    request_cache.forget()
    ids = [n.pk for n in created if n.pk is not None]
    if not ids:
        ids = list(
            Notification.objects.filter(recipient__in=users, message=message)
            .order_by("-id")
            .values_list("pk", flat=True)[: len(users)]
        )

    def _send() -> None:
        from .tasks import notification_email

        notification_email(ids)

    transaction.on_commit(_send)
    return created


def unread_count(user: Any) -> int:
    """The bell's count, on every page of the product. Kept in the shared cache under the
    database's version (``cqo.core.data_version``), as the user's roles are: a count query on
    every page was ~0.9 ms of the trace page's ~10 ms of CPU, and a notice written, read or
    resolved gives a new version (the writes here that send no signal call ``forget()``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    from django.core.cache import cache

    from cqo.core import data_version

    key = f"notifications.unread:{data_version.current()}:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return int(count)


def notifications_resolve(*, url: str) -> int:
    """Mark read every unread notice that points at ``url``: the thing it asked for is settled
    (a request decided or withdrawn), so it no longer waits in anyone's bell. Runs inside the
    caller's transaction; call it before telling anyone the outcome."""
    if not url:
        return 0
    done = Notification.objects.filter(url=url, read_at__isnull=True).update(read_at=timezone.now())
    request_cache.forget()  # QuerySet.update sends no signal: the kept bells are stale
    return done


def notifications_mark_read(*, actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when ``ids`` is None)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("You do not have permission to do this."))
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    done = qs.update(read_at=timezone.now())
    request_cache.forget()  # QuerySet.update sends no signal: the kept bell is stale
    return done


# --- reminders ------------------------------------------------------------------------------

_REMINDERS: dict[str, Callable[[], Any]] = {}


def reminder_register(name: str, run: Callable[[], Any]) -> None:
    """Have the daily job call ``run()`` (it returns what it did, for the job's log)."""
    _REMINDERS[name] = run


def reminders_registered() -> list[str]:
    return list(_REMINDERS)


def reminders_run() -> dict[str, Any]:
    """Run every registered reminder; one that fails does not stop the others."""
    import logging

    results: dict[str, Any] = {}
    for name, run in _REMINDERS.items():
        try:
            results[name] = run()
        except Exception:  # one app's failure must not silence every other app's reminders
            logging.getLogger(__name__).exception("reminder %s failed", name)
            results[name] = "failed"
    return results


def reminder_claim(key: str, *, on: datetime.date, every_days: int = 1) -> bool:
    """Claim the reminder ``key`` for day ``on``: True (and recorded) unless one was sent less
    than ``every_days`` days before. Call it inside the transaction that notifies."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(key=key).first()
        if reminder is not None and (on - reminder.sent_on).days < every_days:
            return False
        Reminder.objects.update_or_create(key=key, defaults={"sent_on": on})
    return True
