"""Jobs: sending webhook deliveries (``cqo.api.webhooks``).

A delivery is sent once its change has committed (``webhook_deliveries_send``, queued by
``webhook_emit``), and every minute the periodic job sends whatever is due: retries after their
wait, and anything whose first send was lost (the queue was down, the worker died). Run in
immediate mode (tests), the first send happens at commit and retries wait for the periodic job,
which a test calls itself.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import webhooks


@db_task()
def webhook_deliveries_send(ids: list[int]) -> int:
    return webhooks.webhook_deliveries_send(ids)


def webhook_deliveries_run_due() -> dict[str, Any]:
    ids = webhooks.webhook_deliveries_due()
    sent = webhooks.webhook_deliveries_send(ids)
    return {"at": timezone.now().isoformat(), "due": len(ids), "attempted": sent}


webhook_deliveries_due = db_periodic_task(crontab(minute="*"))(webhook_deliveries_run_due)
