"""The fund's jobs: the year-end report (§8.1) is built in the queue; its page shows the
progress and then offers the file."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services_fund_report


@db_task()
def fund_report_job_run(job_id: int) -> str:
    return str(services_fund_report.fund_report_build(job_id).status)
