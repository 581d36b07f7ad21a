"""One reminder facility for every app: a daily job runs each registered reminder, and a keyed
claim keeps a reminder from being sent twice within its period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from cqo.notifications import services as S
from cqo.notifications.models import Reminder
from cqo.notifications.tasks import reminders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def test_the_post_and_the_authorities_register_their_reminders_with_the_one_daily_job() -> None:
    assert {"post.competence", "authorities.approvals"} <= set(S.reminders_registered())


def test_a_reminder_is_claimed_once_per_period() -> None:
    assert S.reminder_claim("x:1", on=DAY, every_days=14)
    assert not S.reminder_claim("x:1", on=DAY, every_days=14)
    assert not S.reminder_claim("x:1", on=DAY + datetime.timedelta(days=13), every_days=14)
    assert S.reminder_claim("x:1", on=DAY + datetime.timedelta(days=14), every_days=14)
    assert Reminder.objects.get(key="x:1").sent_on == DAY + datetime.timedelta(days=14)


def test_one_failing_reminder_does_not_silence_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def broken() -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(S, "_REMINDERS", {"a.broken": broken, "b.fine": lambda: ran.append("b")})
    result = reminders()
    assert result["a.broken"] == "failed"
    assert ran == ["b"]
