"""The regime part's job: the missing-record chase every hour (five past), so a day's record is
chased soon after its due hour rather than at the next morning's reminders run. The daily
reminders job runs the same function too; each gap is claimed once a day either way."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services_regime import regime_remind


def regime_chase() -> int:
    return regime_remind()


regime_chase_hourly = db_periodic_task(crontab(minute="5"))(regime_chase)
