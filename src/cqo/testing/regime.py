"""Set-up for tests of the daily control, weekly check and monthly dispatch (§7.2.1, §7.2.1.2):
the quality-safety posts held (the inspector an officer, the CQO the director as well), a fixed
list of daily controls standing in for the registers part's published risk-control list, and
records made through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.organisation.models import PostKind
from cqo.safety.selectors_registers import ControlItem
from cqo.testing.factories import PostAssignmentFactory, PostFactory

CONTROLS = [
    ControlItem(key="k-dc-1", code="C-DC-01", text="压铸保压时间按工艺卡设定并记录", frequency="daily",
                risk_code="R-DC-01"),
    ControlItem(key="k-mc-1", code="C-MC-01", text="活塞孔精镗刀具寿命计数在限内", frequency="daily",
                risk_code="R-MC-01"),
    ControlItem(key="k-as-1", code="C-AS-01", text="制动钳总成扭矩首件确认", frequency="daily",
                risk_code="R-AS-01"),
]  # fmt: skip


def daily_controls(monkeypatch: Any, controls: list[ControlItem] | None = None) -> list[Any]:
    """Make ``controls`` (``CONTROLS`` by default) the daily controls of the list in force on
    any day: the registers part's reader is replaced for the test."""
    items = list(CONTROLS if controls is None else controls)

    def reader(*, on: datetime.date, frequency: str = "daily") -> list[ControlItem]:
        return [c for c in items if c.frequency == frequency]

    monkeypatch.setattr("cqo.safety.selectors_registers.controls_for_records", reader)
    return items


def regime_posts(org: Any, *, officer: Any = None, director: Any = None) -> dict[str, Any]:
    """A quality-safety officer post held by ``officer`` (the inspector) and the director's
    post held by ``director`` (the CQO, who holds both posts here), from a year ago."""
    from cqo.core import request_cache

    start = timezone.localdate() - datetime.timedelta(days=365)
    qso = PostFactory(unit=org.qm, kind=PostKind.QUALITY_SAFETY_OFFICER, code="P-QSO",
                      name="质量安全员")  # fmt: skip
    qsd = PostFactory(unit=org.root, kind=PostKind.QUALITY_SAFETY_DIRECTOR, code="P-QSD",
                      name="质量安全总监", single_holder=True)  # fmt: skip
    PostAssignmentFactory(post=qso, person=(officer or org.inspector).person, start_date=start)
    PostAssignmentFactory(post=qsd, person=(director or org.cqo).person, start_date=start)
    request_cache.forget()
    return {"officer_post": qso, "director_post": qsd}


def checks_all_done(
    controls: list[ControlItem] | None = None, **findings: str
) -> list[dict[str, Any]]:
    """One answer per control, each done; ``findings`` by control key mark that one not done."""
    return [
        {"key": c.key, "done": c.key not in findings, "finding": findings.get(c.key, "")}
        for c in (CONTROLS if controls is None else controls)
    ]


def daily_record(org: Any, day: datetime.date, *, by: Any = None, **findings: str) -> Any:
    from cqo.safety.services_regime import daily_record_add

    return daily_record_add(
        actor=by or org.inspector, day=day, checks=checks_all_done(None, **findings)
    )


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_report(org: Any, monday: datetime.date, **overrides: Any) -> Any:
    from cqo.safety.services_regime import weekly_report_add

    values = {"summary": "本周日管控按清单执行。", "problems": "精镗刀具寿命计数未清零。",
              "conclusion": "下周重点检查刀具寿命。", **overrides}  # fmt: skip
    return weekly_report_add(actor=org.cqo, week_start=monday, **values)


def monthly_reported(org: Any, month: datetime.date, **overrides: Any) -> Any:
    from cqo.safety.services_regime import monthly_report_submit

    values = {"report": "上月质量安全总体受控。", **overrides}
    return monthly_report_submit(actor=org.cqo, month=month, **values)


def monthly_held(org: Any, month: datetime.date) -> Any:
    from cqo.safety.services_regime import monthly_dispatch_record

    dispatch = monthly_reported(org, month)
    return monthly_dispatch_record(
        actor=org.principal, dispatch=dispatch, held_on=timezone.localdate(),
        attendees="主要负责人、首席质量官", decisions="一、增配刀具寿命监控。",
    )  # fmt: skip


def schedule(org: Any, starts_on: datetime.date, **overrides: Any) -> Any:
    from cqo.safety.services_regime import policy_set

    values = {"daily_due_hour": 18, "weekends": True, "weekly_due_days": 1,
              "monthly_due_day": 10, **overrides}  # fmt: skip
    return policy_set(actor=org.cqo, starts_on=starts_on, **values)
