"""The clocks part's pages: clocks due, a case's clocks, the clock profiles, and the working-day
calendar with its administration (§7.2.1.4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.core import workdays
from cqo.core.views import GET_POST, check, errors_apply, refusal_show

from . import forms_clocks as F
from . import selectors_clocks as sel
from . import services_clocks as svc
from .models_case import RecallCase
from .models_clocks import ClockProfile, RecallClock

CLAUSE = svc.CLAUSE


def _run(request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], Any],
         done: str) -> bool:  # fmt: skip
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        errors_apply(form, exc)
        return False
    except PermissionDenied as exc:
        refusal_show(request, exc)
        return False
    messages.success(request, done)
    return True


# --- clocks -------------------------------------------------------------------------------------


@login_required
@require_GET
def clocks_due(request: HttpRequest) -> HttpResponseBase:
    check(request, "recall.view_recallclock")
    running = [
        r for r in (sel._row(c, timezone.localdate())
                    for c in sel.clocks_visible(request.user).filter(status="running"))
    ]  # fmt: skip
    return render(request, "recall/clocks_due.html", {
        "due": [r for r in running if r.warn], "running": running, "clause": CLAUSE,
    })  # fmt: skip


def _case_context(request: HttpRequest, case: RecallCase, **forms_: Any) -> dict[str, Any]:
    may_run = request.user.has_perm("recall.run_recallclock", case)
    context: dict[str, Any] = {
        "case": case,
        "clause": CLAUSE,
        "may_run": may_run,
        "profile": sel.case_profile(case),
    }
    if may_run:
        context.update({
            "event_form": forms_.get("event") or F.EventForm(
                initial={"on": timezone.localdate()}),
            "profile_form": forms_.get("profile") or F.CaseProfileForm(
                initial={"profile": context["profile"]}),
            "stop_form": forms_.get("stop") or F.StopForm(initial={"on": timezone.localdate()}),
            "waive_form": forms_.get("waive") or F.WaiveForm(),
            "open_form": next(iter(forms_), ""),
        })  # fmt: skip
    return context


@login_required
@require_GET
def case_clocks(request: HttpRequest, pk: int) -> HttpResponseBase:
    case = get_object_or_404(RecallCase, pk=pk)
    check(request, "recall.view_recallclock", case)
    return render(request, "recall/case_clocks.html", _case_context(request, case))


@login_required
@require_POST
def case_clocks_act(request: HttpRequest, pk: int, act: str) -> HttpResponseBase:
    case = get_object_or_404(RecallCase, pk=pk)
    check(request, "recall.run_recallclock", case)
    actor = actor_of(request)
    form: forms.Form
    if act == "event":
        form = F.EventForm(request.POST)
        ok = _run(request, form, lambda d: svc.clock_event_record(
            actor=actor, case=case, event=d["event"], on=d["on"]),
            _("The event was recorded on the clocks."))  # fmt: skip
    elif act == "profile":
        form = F.CaseProfileForm(request.POST)
        ok = _run(request, form, lambda d: svc.case_profile_set(
            actor=actor, case=case, profile=d["profile"]),
            _("The case's clocks follow this profile from now on."))  # fmt: skip
    elif act in ("stop", "waive"):
        clock = get_object_or_404(RecallClock, pk=request.POST.get("clock") or 0, case=case)
        if act == "stop":
            form = F.StopForm(request.POST)
            ok = _run(request, form, lambda d: svc.clock_stop(
                actor=actor, clock=clock, on=d["on"], note=d["note"]),
                _("The clock was stopped."))  # fmt: skip
        else:
            form = F.WaiveForm(request.POST)
            ok = _run(request, form, lambda d: svc.clock_waive(
                actor=actor, clock=clock, reason=d["reason"]),
                _("The clock was marked not applicable."))  # fmt: skip
    else:
        raise Http404
    if ok:
        return redirect("recall:case_clocks", pk=case.pk)
    return render(request, "recall/case_clocks.html",
                  _case_context(request, case, **{act: form}), status=400)  # fmt: skip


# --- profiles -----------------------------------------------------------------------------------


@login_required
@GET_POST
def profile_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "recall.view_clockprofile")
    may_change = request.user.has_perm("recall.change_clockprofile")
    if request.method == "POST":
        check(request, "recall.change_clockprofile")
        added = svc.profiles_ensure(actor=actor_of(request))
        messages.success(request, _("Built-in profiles added: %(n)s.") % {"n": added})
        return redirect("recall:profile_list")
    profiles = list(sel.profiles_visible(request.user))
    return render(request, "recall/clocks_profiles.html", {
        "profiles": profiles, "may_change": may_change, "clause": CLAUSE,
        "builtin_missing": len(profiles) < len(svc.BUILT_IN),
    })  # fmt: skip


def _formset(request: HttpRequest, initial: list[dict[str, Any]] | None = None) -> Any:
    if request.method == "POST":
        return F.DeadlineFormSet(request.POST, prefix="d")
    return F.DeadlineFormSet(initial=initial or [], prefix="d")


@login_required
@GET_POST
def profile_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "recall.change_clockprofile")
    form = F.ProfileForm(request.POST or None)
    formset = _formset(request)
    if request.method == "POST" and formset.is_valid():
        rows = F.deadline_rows(formset)
        if _run(request, form, lambda d: svc.profile_create(
                actor=actor_of(request), deadlines=rows, **d),
                _("The profile was added.")):  # fmt: skip
            return redirect("recall:profile_list")
    return render(request, "recall/clocks_profile_form.html",
                  {"form": form, "formset": formset, "clause": CLAUSE},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_GET
def profile_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    profile = get_object_or_404(ClockProfile, pk=pk)
    check(request, "recall.view_clockprofile", profile)
    versions = profile.versions.prefetch_related("deadlines").select_related("created_by")
    return render(request, "recall/clocks_profile.html", {
        "profile": profile, "versions": versions, "clause": CLAUSE,
        "may_change": request.user.has_perm("recall.change_clockprofile", profile),
        "event_label": svc.event_label,
    })  # fmt: skip


_DEADLINE_FIELDS = ("key", "label", "label_en", "start_event", "stop_event", "count", "unit",
                    "warn_days", "verified", "source", "condition")  # fmt: skip


@login_required
@GET_POST
def profile_revise(request: HttpRequest, pk: int) -> HttpResponseBase:
    profile = get_object_or_404(ClockProfile, pk=pk)
    check(request, "recall.change_clockprofile", profile)
    current = profile.current()
    initial = [
        {f: getattr(d, f) for f in _DEADLINE_FIELDS}
        for d in (current.deadlines.all() if current else [])
    ]
    form = F.ReviseForm(request.POST or None)
    formset = _formset(request, initial)
    if request.method == "POST" and formset.is_valid():
        rows = F.deadline_rows(formset)
        if _run(request, form, lambda d: svc.profile_revise(
                actor=actor_of(request), profile=profile, deadlines=rows, note=d["note"]),
                _("The new version is in force for clocks started from now on.")):  # fmt: skip
            return redirect("recall:profile_detail", pk=profile.pk)
    return render(request, "recall/clocks_profile_form.html",
                  {"form": form, "formset": formset, "profile": profile, "clause": CLAUSE},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


# --- the working-day calendar -------------------------------------------------------------------


@login_required
@require_GET
def calendar_page(request: HttpRequest, year: int | None = None) -> HttpResponseBase:
    check(request, "recall.view_workcalendar")
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    return render(request, "recall/clocks_calendar.html", {
        "year": year, "months": sel.calendar_year(year), "covered": workdays.covered(year),
        "years": workdays.calendar_years(), "package_years": sorted(workdays.PACKAGE_YEARS),
        "package": workdays.PACKAGE_NAME, "admin_days": sel.calendar_admin_days(year),
        "may_change": request.user.has_perm("recall.change_workcalendar"), "clause": CLAUSE,
    })  # fmt: skip


@login_required
@GET_POST
def calendar_admin(request: HttpRequest) -> HttpResponseBase:
    check(request, "recall.change_workcalendar")
    act = request.POST.get("act", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    day_form = F.CalendarDayForm(data if act == "day" else None, prefix="day")
    clear_form = F.CalendarClearForm(data if act == "clear" else None, prefix="clear")
    year_form = F.CalendarYearForm(data if act == "year" else None, prefix="year")
    if request.method == "POST":
        actor = actor_of(request)
        if act == "day":
            ok = _run(request, day_form, lambda d: svc.calendar_day_set(actor=actor, **d),
                      _("The day was set."))  # fmt: skip
        elif act == "clear":
            ok = _run(request, clear_form, lambda d: svc.calendar_day_clear(actor=actor, **d),
                      _("The day follows the bundled calendar again."))  # fmt: skip
        elif act == "year":
            ok = _run(
                request,
                year_form,
                lambda d: svc.calendar_year_add(
                    actor=actor,
                    year=d["year"],
                    source=d["source"],
                    holidays=d["holidays"],
                    workdays_=d["workdays"],
                    note=d["note"],
                ),
                _("The year's arrangement was added."),
            )
        else:
            raise Http404
        if ok:
            return redirect("recall:calendar_admin")
    return render(request, "recall/clocks_calendar_admin.html", {
        "day_form": day_form, "clear_form": clear_form, "year_form": year_form,
        "years": workdays.calendar_years(), "package_years": sorted(workdays.PACKAGE_YEARS),
        "package": workdays.PACKAGE_NAME, "added_years": sel.calendar_added_years(),
        "clause": CLAUSE, "open_form": act,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


urlpatterns: list[URLPattern | URLResolver] = [
    path("clocks/", clocks_due, name="clocks_due"),
    path("clocks/case/<int:pk>/", case_clocks, name="case_clocks"),
    path("clocks/case/<int:pk>/<str:act>/", case_clocks_act, name="case_clocks_act"),
    path("clocks/profiles/", profile_list, name="profile_list"),
    path("clocks/profiles/new/", profile_new, name="profile_new"),
    path("clocks/profiles/<int:pk>/", profile_detail, name="profile_detail"),
    path("clocks/profiles/<int:pk>/revise/", profile_revise, name="profile_revise"),
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/<int:year>/", calendar_page, name="calendar_year"),
    path("calendar/admin/", calendar_admin, name="calendar_admin"),
]
