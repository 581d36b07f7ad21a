"""Jobs: a nightly walk of the audit chain, so tampering is noticed without anyone asking."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import AuditEvent
from .records import record_problems
from .services import verify_chain

LAST_RESULT_KEY = "cqo:audit:last-verify"


def audit_chain_check() -> dict[str, Any]:
    problem = verify_chain()
    records = [str(p) for p in record_problems()]
    result = {
        "checked_at": timezone.now().isoformat(),
        "events": AuditEvent.objects.count(),
        "intact": problem is None and not records,
        "records": records[:20],
        "records_total": len(records),
        "problem": str(problem) if problem else "",
        "first_bad_seq": problem.seq if problem else None,
    }
    cache.set(LAST_RESULT_KEY, result, timeout=None)
    return result


audit_chain_check_nightly = db_periodic_task(crontab(hour="2", minute="17"))(audit_chain_check)
