"""The ledger's jobs: imports and pulls from the cost sources run in the queue (their page shows
the progress), and a nightly pull of the current and previous month so that every source line
reaches the ledger without anyone pressing a button."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services_ledger


@db_task()
def ledger_job_run(job_id: int) -> str:
    return str(services_ledger.job_execute(job_id).status)


def ledger_sync_nightly_run() -> int:
    return services_ledger.sync_month_job()


ledger_sync_nightly = db_periodic_task(crontab(hour="1", minute="40"))(ledger_sync_nightly_run)
