"""Every change to the daily control, weekly check and monthly dispatch records and their
rectification tasks (§7.2.1, §7.2.1.2): keyword-only, the actor's permission first, each refusal
naming the field and the clause, the change and its audit event in one transaction. Also the
chasing of missing records (``regime_remind``), run by the daily reminders job and hourly."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.authorities import engine
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.uploads import upload_check
from cqo.notifications.services import notify, reminder_claim
from cqo.organisation.models import PostKind

from . import rules_regime, selectors_registers
from . import selectors_regime as sel
from .models_regime import (
    DailyCheck,
    DailyRecord,
    DispatchStatus,
    MonthlyDispatch,
    RectificationTask,
    RegimePolicy,
    TaskStatus,
    WeeklyReport,
)

# Daily control and weekly check serve the risk review of §7.2.1.2; the monthly dispatch, where
# the principal hears the CQO, the quality-safety duty as a whole (§7.2.1).
CLAUSE_DAILY = clause("§7.2.1.2")
CLAUSE_WEEKLY = clause("§7.2.1.2")
CLAUSE_MONTHLY = clause("§7.2.1")
MAX_TEXT = 20000


def _blank(value: Any) -> str:
    return str(value or "").strip()


def _with(message: str, field_clause: str) -> str:
    return f"{message} ({field_clause})"


def _text(value: Any, field: str, field_clause: str, *, required: bool = True) -> str:
    text = _blank(value)
    if required and not text:
        raise ValidationError({field: _with(_("This field is required."), field_clause)})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {field: _with(_("At most %(n)d characters.") % {"n": MAX_TEXT}, field_clause)}
        )
    return text


# --- the schedule ------------------------------------------------------------------------------


@transaction.atomic
def policy_set(
    *,
    actor: User,
    starts_on: datetime.date,
    daily_due_hour: int,
    weekends: bool = False,
    weekly_due_days: int = 1,
    monthly_due_day: int = 10,
) -> RegimePolicy:
    """Put a new record schedule in force (the CQO in office); earlier ones stay as history."""
    require(actor, "safety.change_regimepolicy", clause=CLAUSE_DAILY)
    checks = (
        ("daily_due_hour", daily_due_hour, 0, 23),
        ("weekly_due_days", weekly_due_days, 0, 14),
        ("monthly_due_day", monthly_due_day, 1, 28),
    )
    for field, value, low, high in checks:
        if value is None or not low <= int(value) <= high:
            raise ValidationError({field: _with(
                _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high},
                CLAUSE_DAILY,
            )})  # fmt: skip
    if starts_on is None:
        raise ValidationError({"starts_on": _with(_("This field is required."), CLAUSE_DAILY)})
    policy = RegimePolicy.objects.create(
        starts_on=starts_on, daily_due_hour=int(daily_due_hour), weekends=bool(weekends),
        weekly_due_days=int(weekly_due_days), monthly_due_day=int(monthly_due_day),
        set_by=actor, set_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action="safety.regimepolicy.set", obj=policy,
                 after=snapshot(policy), clause=CLAUSE_DAILY)  # fmt: skip
    return policy


# --- daily control -----------------------------------------------------------------------------


def daily_url(record: DailyRecord) -> str:
    return reverse("safety:regime_daily", args=[record.pk])


@transaction.atomic
def daily_record_add(
    *,
    actor: User,
    day: datetime.date,
    checks: Iterable[dict[str, Any]],
    note: str = "",
) -> DailyRecord:
    """Record the day's checks of the daily controls of the risk-control list in force that day.
    ``checks``: one ``{"key", "done", "finding", "photo"}`` per control; every control answered,
    none twice, none unknown; a control not done needs its finding."""
    require(actor, "safety.add_dailyrecord", clause=CLAUSE_DAILY)
    today = timezone.localdate()
    if day is None:
        raise ValidationError({"day": _with(_("This field is required."), CLAUSE_DAILY)})
    if day > today:
        raise ValidationError({"day": _with(
            _("A day's control is recorded on the day or after it, not before."), CLAUSE_DAILY
        )})  # fmt: skip
    if DailyRecord.objects.filter(day=day, voided_at__isnull=True).exists():
        raise ValidationError({"day": _with(
            _("This day already has its daily control record."), CLAUSE_DAILY
        )})  # fmt: skip
    controls = {
        c.key: c for c in selectors_registers.controls_for_records(on=day, frequency="daily")
    }
    if not controls:
        raise ValidationError({"checks": _with(
            _("The risk-control list in force on this day has no daily controls to check."),
            CLAUSE_DAILY,
        )})  # fmt: skip
    answers: dict[str, dict[str, Any]] = {}
    for answer in checks:
        key = str(answer.get("key", ""))
        if key not in controls:
            raise ValidationError({"checks": _with(
                _("“%(key)s” is not a daily control of the list in force.") % {"key": key[:80]},
                CLAUSE_DAILY,
            )})  # fmt: skip
        if key in answers:
            raise ValidationError({"checks": _with(
                _("The control %(code)s is answered twice.") % {"code": controls[key].code},
                CLAUSE_DAILY,
            )})  # fmt: skip
        answers[key] = answer
    missing = [c.code for k, c in controls.items() if k not in answers]
    if missing:
        raise ValidationError({"checks": _with(
            _("Answer every daily control; missing: %(codes)s.") % {"codes": ", ".join(missing)},
            CLAUSE_DAILY,
        )})  # fmt: skip
    rows = []
    for key, control in controls.items():
        answer = answers[key]
        finding = _text(answer.get("finding"), "checks", CLAUSE_DAILY, required=False)
        done = bool(answer.get("done"))
        if not done and not finding:
            raise ValidationError({"checks": _with(
                _("The control %(code)s was not done: say what was found.")
                % {"code": control.code},
                CLAUSE_DAILY,
            )})  # fmt: skip
        photo = answer.get("photo") or None
        if photo is not None:
            upload_check(photo, field="checks", allowed=("png", "jpeg"))
        rows.append(DailyCheck(
            control_key=control.key, control_code=control.code[:40], control_text=control.text,
            risk_code=(control.risk_code or "")[:40], done=done, finding=finding,
            photo=photo or "",
        ))  # fmt: skip
    record = DailyRecord.objects.create(
        day=day, recorded_by=actor, recorded_at=timezone.now(),
        note=_text(note, "note", CLAUSE_DAILY, required=False),
    )  # fmt: skip
    for row in rows:
        row.record = record
        row.save()
    audit_record(
        actor=actor, action="safety.daily.record", obj=record,
        after={
            **snapshot(record),
            "checks": [
                {"key": r.control_key, "code": r.control_code, "done": r.done,
                 "finding": r.finding, "photo": r.photo.name if r.photo else ""}
                for r in rows
            ],
        },
        clause=CLAUSE_DAILY,
    )  # fmt: skip
    return record


def daily_record_void(*, actor: User, record: DailyRecord, reason: str) -> DailyRecord:
    """Void a daily record (wrong day, wrong answers); the day can then be recorded again."""
    return record_void(actor=actor, record=record, reason=reason,  # type: ignore[return-value]
                       perm="safety.void_dailyrecord", clause=CLAUSE_DAILY)  # fmt: skip


# --- weekly check ------------------------------------------------------------------------------


def weekly_url(report: WeeklyReport) -> str:
    return reverse("safety:regime_weekly", args=[report.pk])


@transaction.atomic
def weekly_report_add(
    *,
    actor: User,
    week_start: datetime.date,
    summary: str,
    problems: str = "",
    conclusion: str = "",
) -> WeeklyReport:
    """The quality-safety director's report on a week that has begun; the week's figures from
    the daily records are kept with it."""
    require(actor, "safety.add_weeklyreport", clause=CLAUSE_WEEKLY)
    if week_start is None:
        raise ValidationError({"week_start": _with(_("This field is required."), CLAUSE_WEEKLY)})
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _with(
            _("A week starts on a Monday."), CLAUSE_WEEKLY)})  # fmt: skip
    if week_start > timezone.localdate():
        raise ValidationError({"week_start": _with(
            _("A week is reported once it has begun."), CLAUSE_WEEKLY)})  # fmt: skip
    if WeeklyReport.objects.filter(week_start=week_start, voided_at__isnull=True).exists():
        raise ValidationError({"week_start": _with(
            _("This week already has its check report."), CLAUSE_WEEKLY)})  # fmt: skip
    report = WeeklyReport.objects.create(
        week_start=week_start, written_by=actor, written_at=timezone.now(),
        summary=_text(summary, "summary", CLAUSE_WEEKLY),
        problems=_text(problems, "problems", CLAUSE_WEEKLY, required=False),
        conclusion=_text(conclusion, "conclusion", CLAUSE_WEEKLY, required=False),
        figures=sel.week_figures(week_start),
    )  # fmt: skip
    audit_record(actor=actor, action="safety.weekly.write", obj=report, after=snapshot(report),
                 clause=CLAUSE_WEEKLY)  # fmt: skip
    return report


def weekly_report_void(*, actor: User, report: WeeklyReport, reason: str) -> WeeklyReport:
    if report.tasks.filter(voided_at__isnull=True).exists():
        raise ValidationError({"reason": _with(
            _("Void this report's rectification tasks first."), CLAUSE_WEEKLY)})  # fmt: skip
    return record_void(actor=actor, record=report, reason=reason,  # type: ignore[return-value]
                       perm="safety.void_weeklyreport", clause=CLAUSE_WEEKLY)  # fmt: skip


# --- monthly dispatch --------------------------------------------------------------------------


def monthly_url(dispatch: MonthlyDispatch) -> str:
    return reverse("safety:regime_monthly", args=[dispatch.pk])


@transaction.atomic
def monthly_report_submit(*, actor: User, month: datetime.date, report: str) -> MonthlyDispatch:
    """The CQO's (or the director's) report on a month, for the principal's dispatch meeting;
    the month's figures are kept with it and the principal is told."""
    require(actor, "safety.add_monthlydispatch", clause=CLAUSE_MONTHLY)
    if month is None:
        raise ValidationError({"month": _with(_("This field is required."), CLAUSE_MONTHLY)})
    month = sel.month_start(month)
    if month > sel.month_start(timezone.localdate()):
        raise ValidationError({"month": _with(
            _("A month is reported once it has begun."), CLAUSE_MONTHLY)})  # fmt: skip
    if MonthlyDispatch.objects.filter(month=month, voided_at__isnull=True).exists():
        raise ValidationError({"month": _with(
            _("This month already has its dispatch record."), CLAUSE_MONTHLY)})  # fmt: skip
    dispatch = MonthlyDispatch.objects.create(
        month=month, report=_text(report, "report", CLAUSE_MONTHLY), reported_by=actor,
        reported_at=timezone.now(), figures=sel.month_figures(month),
    )  # fmt: skip
    audit_record(actor=actor, action="safety.monthly.report", obj=dispatch,
                 after=snapshot(dispatch), clause=CLAUSE_MONTHLY)  # fmt: skip
    notify(
        principals(),
        lambda d=dispatch: _(  # type: ignore[misc]
            "The CQO's quality-safety report for %(month)s awaits your monthly dispatch meeting."
        ) % {"month": d.month.strftime("%Y-%m")},
        url=monthly_url(dispatch), clause=CLAUSE_MONTHLY,
    )  # fmt: skip
    return dispatch


def monthly_dispatch_record(
    *,
    actor: User,
    dispatch: MonthlyDispatch,
    held_on: datetime.date,
    attendees: str,
    decisions: str,
) -> MonthlyDispatch:
    """The principal records the dispatch meeting held on the CQO's report, and its decisions."""
    require(actor, "safety.record_monthlydispatch", dispatch, clause=CLAUSE_MONTHLY)
    with audited_change(actor=actor, obj=dispatch, action="safety.monthly.hold",
                        clause=CLAUSE_MONTHLY) as locked:  # fmt: skip
        if locked.is_voided:
            raise ValidationError(_with(_("This record is voided."), CLAUSE_MONTHLY))
        if locked.status == DispatchStatus.HELD:
            raise ValidationError({"held_on": _with(
                _("The meeting on this report is already recorded."), CLAUSE_MONTHLY)})  # fmt: skip
        if held_on is None:
            raise ValidationError({"held_on": _with(_("This field is required."),
                                                    CLAUSE_MONTHLY)})  # fmt: skip
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _with(
                _("A meeting is recorded once it has been held."), CLAUSE_MONTHLY)})  # fmt: skip
        if held_on < locked.reported_at.date():
            raise ValidationError({"held_on": _with(
                _("The meeting is held on the CQO's report, so not before it was submitted."),
                CLAUSE_MONTHLY,
            )})  # fmt: skip
        locked.attendees = _text(attendees, "attendees", CLAUSE_MONTHLY)
        locked.decisions = _text(decisions, "decisions", CLAUSE_MONTHLY)
        locked.held_on = held_on
        locked.chaired_by = actor
        locked.recorded_at = timezone.now()
        locked.status = DispatchStatus.HELD
    return locked


def monthly_dispatch_void(*, actor: User, dispatch: MonthlyDispatch, reason: str
                          ) -> MonthlyDispatch:  # fmt: skip
    if dispatch.tasks.filter(voided_at__isnull=True).exists():
        raise ValidationError({"reason": _with(
            _("Void this report's rectification tasks first."), CLAUSE_MONTHLY)})  # fmt: skip
    return record_void(actor=actor, record=dispatch, reason=reason,  # type: ignore[return-value]
                       perm="safety.void_monthlydispatch", clause=CLAUSE_MONTHLY)  # fmt: skip


# --- rectification tasks -----------------------------------------------------------------------


def task_url(task: RectificationTask) -> str:
    return reverse("safety:regime_task", args=[task.pk])


@transaction.atomic
def task_raise(
    *,
    actor: User,
    source: WeeklyReport | MonthlyDispatch,
    problem: str,
    action: str,
    owner: User,
    deadline: datetime.date,
) -> RectificationTask:
    """A rectification task from a weekly report (the director) or a monthly dispatch (the
    principal), with its owner and deadline; the owner is told."""
    field_clause = CLAUSE_MONTHLY if isinstance(source, MonthlyDispatch) else CLAUSE_WEEKLY
    require(actor, "safety.add_rectificationtask", source, clause=field_clause)
    if source.is_voided:
        raise ValidationError(_with(_("This record is voided."), field_clause))
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _with(
            _("Choose an active account to own the task."), field_clause)})  # fmt: skip
    if deadline is None:
        raise ValidationError({"deadline": _with(_("This field is required."), field_clause)})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _with(
            _("The deadline cannot be in the past."), field_clause)})  # fmt: skip
    year = timezone.localdate().year
    task = RectificationTask.objects.create(
        number=number_next(RectificationTask, f"ZG-{year}-", 4),
        weekly=source if isinstance(source, WeeklyReport) else None,
        monthly=source if isinstance(source, MonthlyDispatch) else None,
        problem=_text(problem, "problem", field_clause),
        action=_text(action, "action", field_clause), owner=owner, deadline=deadline,
        raised_by=actor, raised_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action="safety.task.raise", obj=task, after=snapshot(task),
                 clause=field_clause)  # fmt: skip
    notify(
        [owner],
        lambda t=task: _(  # type: ignore[misc]
            "Rectification task %(number)s is yours, due %(deadline)s."
        ) % {"number": t.number, "deadline": t.deadline.isoformat()},
        url=task_url(task), clause=field_clause,
    )  # fmt: skip
    return task


def task_close(
    *, actor: User, task: RectificationTask, evidence: str, evidence_file: Any = None
) -> RectificationTask:
    """Close a task with the evidence that the rectification was done (its owner, or the
    director)."""
    require(actor, "safety.close_rectificationtask", task, clause=CLAUSE_WEEKLY)
    text = _text(evidence, "evidence", CLAUSE_WEEKLY)
    if evidence_file:
        upload_check(evidence_file, field="evidence_file")
    with audited_change(actor=actor, obj=task, action="safety.task.close",
                        clause=CLAUSE_WEEKLY) as locked:  # fmt: skip
        if locked.is_voided:
            raise ValidationError(_with(_("This record is voided."), CLAUSE_WEEKLY))
        if locked.status == TaskStatus.CLOSED:
            raise ValidationError({"evidence": _with(_("This task is already closed."),
                                                     CLAUSE_WEEKLY)})  # fmt: skip
        locked.evidence = text
        if evidence_file:
            locked.evidence_file = evidence_file
        locked.status = TaskStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor
    return locked


def task_void(*, actor: User, task: RectificationTask, reason: str) -> RectificationTask:
    source = task.monthly or task.weekly
    perm = "safety.void_monthlydispatch" if task.monthly_id else "safety.void_weeklyreport"
    require(actor, perm, source, clause=CLAUSE_WEEKLY)
    return record_void(actor=actor, record=task, reason=reason,  # type: ignore[return-value]
                       perm=perm, clause=CLAUSE_WEEKLY)  # fmt: skip


# --- chasing -----------------------------------------------------------------------------------


def _users(ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(pk__in=list(ids), is_active=True))


def officers() -> list[User]:
    """Who records the daily control: the quality-safety officers today, else the director."""
    found = _users(rules_regime.post_holder_ids(PostKind.QUALITY_SAFETY_OFFICER))
    return found or directors()


def directors() -> list[User]:
    found = _users(rules_regime.post_holder_ids(PostKind.QUALITY_SAFETY_DIRECTOR))
    if found:
        return found
    cqo = engine.current_cqo_user()
    return [cqo] if cqo is not None else []


def principals() -> list[User]:
    return list(User.objects.filter(groups__name="principal", is_active=True).distinct())


def regime_remind(now: datetime.datetime | None = None) -> int:
    """Chase the missing records: a day without its daily record past the hour reminds the
    officers; a week without its report escalates to the CQO (and the director); a month
    without its dispatch meeting to the principal (and the CQO). Each gap once a day."""
    from cqo.core import request_cache

    now = now or timezone.now()
    today = timezone.localdate(now)
    request_cache.forget()
    found = sel.gaps(now=now)
    sent = 0
    cqo = engine.current_cqo_user()
    overview = reverse("safety:regime")
    for day in found.days:
        with transaction.atomic():
            if not reminder_claim(sel.daily_reminder_key(day), on=today):
                continue
            notify(
                officers(),
                lambda d=day: _(  # type: ignore[misc]
                    "The daily quality-safety control record of %(day)s is missing: record it "
                    "on the risk-control list."
                ) % {"day": d.isoformat()},
                url=f"{reverse('safety:regime_daily_new')}?day={day.isoformat()}",
                clause=CLAUSE_DAILY,
            )  # fmt: skip
            sent += 1
    for monday in found.weeks:
        with transaction.atomic():
            if not reminder_claim(f"safety.regime.weekly.{monday.isoformat()}", on=today):
                continue
            notify(
                [cqo, *directors()],
                lambda m=monday: _(  # type: ignore[misc]
                    "The weekly quality-safety check report of the week from %(day)s is missing."
                ) % {"day": m.isoformat()},
                url=f"{reverse('safety:regime_weekly_new')}?week={monday.isoformat()}",
                clause=CLAUSE_WEEKLY,
            )  # fmt: skip
            sent += 1
    for month in found.months:
        with transaction.atomic():
            if not reminder_claim(f"safety.regime.monthly.{month.isoformat()}", on=today):
                continue
            notify(
                [*principals(), cqo],
                lambda m=month: _(  # type: ignore[misc]
                    "The monthly quality-safety dispatch meeting of %(month)s is not recorded."
                ) % {"month": m.strftime("%Y-%m")},
                url=overview, clause=CLAUSE_MONTHLY,
            )  # fmt: skip
            sent += 1
    for task in sel.tasks_open_overdue(today):
        with transaction.atomic():
            if not reminder_claim(f"safety.regime.task.{task.pk}", on=today, every_days=3):
                continue
            notify(
                [task.owner],
                lambda t=task: _(  # type: ignore[misc]
                    "Rectification task %(number)s is past its deadline (%(deadline)s)."
                ) % {"number": t.number, "deadline": t.deadline.isoformat()},
                url=task_url(task), clause=CLAUSE_WEEKLY,
            )  # fmt: skip
            sent += 1
    return sent
