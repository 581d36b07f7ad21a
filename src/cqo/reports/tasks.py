"""The report's generation runs in the job queue; its page shows the progress. Last month's
report is prepared on the first of each month (``services.reports_monthly_prepare``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def report_generate_run(report_id: int) -> str:
    return str(services.report_generate(report_id).status)


def reports_monthly_prepare_run() -> str:
    report = services.reports_monthly_prepare()
    return report.number if report is not None else ""


# On the first of the month, after the night's jobs (the ledger's sync runs at 01:40).
reports_monthly = db_periodic_task(crontab(day="1", hour="6", minute="0"))(
    reports_monthly_prepare_run
)
