"""The report's generation runs in the job queue; its page shows the progress."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import services


@db_task()
def report_generate_run(report_id: int) -> str:
    return str(services.report_generate(report_id).status)
