"""The regime part's rows of the permission matrix.

Who holds what follows ``cqo/safety/rules_regime.py``: every member reads the records; the
matrix's inspector holds a quality-safety officer post and records the daily control (the CQO,
who also holds the director's post, may stand in); the CQO writes the weekly report and submits
the monthly report; the principal records the dispatch meeting and raises its tasks; a task's
owner (the department head) or the director closes it."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

PAGE = {ANONYMOUS: 302, "*": 200}
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
API = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "safety:regime": PAGE,
    "safety:regime_policy": PAGE,
    "safety:regime_daily_new": _page_for("inspector", "cqo"),
    "safety:regime_daily_export": PAGE,
    "safety:regime_daily": PAGE,
    "safety:regime_daily_pdf": PAGE,
    "safety:regime_daily_void": PAGE_POST_ONLY,
    "safety:regime_daily_photo": PAGE,
    "safety:regime_weekly_new": _page_for("cqo"),
    "safety:regime_weekly": PAGE,
    "safety:regime_weekly_pdf": PAGE,
    "safety:regime_weekly_xlsx": PAGE,
    "safety:regime_weekly_task": PAGE_POST_ONLY,
    "safety:regime_weekly_void": PAGE_POST_ONLY,
    "safety:regime_monthly_new": _page_for("cqo"),
    "safety:regime_monthly": PAGE,
    "safety:regime_monthly_hold": PAGE_POST_ONLY,
    "safety:regime_monthly_pdf": PAGE,
    "safety:regime_monthly_xlsx": PAGE,
    "safety:regime_monthly_task": PAGE_POST_ONLY,
    "safety:regime_monthly_void": PAGE_POST_ONLY,
    "safety:regime_tasks": PAGE,
    "safety:regime_task": PAGE,
    "safety:regime_task_close": PAGE_POST_ONLY,
    "safety:regime_task_evidence": PAGE,
    "safety:regime_task_void": PAGE_POST_ONLY,
    "api:safety:regime-daily-list": API,
    "api:safety:regime-daily-detail": API,
    "api:safety:regime-weekly-list": API,
    "api:safety:regime-weekly-detail": API,
    "api:safety:regime-weekly-tasks": API_POST_ONLY,
    "api:safety:regime-monthly-list": API,
    "api:safety:regime-monthly-detail": API,
    "api:safety:regime-monthly-hold": API_POST_ONLY,
    "api:safety:regime-monthly-tasks": API_POST_ONLY,
    "api:safety:regime-task-list": API,
    "api:safety:regime-task-detail": API,
    "api:safety:regime-task-close": API_POST_ONLY,
    "api:safety:regime-gaps-list": API,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:safety:regime-daily-list": ("inspector", "cqo"),
    "api:safety:regime-weekly-list": ("cqo",),
    "api:safety:regime-weekly-tasks": ("cqo",),
    "api:safety:regime-monthly-list": ("cqo",),
    "api:safety:regime-monthly-hold": ("principal",),
    "api:safety:regime-monthly-tasks": ("principal",),
    "api:safety:regime-task-close": ("cqo", "department_head"),
}

OBJECT_FOR_PK: dict[str, str] = {
    "safety:regime_daily": "safety.regime.daily",
    "safety:regime_daily_photo": "safety.regime.check",
    "api:safety:regime-daily-": "safety.regime.daily",
    "safety:regime_weekly": "safety.regime.weekly",
    "api:safety:regime-weekly-": "safety.regime.weekly",
    "safety:regime_monthly": "safety.regime.monthly",
    "api:safety:regime-monthly-": "safety.regime.monthly",
    "safety:regime_task": "safety.regime.task",
    "safety:regime_task_evidence": "safety.regime.closed_task",
    "api:safety:regime-task-": "safety.regime.task",
}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def build(world: Any) -> None:
    """The safety posts held (inspector: officer; CQO: director), yesterday's daily record with
    a photo (written as set-up: the registers part's list may be empty in this world), a weekly
    report with a task closed with an evidence file, and last month's dispatch held."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cqo.core import request_cache
    from cqo.organisation.models import PostKind
    from cqo.safety import selectors_regime as sel
    from cqo.safety import services_regime as svc
    from cqo.safety.models_regime import DailyCheck, DailyRecord
    from cqo.testing.factories import PostAssignmentFactory, PostFactory

    users = world.users
    unit = world.objects["unit"]
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    qso = PostFactory(unit=unit, kind=PostKind.QUALITY_SAFETY_OFFICER, code="MX-QSO",
                      name="质量安全员")  # fmt: skip
    qsd = PostFactory(unit=unit, kind=PostKind.QUALITY_SAFETY_DIRECTOR, code="MX-QSD",
                      name="质量安全总监")  # fmt: skip
    PostAssignmentFactory(post=qso, person=users["inspector"].person, start_date=start)
    PostAssignmentFactory(post=qsd, person=users["cqo"].person, start_date=start)
    request_cache.forget()

    day = today - datetime.timedelta(days=1)
    record = DailyRecord.objects.create(day=day, recorded_by=users["inspector"],
                                        recorded_at=timezone.now(), note="矩阵")  # fmt: skip
    check = DailyCheck(record=record, control_key="mx-1", control_code="MX-01",
                       control_text="矩阵管控措施", done=False, finding="=1+2")  # fmt: skip
    check.photo.save("matrix.png", ContentFile(PNG), save=False)
    check.save()
    report = svc.weekly_report_add(actor=users["cqo"], week_start=sel.week_start(day),
                                   summary="矩阵周报")  # fmt: skip
    task = svc.task_raise(actor=users["cqo"], source=report, problem="矩阵问题", action="整改",
                          owner=users["department_head"], deadline=today)  # fmt: skip
    closed = svc.task_raise(actor=users["cqo"], source=report, problem="已整改", action="整改",
                            owner=users["department_head"], deadline=today)  # fmt: skip
    svc.task_close(actor=users["department_head"], task=closed, evidence="照片",
                   evidence_file=ContentFile(PNG, name="evidence.png"))  # fmt: skip
    month = sel.month_start(sel.month_start(today) - datetime.timedelta(days=1))
    dispatch = svc.monthly_report_submit(actor=users["cqo"], month=month, report="矩阵月报")
    dispatch = svc.monthly_dispatch_record(actor=users["principal"], dispatch=dispatch,
                                           held_on=today, attendees="矩阵", decisions="矩阵")  # fmt: skip
    world.objects.update({
        "safety.regime.daily": record, "safety.regime.check": check,
        "safety.regime.weekly": report, "safety.regime.monthly": dispatch,
        "safety.regime.task": task, "safety.regime.closed_task": closed,
    })  # fmt: skip
