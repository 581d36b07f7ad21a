"""Who made each history snapshot, and why.

django-simple-history writes a snapshot at every save, naming the signed-in user of a web
request when there is one and nobody otherwise (jobs, the demo, the command line). So that a
record's story never shows one person's change inside another's snapshot, every snapshot saved in
a transaction waits here until the audited change it belongs to writes its event
(``audit_record``), which then stamps it with the event's actor and its action and reason.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from simple_history.signals import post_create_historical_record

from cqo.core.commit_hooks import on_commit_once

_local = threading.local()


def _pending() -> dict[tuple[str, str], list[tuple[Any, Any, Any]]]:
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {}
    return pending


def _forget() -> None:
    _pending().clear()


def _remember(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    # Outside a transaction no audited change can follow in the same unit of work.
    if not connection.in_atomic_block:
        return
    pending = _pending()
    # Once per transaction (constant time): a transaction of many snapshots, one callback.
    on_commit_once(_forget)
    key = (instance._meta.label_lower, str(instance.pk))
    pending.setdefault(key, []).append(
        (type(history_instance), history_instance.pk, history_instance.history_date)
    )


def history_attribute(*, object_type: str, object_id: str, actor: Any, reason: str) -> int:
    """Stamp the snapshots of one record saved in this transaction with ``actor`` and
    ``reason``. Returns how many were stamped."""
    rows = _pending().pop((object_type, object_id), [])
    user_id = getattr(actor, "pk", None) if hasattr(actor, "get_username") else None
    stamped = 0
    for model, pk, date in rows:
        # The date guards against an id reused after a rolled-back transaction.
        changes: dict[str, Any] = {"history_change_reason": reason}
        if user_id is not None:
            changes["history_user_id"] = user_id
        stamped += model.objects.filter(pk=pk, history_date=date).update(**changes)
    return stamped


def connect() -> None:
    post_create_historical_record.connect(_remember, dispatch_uid="cqo.audit.history")
