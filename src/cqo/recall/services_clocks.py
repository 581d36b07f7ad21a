"""The clocks part's writes: the regulator's deadlines of a recall case, counted in working days
(§7.2.1.4), and the administrator's changes to the working-day calendar they are counted on.

``clocks_on_event`` is what the case part calls when a case event starts or stops a clock (inside
its own transaction, after its own permission check). A clock is started from the deadline of
the profile version in force that day and keeps a copy of it: its due date is fixed when it
starts. A later profile version, or a later correction of the calendar, changes the clocks
started after it and never the due dates already shown and reported."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.audit.services import audit_record, audited_change, snapshot
from cqo.core import workdays
from cqo.core.clauses import clause
from cqo.core.models import CalendarDay, CalendarDayKind, CalendarYear
from cqo.core.permissions import require

from .models_case import RecallCase
from .models_clocks import (
    CaseClockProfile,
    ClockDeadline,
    ClockProfile,
    ClockProfileVersion,
    ClockRegime,
    ClockStatus,
    ClockUnit,
    RecallClock,
)

CLAUSE = clause("§7.2.1.4")

# The case events a clock profile can start from or stop at, in the case's order.
CLOCK_EVENTS: tuple[str, ...] = (
    "signal_received",
    "report_filed",
    "defect_confirmed",
    "decision_made",
    "plan_filed",
    "notice_published",
    "owners_notified",
    "execution_completed",
    "summary_filed",
    "closed",
)

EVENT_LABELS = {
    "signal_received": gettext_lazy("Signal received"),
    "report_filed": gettext_lazy("Report filed with the regulator"),
    "defect_confirmed": gettext_lazy("Defect confirmed"),
    "decision_made": gettext_lazy("Recall decided"),
    "plan_filed": gettext_lazy("Recall plan filed"),
    "notice_published": gettext_lazy("Recall notice published"),
    "owners_notified": gettext_lazy("Owners notified"),
    "execution_completed": gettext_lazy("Remedy completed"),
    "summary_filed": gettext_lazy("Final recall report filed"),
    "closed": gettext_lazy("Case closed"),
}


def event_label(event: str) -> str:
    label = EVENT_LABELS.get(event)
    return str(label) if label is not None else event


def _with(message: str) -> str:
    return f"{message} ({CLAUSE})"


def _active(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_active", False):
        raise PermissionDenied(_("You do not have permission to do this."))


# --- the built-in profiles ----------------------------------------------------------------------

SOURCE_ORDER_19 = "《消费品召回管理暂行规定》（国家市场监督管理总局令第19号）"
SOURCE_ORDER_626 = "《缺陷汽车产品召回管理条例》（国务院令第626号）及其实施办法"

BUILT_IN: tuple[dict[str, Any], ...] = (
    {
        "code": "consumer-goods",
        "name": "消费品（市场监管总局令第19号）",
        "name_en": "Consumer goods (SAMR Order 19)",
        "regime": ClockRegime.CONSUMER_GOODS,
        "is_default": True,
        "deadlines": (
            {
                "key": "report",
                "count": 2,
                "start_event": "signal_received",
                "stop_event": "report_filed",
                "verified": False,
                "label": "已经或可能造成死亡、严重人身伤害或重大财产损失（或境外召回）时报告市场监管部门",
                "label_en": "Report to market regulation when death, serious injury or major "
                "property loss is caused or possible (or a recall abroad)",
                "source": SOURCE_ORDER_19 + "；与广东省粤府令第308号一致，国家条文措辞未核实",
                "condition": "产品已经或可能导致死亡、严重人身伤害、重大财产损失，或正在境外召回",
            },
            {
                "key": "plan",
                "count": 10,
                "start_event": "defect_confirmed",
                "stop_event": "plan_filed",
                "verified": True,
                "warn_days": 3,
                "label": "向省级市场监管部门报告召回计划",
                "label_en": "Report the recall plan to the provincial market regulator",
                "source": SOURCE_ORDER_19,
            },
            {
                "key": "notice",
                "count": 3,
                "start_event": "plan_filed",
                "stop_event": "notice_published",
                "verified": True,
                "label": "报告召回计划后发布召回公告",
                "label_en": "Publish the recall notice after reporting the plan",
                "source": SOURCE_ORDER_19,
            },
            {
                "key": "final-report",
                "count": 15,
                "start_event": "execution_completed",
                "stop_event": "summary_filed",
                "verified": False,
                "warn_days": 3,
                "label": "召回完成后提交召回总结报告",
                "label_en": "File the final recall report after the remedy is completed",
                "source": SOURCE_ORDER_19
                + "；15个工作日仅见于儿童玩具召回规定及家电召回规定征求意见稿",
            },
        ),
    },
    {
        "code": "vehicles",
        "name": "汽车（国务院令第626号）",
        "name_en": "Vehicles (State Council Order 626)",
        "regime": ClockRegime.VEHICLES,
        "is_default": False,
        "deadlines": (
            {
                "key": "publish",
                "count": 5,
                "start_event": "plan_filed",
                "stop_event": "notice_published",
                "verified": False,
                "label": "召回计划备案后向社会公布召回信息",
                "label_en": "Publish the recall after filing the plan",
                "source": SOURCE_ORDER_626 + "（实施办法征求意见稿）",
            },
            {
                "key": "owners",
                "count": 30,
                "start_event": "plan_filed",
                "stop_event": "owners_notified",
                "verified": False,
                "warn_days": 5,
                "label": "召回计划备案后通知车主",
                "label_en": "Notify the owners after filing the plan",
                "source": SOURCE_ORDER_626 + "（实施办法征求意见稿）",
            },
        ),
    },
)


def _deadline_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deadlines cleaned and checked: all refused at the first bad one, naming the row."""
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        key = str(row.get("key") or "").strip()
        label = str(row.get("label") or "").strip()
        source = str(row.get("source") or "").strip()
        start, stop = row.get("start_event") or "", row.get("stop_event") or ""
        problem = ""
        try:
            count = int(row.get("count"))  # type: ignore[arg-type]
            warn = int(row.get("warn_days", 1) if row.get("warn_days") is not None else 1)
        except (TypeError, ValueError):
            count, warn = -1, -1
        unit = row.get("unit") or ClockUnit.WORKDAYS
        if not key or not key.replace("-", "").replace("_", "").isalnum() or len(key) > 40:
            problem = _("give a key of letters, digits and hyphens")
        elif key in seen:
            problem = _("the key %(key)s is used twice") % {"key": key}
        elif not label or len(label) > 200:
            problem = _("name the deadline")
        elif not source or len(source) > 300:
            problem = _("give the source of the deadline")
        elif start not in CLOCK_EVENTS:
            problem = _("choose the event that starts the clock")
        elif stop and (stop not in CLOCK_EVENTS or stop == start):
            problem = _("choose another event to stop the clock, or none (stopped by hand)")
        elif unit not in ClockUnit.values:
            problem = _("choose working days or calendar days")
        elif not 1 <= count <= 365:
            problem = _("allow from 1 to 365 days")
        elif not 0 <= warn <= count:
            problem = _("warn at most as many days before as the clock allows")
        if problem:
            raise ValidationError(
                {
                    "deadlines": _with(
                        _("Deadline %(row)s: %(problem)s.") % {"row": number, "problem": problem}
                    )
                }
            )
        seen.add(key)
        cleaned.append({
            "key": key, "label": label, "label_en": str(row.get("label_en") or "").strip()[:200],
            "start_event": start, "stop_event": stop, "count": count, "unit": unit,
            "warn_days": warn, "source": source, "verified": bool(row.get("verified")),
            "condition": str(row.get("condition") or "").strip()[:300], "order": number,
        })  # fmt: skip
    if not cleaned:
        raise ValidationError({"deadlines": _with(_("A profile needs at least one deadline."))})
    return cleaned


def _version_add(
    *, actor: Any, profile: ClockProfile, rows: list[dict[str, Any]], note: str
) -> ClockProfileVersion:
    last = profile.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ClockProfileVersion.objects.create(
        profile=profile, number=last + 1, note=note, created_by=actor
    )
    ClockDeadline.objects.bulk_create([ClockDeadline(version=version, **row) for row in rows])
    return version


def _profile_after(profile: ClockProfile, version: ClockProfileVersion) -> dict[str, Any]:
    return {
        **snapshot(profile),
        "version": version.number,
        "deadlines": [snapshot(d) for d in version.deadlines.all()],
    }


@transaction.atomic
def profiles_ensure(*, actor: Any = None) -> int:
    """Add the built-in profiles (consumer goods, vehicles) that are missing; how many were added.
    Run when a clock first needs one, by the demo, or from the profiles page."""
    added = 0
    for spec in BUILT_IN:
        if ClockProfile.objects.filter(code=spec["code"]).exists():
            continue
        rows = _deadline_rows(spec["deadlines"])
        profile = ClockProfile.objects.create(
            code=spec["code"], name=spec["name"], name_en=spec["name_en"], regime=spec["regime"],
            is_default=spec["is_default"] and not ClockProfile.objects.filter(is_default=True)
            .exists(), created_by=actor,
        )  # fmt: skip
        version = _version_add(actor=actor, profile=profile, rows=rows,
                               note="built-in profile")  # fmt: skip
        audit_record(actor=actor, action="recall.clock_profile.create", obj=profile,
                     after=_profile_after(profile, version), clause=CLAUSE)  # fmt: skip
        added += 1
    return added


def profile_create(
    *,
    actor: Any,
    code: str,
    name: str,
    regime: str,
    deadlines: Iterable[dict[str, Any]],
    name_en: str = "",
    note: str = "",
) -> ClockProfile:
    """A new profile with its first version (the CQO or the administrator)."""
    require(actor, "recall.change_clockprofile", clause=CLAUSE)
    code = (code or "").strip().lower()
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not code or len(code) > 40 or not code.replace("-", "").isalnum() or not code.isascii():
        errors["code"] = _with(_("Give a code of letters, digits and hyphens."))
    elif ClockProfile.objects.filter(code=code).exists():
        errors["code"] = _with(_("A profile with this code exists; add a version to it."))
    if not name or len(name) > 200:
        errors["name"] = _with(_("Name the profile."))
    if regime not in ClockRegime.values:
        errors["regime"] = _with(_("Choose the product regime."))
    if errors:
        raise ValidationError(errors)
    rows = _deadline_rows(deadlines)
    with transaction.atomic():
        profile = ClockProfile.objects.create(code=code, name=name, name_en=(name_en or "")[:200],
                                              regime=regime, created_by=actor)  # fmt: skip
        version = _version_add(actor=actor, profile=profile, rows=rows, note=(note or "").strip())
        audit_record(actor=actor, action="recall.clock_profile.create", obj=profile,
                     after=_profile_after(profile, version), clause=CLAUSE)  # fmt: skip
    return profile


def profile_revise(
    *, actor: Any, profile: ClockProfile, deadlines: Iterable[dict[str, Any]], note: str
) -> ClockProfileVersion:
    """A new version of the profile's deadlines. Clocks already started keep the due dates they
    were started with; the new version counts only for clocks started from now on."""
    require(actor, "recall.change_clockprofile", profile, clause=CLAUSE)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _with(_("Say what changed and why."))})
    rows = _deadline_rows(deadlines)
    with audited_change(actor=actor, obj=profile, action="recall.clock_profile.revise",
                        clause=CLAUSE, reason=note, save=False) as locked:  # fmt: skip
        if locked.voided_at is not None:
            raise ValidationError({"note": _with(_("This profile was voided."))})
        version = _version_add(actor=actor, profile=locked, rows=rows, note=note)
    return version


# --- clocks on a case ---------------------------------------------------------------------------


def _profile_of(case: RecallCase) -> ClockProfile:
    chosen = CaseClockProfile.objects.filter(case=case).select_related("profile").first()
    if chosen is not None:
        return chosen.profile
    profile = (
        ClockProfile.objects.filter(voided_at__isnull=True).order_by("-is_default", "id").first()
    )
    if profile is None:
        raise ValidationError({"profile": _with(_("No clock profile is defined."))})
    return profile


def _due(start: datetime.date, count: int, unit: str) -> tuple[datetime.date, bool]:
    if unit == ClockUnit.DAYS:
        due = start + datetime.timedelta(days=count)
    else:
        due = workdays.workdays_add(start, count)
    return due, not workdays.span_covered(start, due)


def _event_check(event: str, on: Any) -> datetime.date:
    if event not in CLOCK_EVENTS:
        raise ValidationError({"event": _with(_("Choose one of the recall's events."))})
    if not isinstance(on, datetime.date) or isinstance(on, datetime.datetime):
        raise ValidationError({"on": _with(_("Give the day of the event."))})
    if on > timezone.localdate():
        raise ValidationError({"on": _with(_("An event cannot be recorded ahead of its day."))})
    if on.year < 2000:
        raise ValidationError({"on": _with(_("Give the day of the event."))})
    return on


def _clock_stop(
    *, actor: Any, clock: RecallClock, on: datetime.date, event: str, note: str
) -> None:
    if on < clock.started_on:
        raise ValidationError({"on": _with(
            _("The clock %(clock)s started on %(day)s; it cannot stop before.")
            % {"clock": clock.title, "day": clock.started_on})})  # fmt: skip
    with audited_change(actor=actor, obj=clock, action="recall.clock.stop", clause=CLAUSE,
                        reason=note, lock=False) as locked:  # fmt: skip
        locked.stopped_on = on
        locked.stopped_by_event = event
        locked.status = ClockStatus.MET if on <= locked.due_on else ClockStatus.LATE
        if note:
            locked.note = note


@dataclass(frozen=True)
class ClockChange:
    clock: RecallClock
    started: bool


def clocks_on_event(*, actor: Any, case: Any, event: str, on: datetime.date) -> list[ClockChange]:
    """Start or stop the case's clocks that ``event`` concerns (one of ``CLOCK_EVENTS``), on day
    ``on``. The calling service has checked its own permission; this runs in its transaction.
    A clock already started for a deadline is not started again (a repeated event is harmless)."""
    _active(actor)
    on = _event_check(event, on)
    changes: list[ClockChange] = []
    with transaction.atomic():
        case = RecallCase.objects.select_for_update().get(pk=case.pk)
        if case.voided_at is not None:
            raise ValidationError({"case": _with(_("This recall case was voided."))})
        if not ClockProfile.objects.exists():
            profiles_ensure(actor=actor)
        clocks = {
            c.key: c
            for c in RecallClock.objects.select_for_update(of=("self",)).filter(
                case=case, voided_at__isnull=True
            )
        }
        for clock in clocks.values():
            if clock.status == ClockStatus.RUNNING and clock.stop_event == event:
                _clock_stop(actor=actor, clock=clock, on=on, event=event, note="")
                changes.append(ClockChange(clock, started=False))
        version = _profile_of(case).current()
        deadlines = list(version.deadlines.all()) if version is not None else []
        for deadline in deadlines:
            if deadline.start_event != event or deadline.key in clocks:
                continue
            due, provisional = _due(on, deadline.count, deadline.unit)
            try:
                with transaction.atomic():
                    clock = RecallClock.objects.create(
                        case=case, deadline=deadline, key=deadline.key, label=deadline.label,
                        label_en=deadline.label_en, start_event=deadline.start_event,
                        stop_event=deadline.stop_event, count=deadline.count, unit=deadline.unit,
                        warn_days=deadline.warn_days, source=deadline.source,
                        verified=deadline.verified, condition=deadline.condition, started_on=on,
                        due_on=due, provisional=provisional, started_by=actor,
                    )  # fmt: skip
            except IntegrityError:  # started meanwhile by another request: keep that one
                continue
            audit_record(actor=actor, action="recall.clock.start", obj=clock,
                         after=snapshot(clock), clause=CLAUSE,
                         reason=f"{event} {on.isoformat()}")  # fmt: skip
            changes.append(ClockChange(clock, started=True))
    return changes


def clock_event_record(
    *, actor: Any, case: RecallCase, event: str, on: datetime.date
) -> list[ClockChange]:
    """The CQO records a case event on the clocks page (one the case's own steps do not record,
    such as the report filed with the regulator)."""
    require(actor, "recall.run_recallclock", case, clause=CLAUSE)
    return clocks_on_event(actor=actor, case=case, event=event, on=on)


def clock_stop(*, actor: Any, clock: RecallClock, on: datetime.date, note: str) -> RecallClock:
    """Stop a running clock by hand (what stops it happened outside the case's own steps)."""
    require(actor, "recall.run_recallclock", clock, clause=CLAUSE)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _with(_("Say what was done and where it is recorded."))})
    if not isinstance(on, datetime.date) or on > timezone.localdate():
        raise ValidationError({"on": _with(_("An event cannot be recorded ahead of its day."))})
    with transaction.atomic():
        locked = RecallClock.objects.select_for_update().get(pk=clock.pk)
        if locked.voided_at is not None or locked.status != ClockStatus.RUNNING:
            raise ValidationError({"on": _with(_("This clock is not running."))})
        _clock_stop(actor=actor, clock=locked, on=on, event="", note=note)
    return RecallClock.objects.get(pk=clock.pk)


def clock_waive(*, actor: Any, clock: RecallClock, reason: str) -> RecallClock:
    """Mark a running clock not applicable to this case (e.g. no serious harm), with the reason."""
    require(actor, "recall.run_recallclock", clock, clause=CLAUSE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _with(_("Give the reason the deadline does not apply."))})
    with audited_change(actor=actor, obj=clock, action="recall.clock.waive", clause=CLAUSE,
                        reason=reason) as locked:  # fmt: skip
        if locked.voided_at is not None or locked.status != ClockStatus.RUNNING:
            raise ValidationError({"reason": _with(_("This clock is not running."))})
        locked.status = ClockStatus.WAIVED
        locked.note = reason
    return locked


def case_profile_set(*, actor: Any, case: RecallCase, profile: ClockProfile) -> CaseClockProfile:
    """Choose the profile the case's clocks follow from now on (started clocks keep theirs)."""
    require(actor, "recall.run_recallclock", case, clause=CLAUSE)
    if profile.voided_at is not None or profile.current() is None:
        raise ValidationError({"profile": _with(_("Choose a profile in force."))})
    with transaction.atomic():
        chosen, _created = CaseClockProfile.objects.select_for_update().get_or_create(
            case=case, defaults={"profile": profile, "set_by": actor}
        )
        before = {"profile": chosen.profile_id if not _created else None}
        chosen.profile = profile
        chosen.set_by = actor
        chosen.save()
        audit_record(actor=actor, action="recall.clock_profile.choose", obj=case, before=before,
                     after={"profile": profile.pk, "code": profile.code},
                     clause=CLAUSE)  # fmt: skip
    return chosen


# --- reminders ----------------------------------------------------------------------------------


def clocks_remind() -> int:
    """The daily job: tell the CQO in office (and whoever opened the case) of each running clock
    within its warning days or past its due date, once a day."""
    from cqo.authorities.engine import current_cqo_user
    from cqo.notifications.services import notify, reminder_claim

    from .selectors_clocks import clock_url

    today = timezone.localdate()
    cqo = current_cqo_user()
    sent = 0
    running = RecallClock.objects.filter(
        voided_at__isnull=True, status=ClockStatus.RUNNING, case__voided_at__isnull=True
    ).select_related("case", "case__created_by")
    for clock in running:
        left = workdays.workdays_between(today, clock.due_on)
        if left > clock.warn_days:
            continue
        with transaction.atomic():
            if not reminder_claim(f"recall.clock:{clock.pk}", on=today):
                continue

            def text(clock: RecallClock = clock, left: int = left) -> str:
                values = {"case": clock.case.number, "clock": clock.title, "due": clock.due_on,
                          "left": left}  # fmt: skip
                if left < 0:
                    return _("Recall %(case)s: %(clock)s was due on %(due)s.") % values
                return _("Recall %(case)s: %(clock)s is due on %(due)s (%(left)s working days "
                         "left).") % values  # fmt: skip

            notify([cqo, clock.case.created_by], text, url=clock_url(clock), clause=CLAUSE)
            sent += 1
    return sent


# --- the working-day calendar (core.models, kept by the administrator) ---------------------------


def _calendar_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _with(_("Give the reason and the notice it rests on."))})
    return reason


@transaction.atomic
def calendar_day_set(
    *, actor: Any, day: datetime.date, kind: str, name: str = "", reason: str
) -> CalendarDay:
    """Set one day as a holiday or a working day; it wins over the bundled data. Clocks already
    started keep their due dates."""
    require(actor, "recall.change_workcalendar", clause=CLAUSE)
    if kind not in CalendarDayKind.values:
        raise ValidationError({"kind": _with(_("Choose a holiday or a working day."))})
    if not isinstance(day, datetime.date) or not 2000 <= day.year <= 2100:
        raise ValidationError({"day": _with(_("Give a day between 2000 and 2100."))})
    reason = _calendar_reason(reason)
    previous = CalendarDay.objects.select_for_update().filter(day=day, voided_at__isnull=True)
    before = None
    for old in previous:
        before = snapshot(old)
        old.voided_at, old.voided_by, old.void_reason = timezone.now(), actor, reason
        old.save(update_fields=["voided_at", "voided_by", "void_reason"])
    row = CalendarDay.objects.create(day=day, kind=kind, name=(name or "").strip()[:100],
                                     reason=reason, set_by=actor)  # fmt: skip
    audit_record(actor=actor, action="recall.calendar.day_set", obj=row, before=before,
                 after=snapshot(row), reason=reason, clause=CLAUSE)  # fmt: skip
    return row


@transaction.atomic
def calendar_day_clear(*, actor: Any, day: datetime.date, reason: str) -> int:
    """Undo the administrator's setting of a day: the bundled data (or Mon–Fri) answers again."""
    require(actor, "recall.change_workcalendar", clause=CLAUSE)
    reason = _calendar_reason(reason)
    rows = list(CalendarDay.objects.select_for_update().filter(day=day, voided_at__isnull=True))
    if not rows:
        raise ValidationError({"day": _with(_("The administrator has not set this day."))})
    for row in rows:
        with audited_change(actor=actor, obj=row, action="recall.calendar.day_clear",
                            clause=CLAUSE, reason=reason, lock=False) as locked:  # fmt: skip
            locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), actor, reason
    return len(rows)


def calendar_year_add(
    *,
    actor: Any,
    year: int,
    source: str,
    holidays: Iterable[tuple[datetime.date, str]],
    workdays_: Iterable[tuple[datetime.date, str]] = (),
    note: str = "",
) -> CalendarYear:
    """A year's arrangement the bundled data lacks, from the State Council's notice: its holidays
    and its make-up working days, in one audited change."""
    require(actor, "recall.change_workcalendar", clause=CLAUSE)
    source = (source or "").strip()
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _with(_("Give a year between 2000 and 2100."))
    elif year in workdays.PACKAGE_YEARS:
        errors["year"] = _with(_("The bundled calendar covers this year: correct single days."))
    elif CalendarYear.objects.filter(year=year, voided_at__isnull=True).exists():
        errors["year"] = _with(_("This year was added already: correct single days."))
    if not source or len(source) > 300:
        errors["source"] = _with(_("Name the notice the arrangement comes from."))
    holidays, workdays_ = list(holidays), list(workdays_)
    if not holidays:
        errors["holidays"] = _with(_("List the year's holidays."))
    seen: set[datetime.date] = set()
    for field, rows in (("holidays", holidays), ("workdays", workdays_)):
        for day, _name in rows:
            if field in errors:
                break
            if not isinstance(day, datetime.date) or day.year != year:
                errors[field] = _with(_("%(day)s is not in %(year)s.") % {"day": day, "year": year})
            elif day in seen:
                errors[field] = _with(_("%(day)s is listed twice.") % {"day": day})
            seen.add(day)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        added = CalendarYear.objects.create(year=year, source=source, note=(note or "").strip(),
                                            added_by=actor)  # fmt: skip
        CalendarDay.objects.filter(day__year=year, voided_at__isnull=True).update(
            voided_at=timezone.now(), voided_by=actor, void_reason=source
        )
        day_rows = [
            CalendarDay(
                day=day,
                kind=kind,
                name=(name or "").strip()[:100],
                reason=source,
                year=added,
                set_by=actor,
            )
            for kind, listed in (
                (CalendarDayKind.HOLIDAY, holidays),
                (CalendarDayKind.WORKDAY, workdays_),
            )
            for day, name in listed
        ]
        CalendarDay.objects.bulk_create(day_rows)
        from cqo.core import request_cache

        request_cache.forget()
        audit_record(
            actor=actor, action="recall.calendar.year_add", obj=added, reason=source,
            after={**snapshot(added),
                   "holidays": sorted(d.isoformat() for d, _n in holidays),
                   "workdays": sorted(d.isoformat() for d, _n in workdays_)},
            clause=CLAUSE,
        )  # fmt: skip
    return added
