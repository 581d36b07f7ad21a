"""In-app notifications and their e-mails.

A message is rendered once in each language (Chinese first, English beside it), so the bell shows
it in the reader's language and the e-mail carries both. The in-app row is written inside the
caller's transaction (a refused change notifies nobody); the e-mail leaves on commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import translation

from .models import Notification


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
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_resolve(*, url: str) -> int:
    """Mark read every unread notice that points at ``url``: the thing it asked for is settled
    (a request decided or withdrawn), so it no longer waits in anyone's bell. Runs inside the
    caller's transaction; call it before telling anyone the outcome."""
    if not url:
        return 0
    from django.utils import timezone

    return Notification.objects.filter(url=url, read_at__isnull=True).update(read_at=timezone.now())
