"""The regulator clocks of a recall case (§7.2.1.4): started and stopped by the case's events,
counted in working days over the public holidays, fixed when they start (no profile change or
calendar correction rewrites a due date already shown), and warning before they run out."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqo.audit.models import AuditEvent
from cqo.core import workdays
from cqo.core.models import CalendarDay, CalendarDayKind, CalendarYear
from cqo.notifications.models import Notification
from cqo.recall import services_clocks as S
from cqo.recall.models import ClockStatus, RecallClock
from cqo.recall.selectors_clocks import clocks_due, clocks_of
from cqo.testing.clocks import admin_of, case_with_clocks, profiles, recall_case
from cqo.testing.world import Org

D = datetime.date
EVE = D(2026, 9, 30)  # the working day before National Day 2026 (1–7 October off)


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _clock(case: Any, key: str) -> RecallClock:
    return RecallClock.objects.get(case=case, key=key, voided_at__isnull=True)


def test_a_signal_on_the_eve_of_national_day_is_due_two_working_days_after_it(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    clock = _clock(case, "report")
    assert clock.started_on == EVE
    assert clock.due_on == D(2026, 10, 9)  # 8 and 9 October; 1–7 October are the holiday
    assert not clock.verified and "第19号" in clock.source
    assert not clock.provisional
    assert clock.status == ClockStatus.RUNNING


def test_the_plan_clock_counts_ten_working_days_with_the_make_up_saturday(org: Org) -> None:
    case = case_with_clocks(org, [("defect_confirmed", EVE)])
    clock = _clock(case, "plan")
    assert clock.due_on == D(2026, 10, 20)
    assert clock.verified


def test_an_event_stops_its_clock_met_or_late(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE), ("defect_confirmed", EVE)])
    S.clocks_on_event(actor=org.cqo, case=case, event="report_filed", on=D(2026, 10, 9))
    S.clocks_on_event(actor=org.cqo, case=case, event="plan_filed", on=D(2026, 10, 21))
    assert _clock(case, "report").status == ClockStatus.MET
    assert _clock(case, "plan").status == ClockStatus.LATE
    # The plan filed starts the notice clock: 3 working days from 21 October.
    notice = _clock(case, "notice")
    assert notice.started_on == D(2026, 10, 21) and notice.due_on == D(2026, 10, 26)


def test_a_repeated_event_does_not_start_a_clock_twice(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    S.clocks_on_event(actor=org.cqo, case=case, event="signal_received", on=D(2026, 10, 8))
    clocks = RecallClock.objects.filter(case=case, key="report")
    assert clocks.count() == 1 and clocks.get().started_on == EVE


def test_a_profile_change_never_rewrites_a_due_date_already_reported(org: Org) -> None:
    case = case_with_clocks(org, [("defect_confirmed", EVE)])
    before = _clock(case, "plan").due_on
    consumer = profiles(org)["consumer-goods"]
    rows = [
        {k: getattr(d, k) for k in ("key", "label", "label_en", "start_event", "stop_event",
                                    "count", "unit", "warn_days", "source", "verified")}
        for d in consumer.current().deadlines.all()
    ]  # fmt: skip
    for row in rows:
        if row["key"] == "plan":
            row["count"] = 5
            row["warn_days"] = 1
    version = S.profile_revise(actor=org.cqo, profile=consumer, deadlines=rows,
                               note="测试：计划期限改为 5 个工作日")  # fmt: skip
    assert version.number == 2
    assert _clock(case, "plan").due_on == before == D(2026, 10, 20)
    # A case whose plan clock starts after the change follows the new version.
    later = case_with_clocks(org, [("defect_confirmed", EVE)])
    assert _clock(later, "plan").due_on == D(2026, 10, 13)
    assert _clock(later, "plan").deadline.version == version


def test_a_calendar_correction_never_rewrites_a_due_date_already_reported(org: Org) -> None:
    case = case_with_clocks(org, [("defect_confirmed", EVE)])
    S.calendar_day_set(actor=admin_of(org), day=D(2026, 10, 12),
                       kind=CalendarDayKind.HOLIDAY, reason="测试更正")  # fmt: skip
    assert _clock(case, "plan").due_on == D(2026, 10, 20)
    later = case_with_clocks(org, [("defect_confirmed", EVE)])
    assert _clock(later, "plan").due_on == D(2026, 10, 21)


def test_a_clock_counted_into_a_year_not_covered_is_provisional(org: Org) -> None:
    today = timezone.localdate()
    deadline = {"key": "long", "label": "长期限", "source": "测试", "count": 300,
                "start_event": "defect_confirmed"}  # fmt: skip
    profile = S.profile_create(actor=org.cqo, code="long", name="长期限", regime="other",
                               deadlines=[deadline])  # fmt: skip
    case = recall_case(org)
    S.case_profile_set(actor=org.cqo, case=case, profile=profile)
    S.clocks_on_event(actor=org.cqo, case=case, event="defect_confirmed", on=today)
    clock = _clock(case, "long")
    assert clock.due_on.year > today.year
    assert clock.provisional == (not workdays.span_covered(today, clock.due_on))
    if clock.provisional:
        for year in range(today.year, clock.due_on.year + 1):
            if not workdays.covered(year):
                S.calendar_year_add(actor=admin_of(org), year=year, source="测试",
                                    holidays=[(D(year, 1, 1), "元旦")])  # fmt: skip
        later = recall_case(org)
        S.case_profile_set(actor=org.cqo, case=later, profile=profile)
        S.clocks_on_event(actor=org.cqo, case=later, event="defect_confirmed", on=today)
        assert not _clock(later, "long").provisional
        assert _clock(case, "long").provisional  # the first clock keeps what it showed


def test_each_clock_started_or_stopped_is_audited(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    S.clocks_on_event(actor=org.cqo, case=case, event="report_filed", on=D(2026, 10, 8))
    clock = _clock(case, "report")
    actions = list(
        AuditEvent.objects.filter(object_id=str(clock.pk)).values_list("action", flat=True)
    )
    assert "recall.clock.start" in actions and "recall.clock.stop" in actions


def test_it_refuses_an_unknown_event_a_future_day_and_a_stop_before_the_start(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    with pytest.raises(ValidationError) as refused:
        S.clocks_on_event(actor=org.cqo, case=case, event="anything", on=EVE)
    assert "event" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        S.clocks_on_event(actor=org.cqo, case=case, event="report_filed",
                          on=timezone.localdate() + datetime.timedelta(days=1))  # fmt: skip
    assert "on" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        S.clocks_on_event(actor=org.cqo, case=case, event="report_filed", on=D(2026, 9, 29))
    assert "§7.2.1.4" in str(refused.value)
    assert _clock(case, "report").status == ClockStatus.RUNNING


def test_only_the_cqo_in_office_records_events_stops_and_waives(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    clock = _clock(case, "report")
    for who in (org.engineer, org.principal, admin_of(org)):
        with pytest.raises(PermissionDenied):
            S.clock_event_record(actor=who, case=case, event="report_filed", on=EVE)
        with pytest.raises(PermissionDenied):
            S.clock_waive(actor=who, clock=clock, reason="不适用")
    waived = S.clock_waive(actor=org.cqo, clock=clock, reason="未造成人身伤害，不属严重危害")
    assert waived.status == ClockStatus.WAIVED
    with pytest.raises(ValidationError):
        S.clock_stop(actor=org.cqo, clock=clock, on=EVE, note="已报告")


def test_a_clock_without_a_stopping_event_is_stopped_by_hand_with_a_note(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    clock = _clock(case, "report")
    with pytest.raises(ValidationError) as refused:
        S.clock_stop(actor=org.cqo, clock=clock, on=D(2026, 10, 8), note=" ")
    assert "note" in refused.value.error_dict
    stopped = S.clock_stop(actor=org.cqo, clock=clock, on=D(2026, 10, 8),
                           note="已通过省局系统报告，回执号 2026-1008")  # fmt: skip
    assert stopped.status == ClockStatus.MET and stopped.stopped_on == D(2026, 10, 8)


def test_a_profile_with_a_bad_deadline_is_refused_naming_the_row(org: Org) -> None:
    good = {"key": "report", "label": "报告", "source": "测试", "start_event": "signal_received",
            "count": 2}  # fmt: skip
    bad = {**good, "key": "plan", "start_event": "nothing"}
    with pytest.raises(ValidationError) as refused:
        S.profile_create(actor=org.cqo, code="food", name="食品", regime="other",
                         deadlines=[good, bad])  # fmt: skip
    assert "2" in str(refused.value.error_dict["deadlines"])
    with pytest.raises(PermissionDenied):
        S.profile_create(actor=org.engineer, code="food", name="食品", regime="other",
                         deadlines=[good])  # fmt: skip
    profile = S.profile_create(actor=admin_of(org), code="food", name="食品", regime="other",
                               deadlines=[good])  # fmt: skip
    assert profile.current().deadlines.get().count == 2


def test_the_case_follows_the_profile_the_cqo_chose(org: Org) -> None:
    case = case_with_clocks(org, [("plan_filed", EVE)], profile="vehicles")
    keys = set(RecallClock.objects.filter(case=case).values_list("key", flat=True))
    assert keys == {"publish", "owners"}
    assert _clock(case, "owners").due_on == workdays.workdays_add(EVE, 30)
    assert not _clock(case, "owners").verified


def test_the_administrator_adds_a_year_and_corrects_a_day_audited(org: Org) -> None:
    admin = admin_of(org)
    year = max(workdays.PACKAGE_YEARS) + 1
    with pytest.raises(PermissionDenied):
        S.calendar_day_set(actor=org.cqo, day=D(year, 1, 1), kind="holiday", reason="x")
    with pytest.raises(ValidationError) as refused:
        S.calendar_year_add(actor=admin, year=2026, source="国办发明电", holidays=[(EVE, "x")])
    assert "year" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        S.calendar_year_add(actor=admin, year=year, source="国办发明电",
                            holidays=[(D(year + 1, 1, 1), "元旦")])  # fmt: skip
    assert "holidays" in refused.value.error_dict
    assert not workdays.covered(year)
    added = S.calendar_year_add(
        actor=admin, year=year, source="国务院办公厅关于放假安排的通知（测试）",
        holidays=[(D(year, 1, 1), "元旦"), (D(year, 2, 8), "春节")],
        workdays_=[(D(year, 2, 6), "春节")],
    )  # fmt: skip
    assert workdays.covered(year) and year in workdays.calendar_years()
    assert not workdays.is_workday(D(year, 1, 1))
    assert workdays.is_workday(D(year, 2, 6))
    assert CalendarDay.objects.filter(year=added).count() == 3
    assert AuditEvent.objects.filter(action="recall.calendar.year_add").count() == 1
    S.calendar_day_set(actor=admin, day=D(year, 2, 8), kind="workday", reason="更正")
    assert workdays.is_workday(D(year, 2, 8))
    assert CalendarDay.objects.filter(day=D(year, 2, 8), voided_at__isnull=True).count() == 1
    S.calendar_day_clear(actor=admin, day=D(year, 2, 8), reason="撤销更正")
    assert workdays.day_source(D(year, 2, 8)) == "weekdays"
    assert CalendarYear.objects.get().year == year


def test_a_clock_about_to_run_out_warns_the_cqo_once_a_day(org: Org) -> None:
    today = timezone.localdate()
    start = workdays.workdays_add(today, -9)  # the plan clock has a working day or two left
    case = case_with_clocks(org, [("defect_confirmed", start)])
    rows = clocks_of(case)
    assert rows[0].left in (1, 2) and rows[0].warn and not rows[0].overdue
    assert [r.clock.key for r in clocks_due(org.cqo)] == ["plan"]
    assert S.clocks_remind() == 1
    assert Notification.objects.filter(recipient=org.cqo).count() == 1
    assert S.clocks_remind() == 0  # once a day


def test_a_running_clock_past_its_due_day_is_overdue(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    row = clocks_of(case, today=D(2026, 10, 12))[0]
    # Two working days late: 10 October (a make-up Saturday) and 12 October.
    assert row.overdue and row.left == -2 and row.tone == "danger"
    assert recall_case(org).clocks.count() == 0
