"""The regime part's pages: daily control, weekly check, monthly dispatch (§7.2.1, §7.2.1.2),
their rectification tasks, the schedule, and the inspector's exports. Thin: parse, call the
service, render."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, check, errors_apply, refusal_show

from . import documents_regime as docs
from . import forms_regime as F
from . import selectors_regime as sel
from . import selectors_registers
from . import services_regime as svc
from .models_regime import (
    DailyCheck,
    DailyRecord,
    DispatchStatus,
    MonthlyDispatch,
    RectificationTask,
    TaskStatus,
    WeeklyReport,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _month(value: str | None) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date() if value else None
    except ValueError:
        return None


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang") or translation.get_language() or "zh-hans"
    return "en" if language.startswith("en") else "zh-hans"


def _live(model: Any, pk: int) -> Any:
    return get_object_or_404(model.objects.filter(voided_at__isnull=True), pk=pk)


# --- the overview -------------------------------------------------------------------------------


@login_required
@require_GET
def regime(request: HttpRequest) -> HttpResponse:
    check(request, "safety.view_dailyrecord")
    today = timezone.localdate()
    month = sel.month_start(_month(request.GET.get("month")) or today)
    cells = sel.month_days(request.user, month)
    found = sel.gaps()
    user = request.user
    return render(request, "safety/regime.html", {
        "month": month, "previous": sel.month_start(month - datetime.timedelta(days=1)),
        "next": sel.next_month(month) if sel.next_month(month) <= today else None,
        "cells": cells,
        "gaps": found, "schedule": sel.schedule(),
        "weeklies": sel.weeklies_visible(user)[:8],
        "monthlies": sel.monthlies_visible(user)[:6],
        "tasks": sel.tasks_visible(user, status=TaskStatus.OPEN)[:20], "today": today,
        "may": {
            "daily": user.has_perm("safety.add_dailyrecord"),
            "weekly": user.has_perm("safety.add_weeklyreport"),
            "monthly": user.has_perm("safety.add_monthlydispatch"),
            "policy": user.has_perm("safety.change_regimepolicy"),
        },
    })  # fmt: skip


# --- daily control ------------------------------------------------------------------------------


@login_required
@GET_POST
def daily_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.add_dailyrecord")
    raw_day = request.POST.get("day") if request.method == "POST" else request.GET.get("day")
    day = _date(raw_day) or timezone.localdate()
    controls = selectors_registers.controls_for_records(on=day, frequency="daily")
    form = F.DailyForm(request.POST or None, request.FILES or None, controls=controls,
                       initial={"day": day})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            record = svc.daily_record_add(
                actor=actor_of(request), day=form.cleaned_data["day"], checks=form.checks(),
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The daily control record was saved."))
            return redirect("safety:regime_daily", pk=record.pk)
    return render(request, "safety/regime_daily_new.html", {"form": form, "day": day})


@login_required
@require_GET
def daily_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = sel.daily_with_checks(pk)
    if record is None:
        raise Http404
    check(request, "safety.view_dailyrecord", record)
    may_void = not record.is_voided and request.user.has_perm("safety.void_dailyrecord", record)
    return render(request, "safety/regime_daily.html", {
        "record": record, "void_form": F.ReasonForm() if may_void else None,
    })  # fmt: skip


@login_required
@require_GET
def daily_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    record = sel.daily_with_checks(pk)
    if record is None:
        raise Http404
    check(request, "safety.view_dailyrecord", record)
    language = _language(request)
    response = HttpResponse(docs.daily_pdf(record, language=language),
                            content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = f'inline; filename="daily-{record.day}-{language}.pdf"'
    return response


@login_required
@require_GET
def daily_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = get_object_or_404(DailyCheck.objects.select_related("record"), pk=pk)
    check(request, "safety.view_dailyrecord", row.record)
    if not row.photo:
        raise Http404
    return file_response(row.photo, allowed=("png", "jpeg"))


@login_required
@require_GET
def daily_export(request: HttpRequest) -> HttpResponse:
    check(request, "safety.view_dailyrecord")
    month = sel.month_start(_month(request.GET.get("month")) or timezone.localdate())
    data = docs.dailies_xlsx(request.user, month, language=_language(request))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="daily-{month:%Y-%m}.xlsx"'
    return response


# --- weekly check -------------------------------------------------------------------------------


@login_required
@GET_POST
def weekly_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.add_weeklyreport")
    week = sel.week_start(_date(request.GET.get("week")) or timezone.localdate())
    form = F.WeeklyForm(request.POST or None, initial={"week_start": week})
    if request.method == "POST" and form.is_valid():
        try:
            report = svc.weekly_report_add(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The weekly check report was saved."))
            return redirect("safety:regime_weekly", pk=report.pk)
    return render(request, "safety/regime_weekly_new.html", {
        "form": form, "week": week, "figures": sel.week_figures(week),
    })  # fmt: skip


def _tasks_of(source: Any) -> Any:
    return source.tasks.filter(voided_at__isnull=True).select_related("owner", "owner__person")


@login_required
@require_GET
def weekly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(WeeklyReport.objects.select_related("written_by"), pk=pk)
    check(request, "safety.view_weeklyreport", report)
    live = not report.is_voided
    user = request.user
    return render(request, "safety/regime_weekly.html", {
        "report": report, "tasks": _tasks_of(report),
        "task_form": F.TaskForm() if live and user.has_perm("safety.add_rectificationtask",
                                                              report) else None,
        "void_form": F.ReasonForm() if live and user.has_perm("safety.void_weeklyreport",
                                                                report) else None,
        "today": timezone.localdate(),
    })  # fmt: skip


@login_required
@require_GET
def weekly_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(WeeklyReport, pk=pk)
    check(request, "safety.view_weeklyreport", report)
    language = _language(request)
    response = HttpResponse(docs.weekly_pdf(report, language=language),
                            content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = (
        f'inline; filename="weekly-{report.week_start}-{language}.pdf"'
    )
    return response


@login_required
@require_GET
def weekly_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(WeeklyReport, pk=pk)
    check(request, "safety.view_weeklyreport", report)
    response = HttpResponse(docs.weekly_xlsx(report, language=_language(request)),
                            content_type=XLSX)  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="weekly-{report.week_start}.xlsx"'
    return response


# --- monthly dispatch ---------------------------------------------------------------------------


@login_required
@GET_POST
def monthly_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.add_monthlydispatch")
    month = sel.month_start(_month(request.GET.get("month")) or timezone.localdate())
    form = F.MonthlyReportForm(request.POST or None, initial={"month": month})
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = svc.monthly_report_submit(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The report was submitted for the dispatch meeting."))
            return redirect("safety:regime_monthly", pk=dispatch.pk)
    return render(request, "safety/regime_monthly_new.html", {
        "form": form, "month": month, "figures": sel.month_figures(month),
    })  # fmt: skip


def _monthly_context(request: HttpRequest, dispatch: MonthlyDispatch, **extra: Any
                     ) -> dict[str, Any]:  # fmt: skip
    live = not dispatch.is_voided
    user = request.user
    held = dispatch.status == DispatchStatus.HELD
    context = {
        "dispatch": dispatch, "tasks": _tasks_of(dispatch),
        "hold_form": F.MonthlyHoldForm(initial={"held_on": timezone.localdate()})
        if live and not held and user.has_perm("safety.record_monthlydispatch", dispatch)
        else None,
        "task_form": F.TaskForm() if live and held and user.has_perm(
            "safety.add_rectificationtask", dispatch) else None,
        "void_form": F.ReasonForm() if live and user.has_perm("safety.void_monthlydispatch",
                                                                dispatch) else None,
        "today": timezone.localdate(),
    }  # fmt: skip
    context.update(extra)
    return context


@login_required
@require_GET
def monthly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = get_object_or_404(
        MonthlyDispatch.objects.select_related("reported_by", "chaired_by"), pk=pk
    )
    check(request, "safety.view_monthlydispatch", dispatch)
    return render(request, "safety/regime_monthly.html", _monthly_context(request, dispatch))


@login_required
@require_POST
def monthly_hold(request: HttpRequest, pk: int) -> HttpResponseBase:
    dispatch = _live(MonthlyDispatch, pk)
    check(request, "safety.record_monthlydispatch", dispatch)
    form = F.MonthlyHoldForm(request.POST)
    if form.is_valid():
        try:
            svc.monthly_dispatch_record(actor=actor_of(request), dispatch=dispatch,
                                        **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The dispatch meeting was recorded."))
            return redirect("safety:regime_monthly", pk=dispatch.pk)
    return render(request, "safety/regime_monthly.html",
                  _monthly_context(request, dispatch, hold_form=form), status=400)  # fmt: skip


@login_required
@require_GET
def monthly_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = get_object_or_404(MonthlyDispatch, pk=pk)
    check(request, "safety.view_monthlydispatch", dispatch)
    language = _language(request)
    response = HttpResponse(docs.monthly_pdf(dispatch, language=language),
                            content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = (
        f'inline; filename="monthly-{dispatch.month:%Y-%m}-{language}.pdf"'
    )
    return response


@login_required
@require_GET
def monthly_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = get_object_or_404(MonthlyDispatch, pk=pk)
    check(request, "safety.view_monthlydispatch", dispatch)
    response = HttpResponse(docs.monthly_xlsx(dispatch, language=_language(request)),
                            content_type=XLSX)  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="monthly-{dispatch.month:%Y-%m}.xlsx"'
    return response


# --- rectification tasks ------------------------------------------------------------------------


def _task_raise(request: HttpRequest, source: Any, back: str) -> HttpResponseBase:
    check(request, "safety.add_rectificationtask", source)
    form = F.TaskForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect(back, pk=source.pk)
    try:
        task = svc.task_raise(actor=actor_of(request), source=source, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect(back, pk=source.pk)
    messages.success(request, _("Rectification task %(number)s was raised.")
                     % {"number": task.number})  # fmt: skip
    return redirect(back, pk=source.pk)


@login_required
@require_POST
def weekly_task(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _task_raise(request, _live(WeeklyReport, pk), "safety:regime_weekly")


@login_required
@require_POST
def monthly_task(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _task_raise(request, _live(MonthlyDispatch, pk), "safety:regime_monthly")


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    check(request, "safety.view_rectificationtask")
    status = request.GET.get("status", "")
    status = status if status in TaskStatus.values else ""
    mine = request.GET.get("mine") == "1"
    tasks = sel.tasks_visible(request.user, status=status,
                              owner=request.user if mine else None)[:500]  # fmt: skip
    return render(request, "safety/regime_tasks.html", {
        "tasks": tasks, "status": status, "mine": mine, "statuses": TaskStatus.choices,
        "today": timezone.localdate(),
    })  # fmt: skip


def _task_context(request: HttpRequest, task: RectificationTask, **extra: Any) -> dict[str, Any]:
    live = not task.is_voided and task.status == TaskStatus.OPEN
    user = request.user
    source = task.monthly or task.weekly
    void_perm = "safety.void_monthlydispatch" if task.monthly_id else "safety.void_weeklyreport"
    context = {
        "task": task, "today": timezone.localdate(),
        "close_form": F.CloseForm() if live and user.has_perm("safety.close_rectificationtask",
                                                                task) else None,
        "void_form": F.ReasonForm() if not task.is_voided and user.has_perm(void_perm, source)
        else None,
    }  # fmt: skip
    context.update(extra)
    return context


def _task(pk: int) -> RectificationTask:
    return get_object_or_404(
        RectificationTask.objects.select_related("owner", "raised_by", "closed_by", "weekly",
                                                 "monthly"), pk=pk)  # fmt: skip


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(pk)
    check(request, "safety.view_rectificationtask", task)
    return render(request, "safety/regime_task.html", _task_context(request, task))


@login_required
@require_POST
def task_close(request: HttpRequest, pk: int) -> HttpResponseBase:
    task = _task(pk)
    check(request, "safety.close_rectificationtask", task)
    form = F.CloseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.task_close(actor=actor_of(request), task=task, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The task was closed with its evidence."))
            return redirect("safety:regime_task", pk=task.pk)
    return render(request, "safety/regime_task.html",
                  _task_context(request, task, close_form=form), status=400)  # fmt: skip


@login_required
@require_GET
def task_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    task = _task(pk)
    check(request, "safety.view_rectificationtask", task)
    if not task.evidence_file:
        raise Http404
    return file_response(task.evidence_file)


# --- voiding ------------------------------------------------------------------------------------


def _void(request: HttpRequest, obj: Any, call: Callable[[str], Any], back: str
          ) -> HttpResponseBase:  # fmt: skip
    form = F.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for voiding this record."))
        return redirect(back, pk=obj.pk)
    try:
        call(form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect(back, pk=obj.pk)
    messages.success(request, _("The record was voided."))
    return redirect("safety:regime")


@login_required
@require_POST
def daily_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = _live(DailyRecord, pk)
    check(request, "safety.void_dailyrecord", record)
    actor = actor_of(request)
    return _void(request, record, lambda r: svc.daily_record_void(
        actor=actor, record=record, reason=r), "safety:regime_daily")  # fmt: skip


@login_required
@require_POST
def weekly_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = _live(WeeklyReport, pk)
    check(request, "safety.void_weeklyreport", report)
    actor = actor_of(request)
    return _void(request, report, lambda r: svc.weekly_report_void(
        actor=actor, report=report, reason=r), "safety:regime_weekly")  # fmt: skip


@login_required
@require_POST
def monthly_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    dispatch = _live(MonthlyDispatch, pk)
    check(request, "safety.void_monthlydispatch", dispatch)
    actor = actor_of(request)
    return _void(request, dispatch, lambda r: svc.monthly_dispatch_void(
        actor=actor, dispatch=dispatch, reason=r), "safety:regime_monthly")  # fmt: skip


@login_required
@require_POST
def task_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    task = _live(RectificationTask, pk)
    source = task.monthly or task.weekly
    check(request, "safety.void_monthlydispatch" if task.monthly_id
          else "safety.void_weeklyreport", source)  # fmt: skip
    actor = actor_of(request)
    return _void(request, task, lambda r: svc.task_void(actor=actor, task=task, reason=r),
                 "safety:regime_task")  # fmt: skip


# --- the schedule -------------------------------------------------------------------------------


@login_required
@GET_POST
def policy(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.view_regimepolicy")
    current = sel.policy_current()
    may = request.user.has_perm("safety.change_regimepolicy")
    initial = (
        {"starts_on": current.starts_on, "daily_due_hour": current.daily_due_hour,
         "weekends": current.weekends, "weekly_due_days": current.weekly_due_days,
         "monthly_due_day": current.monthly_due_day}
        if current else {"starts_on": timezone.localdate()}
    )  # fmt: skip
    form = F.PolicyForm(request.POST or None, initial=initial) if may else None
    if request.method == "POST":
        check(request, "safety.change_regimepolicy")
        assert form is not None
        if form.is_valid():
            try:
                svc.policy_set(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The record schedule is in force."))
                return redirect("safety:regime_policy")
    return render(request, "safety/regime_policy.html", {
        "current": current, "form": form, "schedule": sel.schedule(),
    })  # fmt: skip


urlpatterns: list[URLPattern | URLResolver] = [
    path("regime/", regime, name="regime"),
    path("regime/schedule/", policy, name="regime_policy"),
    path("regime/daily/new/", daily_new, name="regime_daily_new"),
    path("regime/daily/export.xlsx", daily_export, name="regime_daily_export"),
    path("regime/daily/<int:pk>/", daily_detail, name="regime_daily"),
    path("regime/daily/<int:pk>/record.pdf", daily_pdf, name="regime_daily_pdf"),
    path("regime/daily/<int:pk>/void/", daily_void, name="regime_daily_void"),
    path("regime/daily/photo/<int:pk>/", daily_photo, name="regime_daily_photo"),
    path("regime/weekly/new/", weekly_new, name="regime_weekly_new"),
    path("regime/weekly/<int:pk>/", weekly_detail, name="regime_weekly"),
    path("regime/weekly/<int:pk>/report.pdf", weekly_pdf, name="regime_weekly_pdf"),
    path("regime/weekly/<int:pk>/report.xlsx", weekly_xlsx, name="regime_weekly_xlsx"),
    path("regime/weekly/<int:pk>/task/", weekly_task, name="regime_weekly_task"),
    path("regime/weekly/<int:pk>/void/", weekly_void, name="regime_weekly_void"),
    path("regime/monthly/new/", monthly_new, name="regime_monthly_new"),
    path("regime/monthly/<int:pk>/", monthly_detail, name="regime_monthly"),
    path("regime/monthly/<int:pk>/hold/", monthly_hold, name="regime_monthly_hold"),
    path("regime/monthly/<int:pk>/minutes.pdf", monthly_pdf, name="regime_monthly_pdf"),
    path("regime/monthly/<int:pk>/minutes.xlsx", monthly_xlsx, name="regime_monthly_xlsx"),
    path("regime/monthly/<int:pk>/task/", monthly_task, name="regime_monthly_task"),
    path("regime/monthly/<int:pk>/void/", monthly_void, name="regime_monthly_void"),
    path("regime/tasks/", task_list, name="regime_tasks"),
    path("regime/tasks/<int:pk>/", task_detail, name="regime_task"),
    path("regime/tasks/<int:pk>/close/", task_close, name="regime_task_close"),
    path("regime/tasks/<int:pk>/evidence/", task_evidence, name="regime_task_evidence"),
    path("regime/tasks/<int:pk>/void/", task_void, name="regime_task_void"),
]
