"""The approvals' daily reminder (registered with the notifications' daily job): requests past
their due date or, with no due date, waiting longer than ``CQO_APPROVAL_REMIND_AFTER_DAYS``
(default 3 days)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def approvals_remind() -> dict[str, Any]:
    from .services import approvals_remind_due

    count = approvals_remind_due()
    return {"at": timezone.now().isoformat(), "reminded": count}
