"""Daily control, weekly check and monthly dispatch (§7.2.1, §7.2.1.2): who records which record,
what each refuses, the rectification tasks, and the chase of a missing record."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from cqo.audit.models import AuditEvent
from cqo.notifications.models import Notification
from cqo.safety import selectors_regime as sel
from cqo.safety import services_regime as S
from cqo.safety.models_regime import DailyCheck, DispatchStatus, TaskStatus
from cqo.testing import regime as T
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def org(db: Any, monkeypatch: Any) -> Org:
    world = Org()
    T.daily_controls(monkeypatch)
    T.regime_posts(world)
    return world


def today() -> datetime.date:
    return timezone.localdate()


def _ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


# --- daily control --------------------------------------------------------------------------


def test_an_officer_records_the_day_with_every_control_snapshotted(org: Org) -> None:
    record = T.daily_record(org, today(), **{"k-mc-1": "刀具寿命计数未清零"})
    rows = list(record.checks.order_by("control_code"))
    assert [(r.control_code, r.done) for r in rows] == [
        ("C-AS-01", True), ("C-DC-01", True), ("C-MC-01", False)
    ]  # fmt: skip
    assert rows[2].control_text == "活塞孔精镗刀具寿命计数在限内"
    event = AuditEvent.objects.get(action="safety.daily.record", object_id=str(record.pk))
    assert event.clause == "§7.2.1.2"
    assert len(event.after["checks"]) == 3


def test_a_later_version_of_the_list_does_not_rewrite_what_was_checked(
    org: Org, monkeypatch: Any
) -> None:
    record = T.daily_record(org, today())
    changed = [T.CONTROLS[0].__class__(key="k-dc-1", code="C-DC-01", text="改写后的管控措施",
                                       frequency="daily")]  # fmt: skip
    T.daily_controls(monkeypatch, changed)
    texts = set(DailyCheck.objects.filter(record=record).values_list("control_text", flat=True))
    assert "改写后的管控措施" not in texts


def test_it_refuses_a_daily_record_from_someone_who_holds_no_safety_post(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        T.daily_record(org, today(), by=org.engineer)


def test_the_director_may_stand_in_for_the_officer(org: Org) -> None:
    assert T.daily_record(org, today(), by=org.cqo).recorded_by == org.cqo


def test_it_refuses_a_second_record_for_the_same_day(org: Org) -> None:
    T.daily_record(org, today())
    with pytest.raises(ValidationError) as exc:
        T.daily_record(org, today())
    assert "day" in exc.value.message_dict


def test_it_refuses_a_record_for_a_day_still_to_come(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        T.daily_record(org, today() + datetime.timedelta(days=1))
    assert "§7.2.1.2" in exc.value.message_dict["day"][0]


def test_it_refuses_a_control_left_unanswered(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        S.daily_record_add(actor=org.inspector, day=today(),
                           checks=T.checks_all_done()[:2])  # fmt: skip
    assert "C-AS-01" in exc.value.message_dict["checks"][0]


def test_it_refuses_a_control_that_is_not_on_the_list(org: Org) -> None:
    checks = [*T.checks_all_done(), {"key": "k-unknown", "done": True}]
    with pytest.raises(ValidationError) as exc:
        S.daily_record_add(actor=org.inspector, day=today(), checks=checks)
    assert "k-unknown" in exc.value.message_dict["checks"][0]


def test_it_refuses_a_control_not_done_without_its_finding(org: Org) -> None:
    checks = T.checks_all_done()
    checks[0]["done"] = False
    with override("zh-hans"), pytest.raises(ValidationError) as exc:
        S.daily_record_add(actor=org.inspector, day=today(), checks=checks)
    assert "C-DC-01" in exc.value.message_dict["checks"][0]


def test_it_refuses_a_day_when_the_list_has_no_daily_controls(org: Org, monkeypatch: Any) -> None:
    T.daily_controls(monkeypatch, [])
    with pytest.raises(ValidationError) as exc:
        S.daily_record_add(actor=org.inspector, day=today(), checks=[])
    assert "checks" in exc.value.message_dict


def test_a_photo_is_kept_and_a_disguised_file_refused(org: Org) -> None:
    checks = T.checks_all_done()
    checks[0]["photo"] = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    record = S.daily_record_add(actor=org.inspector, day=today(), checks=checks)
    assert record.checks.get(control_key="k-dc-1").photo.name.endswith(".png")
    checks = T.checks_all_done()
    checks[0]["photo"] = SimpleUploadedFile("b.png", b"<html>no</html>", content_type="image/png")
    with pytest.raises(ValidationError):
        S.daily_record_add(actor=org.inspector, day=_ago(1), checks=checks)


def test_a_voided_day_can_be_recorded_again(org: Org) -> None:
    record = T.daily_record(org, today())
    with pytest.raises(PermissionDenied):
        S.daily_record_void(actor=org.inspector, record=record, reason="记错")
    S.daily_record_void(actor=org.cqo, record=record, reason="记错了日期")
    assert T.daily_record(org, today()).pk != record.pk


# --- weekly check and tasks ------------------------------------------------------------------


def test_the_director_writes_the_weekly_report_with_the_weeks_figures(org: Org) -> None:
    monday = T.monday_of(_ago(7))
    T.daily_record(org, monday, **{"k-dc-1": "保压记录缺一班"})
    T.daily_record(org, monday + datetime.timedelta(days=1))
    report = T.weekly_report(org, monday)
    assert report.figures == {"days_recorded": 2, "checks": 6, "not_done": 1, "findings": 1}
    assert AuditEvent.objects.filter(action="safety.weekly.write").count() == 1


def test_it_refuses_a_weekly_report_from_an_officer_or_on_a_tuesday(org: Org) -> None:
    monday = T.monday_of(_ago(7))
    with pytest.raises(PermissionDenied):
        S.weekly_report_add(actor=org.inspector, week_start=monday, summary="x")
    with pytest.raises(ValidationError) as exc:
        T.weekly_report(org, monday + datetime.timedelta(days=1))
    assert "week_start" in exc.value.message_dict


def test_the_cqo_writes_the_weekly_report_while_nobody_holds_the_directors_post(
    db: Any, monkeypatch: Any
) -> None:
    world = Org()
    T.daily_controls(monkeypatch)
    report = T.weekly_report(world, T.monday_of(_ago(7)))
    assert report.written_by == world.cqo


def test_a_task_has_an_owner_a_deadline_and_closes_only_with_evidence(org: Org) -> None:
    report = T.weekly_report(org, T.monday_of(_ago(7)))
    task = S.task_raise(actor=org.cqo, source=report, problem="刀具寿命计数未清零",
                        action="更换刀具并培训", owner=org.head,
                        deadline=today() + datetime.timedelta(days=5))  # fmt: skip
    assert task.number.startswith(f"ZG-{today().year}-")
    assert Notification.objects.filter(recipient=org.head).exists()
    with pytest.raises(PermissionDenied):
        S.task_close(actor=org.engineer, task=task, evidence="好了")
    with pytest.raises(ValidationError) as exc:
        S.task_close(actor=org.head, task=task, evidence="  ")
    assert "evidence" in exc.value.message_dict
    closed = S.task_close(actor=org.head, task=task, evidence="已更换刀具，培训 12 人")
    assert closed.status == TaskStatus.CLOSED and closed.closed_by == org.head
    with pytest.raises(ValidationError):
        S.task_close(actor=org.head, task=closed, evidence="再关一次")


def test_it_refuses_a_task_with_a_deadline_in_the_past(org: Org) -> None:
    report = T.weekly_report(org, T.monday_of(_ago(7)))
    with pytest.raises(ValidationError) as exc:
        S.task_raise(actor=org.cqo, source=report, problem="p", action="a", owner=org.head,
                     deadline=_ago(1))  # fmt: skip
    assert "deadline" in exc.value.message_dict


# --- monthly dispatch -----------------------------------------------------------------------


def test_the_principal_holds_the_dispatch_on_the_cqos_report(org: Org) -> None:
    month = sel.month_start(sel.month_start(today()) - datetime.timedelta(days=1))
    dispatch = T.monthly_reported(org, month)
    assert Notification.objects.filter(recipient=org.principal).exists()
    with pytest.raises(PermissionDenied):
        S.monthly_dispatch_record(actor=org.cqo, dispatch=dispatch, held_on=today(),
                                  attendees="a", decisions="d")  # fmt: skip
    held = S.monthly_dispatch_record(actor=org.principal, dispatch=dispatch, held_on=today(),
                                     attendees="主要负责人", decisions="增配监控")  # fmt: skip
    assert held.status == DispatchStatus.HELD and held.chaired_by == org.principal
    task = S.task_raise(actor=org.principal, source=held, problem="p", action="a",
                        owner=org.head, deadline=today())  # fmt: skip
    assert task.monthly == held
    with pytest.raises(PermissionDenied):
        S.task_raise(actor=org.cqo, source=held, problem="p", action="a", owner=org.head,
                     deadline=today())  # fmt: skip


def test_it_refuses_a_meeting_dated_before_the_report(org: Org) -> None:
    dispatch = T.monthly_reported(org, sel.month_start(today()))
    with pytest.raises(ValidationError) as exc:
        S.monthly_dispatch_record(actor=org.principal, dispatch=dispatch, held_on=_ago(3),
                                  attendees="a", decisions="d")  # fmt: skip
    assert "held_on" in exc.value.message_dict


# --- the chase -------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_day_without_its_record_by_the_hour_reminds_the_officer_once(org: Org) -> None:
    T.schedule(org, _ago(3), daily_due_hour=17)
    for n in (3, 2, 1):
        if n != 2:
            T.daily_record(org, _ago(n))
    # Before the hour today's record is not yet due; only the missing day two days ago is.
    assert sel.gaps(now=_at(today(), 9)).days == [_ago(2)]
    assert sel.gaps(now=_at(today(), 18)).days == [_ago(2), today()]
    sent = S.regime_remind(now=_at(today(), 9))
    assert sent == 1
    notes = Notification.objects.filter(recipient=org.inspector)
    assert notes.count() == 1 and _ago(2).isoformat() in notes.get().message
    assert S.regime_remind(now=_at(today(), 10)) == 0  # once a day


def test_a_missing_weekly_report_escalates_to_the_cqo_and_a_monthly_one_to_the_principal(
    org: Org,
) -> None:
    T.schedule(org, _ago(70))
    found = sel.gaps()
    assert found.weeks and found.months
    S.regime_remind()
    cqo_notes = " ".join(Notification.objects.filter(recipient=org.cqo)
                         .values_list("message_en", flat=True))  # fmt: skip
    principal_notes = " ".join(Notification.objects.filter(recipient=org.principal)
                               .values_list("message_en", flat=True))  # fmt: skip
    assert "weekly quality-safety check report" in cqo_notes
    assert "monthly quality-safety dispatch meeting" in principal_notes


def test_nothing_is_chased_before_the_schedule_starts(org: Org) -> None:
    assert sel.gaps().total == 0
    assert S.regime_remind() == 0


def test_the_schedule_is_set_by_the_cqo_only_and_refuses_an_hour_out_of_range(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        S.policy_set(actor=org.inspector, starts_on=today(), daily_due_hour=18)
    with pytest.raises(ValidationError) as exc:
        S.policy_set(actor=org.cqo, starts_on=today(), daily_due_hour=24)
    assert "daily_due_hour" in exc.value.message_dict
