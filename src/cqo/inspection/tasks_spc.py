"""SPC jobs: evaluating the monitored charts after results were recorded, in the job queue so
that saving a lot of results never waits for the statistics."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from .services_spc import spc_evaluate


@db_task()
def spc_evaluate_job(characteristic_ids: list[int]) -> int:
    return len(spc_evaluate(characteristic_ids=characteristic_ids))
