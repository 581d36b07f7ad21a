"""Pages of quality incidents, their rules and investigation, and penalties by procedure
(§6 d), §7.2.1.3). Thin: parse a form, call the service, render; the service decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.core.views import GET_POST, check, errors_apply, refusal_show
from cqo.organisation.models import Person, Unit
from cqo.organisation.quality_record import quality_record

from . import forms as F
from . import selectors, services_costs, services_incidents, services_penalties
from .models import (
    Incident,
    IncidentCost,
    IncidentLevel,
    IncidentRules,
    IncidentStatus,
    Penalty,
    PenaltyStatus,
)
from .services_incidents import DEFAULT_RULES, rules_current

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    check(request, "incidents.view_incident")
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    status = status if status in IncidentStatus.values else ""
    level = level if level in IncidentLevel.values else ""
    page = Paginator(
        selectors.incidents_visible(request.user, status=status, level=level), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "incidents/incident_list.html",
        {
            "page": page,
            "status": status,
            "level": level,
            "statuses": IncidentStatus.choices,
            "levels": IncidentLevel.choices,
            "overdue": {i.pk for i in page if i.report_overdue(now)},
            "may_report": request.user.has_perm("incidents.add_incident"),
            "to_decide": selectors.penalties_to_decide(request.user),
        },
    )


@login_required
def incident_export(request: HttpRequest) -> HttpResponse:
    """The incidents the list shows (same filters) as an Excel workbook, formula-safe."""
    from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

    check(request, "incidents.view_incident")
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    qs = selectors.incidents_visible(
        request.user,
        status=status if status in IncidentStatus.values else "",
        level=level if level in IncidentLevel.values else "",
    )
    totals = selectors.incident_cost_total(list(qs.values_list("pk", flat=True)))
    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    ws.title = "incidents"
    sheet_append(ws, [
        _("Number"), _("Title"), _("Level"), _("Status"), _("Occurred at"), _("Unit"),
        _("Direct loss (yuan)"), _("Injured people"), _("Deaths"), _("Costs"),
        _("Onward report"), _("Investigation led by"),
    ])  # fmt: skip
    for i in qs:
        sheet_append(ws, [
            i.number, i.title, i.get_level_display(), i.get_status_display(),
            timezone.localtime(i.occurred_at).replace(tzinfo=None), str(i.unit or ""), i.loss,
            i.injuries, i.deaths, totals.get(i.pk, 0),
            timezone.localtime(i.reported_onward_at).replace(tzinfo=None)
            if i.reported_onward_at else "",
            str(i.lead or ""),
        ])  # fmt: skip
    response = HttpResponse(
        xlsx_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="incidents.xlsx"'
    return response


@login_required
@GET_POST
def incident_report(request: HttpRequest) -> HttpResponseBase:
    check(request, "incidents.add_incident")
    form = F.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services_incidents.incident_report(
                actor=actor_of(request), **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The incident was reported."))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request, "incidents/incident_report.html", {"form": form, "rules": rules_current()}
    )


def _incident(pk: int) -> Incident:
    return get_object_or_404(
        Incident.objects.select_related(
            "unit", "item", "lead", "rules", "reported_by", "concluded_by"
        ),
        pk=pk,
        voided_at__isnull=True,
    )


def _forms(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """The forms this user may use on this incident now, by action."""
    user = request.user
    investigates = user.has_perm("incidents.investigate_incident", incident)
    st = incident.status
    open_ = st != IncidentStatus.CLOSED
    found: dict[str, Any] = {}
    if open_ and user.has_perm("incidents.classify_incident", incident):
        found["level"] = F.LevelForm(initial={"level": incident.level})
    if investigates and open_ and incident.reported_onward_at is None:
        found["onward"] = F.OnwardForm(
            initial={"reported_to": incident.rules.report_to_for(incident.level)}
        )
    if investigates and st == IncidentStatus.REPORTED:
        found["lead"] = F.LeadForm(initial={"lead": request.user.pk})
    if investigates and st == IncidentStatus.INVESTIGATING:
        found["team"] = F.TeamForm()
        found["findings"] = F.FindingsForm(
            initial={"facts": incident.facts, "causes": incident.causes}
        )
        found["responsibility"] = F.ResponsibilityForm()
        found["conclude"] = F.ConcludeForm()
    if open_ and user.has_perm("incidents.add_timelineentry", incident):
        found["timeline"] = F.TimelineForm()
    if st in (IncidentStatus.INVESTIGATING, IncidentStatus.CONCLUDED) and user.has_perm(
        "incidents.propose_penalty", incident
    ):
        found["penalty"] = F.PenaltyForm()
    if user.has_perm("incidents.add_incidentcost", incident):
        found["cost"] = F.CostForm(initial={"incurred_on": timezone.localdate()})
    if investigates and st == IncidentStatus.CONCLUDED:
        found["close"] = True
    if investigates and open_ and incident.ncr_requested_at is None and incident.item_id:
        found["ncr"] = True
    if open_ and user.has_perm("incidents.void_incident", incident):
        found["void"] = F.ReasonForm()
    return found


def _detail_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    costs, cost_total = selectors.incident_costs(incident)
    return {
        "incident": incident,
        "overdue": incident.report_overdue(timezone.now()),
        "team": incident.team.filter(voided_at__isnull=True).select_related("user"),
        "timeline": incident.timeline.filter(voided_at__isnull=True).select_related("recorded_by"),
        "responsibilities": incident.responsibilities.filter(voided_at__isnull=True).select_related(
            "person", "unit"
        ),
        "penalties": selectors.penalties_visible(request.user, incident=incident),
        "costs": costs,
        "cost_total": cost_total,
        "forms": _forms(request, incident),
        "may_void_cost": request.user.has_perm("incidents.void_incidentcost", incident),
    }


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(pk)
    check(request, "incidents.view_incident", incident)
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident))


def _acts(
    request: HttpRequest, incident: Incident
) -> dict[str, tuple[Any, Callable[..., Any], str]]:
    actor = actor_of(request)
    inc = services_incidents
    return {
        "level": (F.LevelForm, lambda d: inc.incident_level_set(actor=actor, incident=incident,
                                                                **d),
                  _("The level was set.")),
        "onward": (F.OnwardForm, lambda d: inc.incident_report_onward(
            actor=actor, incident=incident, **d), _("The onward report was recorded.")),
        "lead": (F.LeadForm, lambda d: inc.investigation_open(actor=actor, incident=incident,
                                                              **d),
                 _("The investigation is open.")),
        "team": (F.TeamForm, lambda d: inc.team_member_add(actor=actor, incident=incident, **d),
                 _("The member was added to the team.")),
        "timeline": (F.TimelineForm, lambda d: inc.timeline_add(actor=actor, incident=incident,
                                                                **d),
                     _("The timeline entry was recorded.")),
        "findings": (F.FindingsForm, lambda d: inc.findings_record(
            actor=actor, incident=incident, **d), _("The findings were recorded.")),
        "responsibility": (F.ResponsibilityForm, lambda d: inc.responsibility_add(
            actor=actor, incident=incident, **d), _("The responsibility was recorded.")),
        "conclude": (F.ConcludeForm, lambda d: inc.investigation_conclude(
            actor=actor, incident=incident, **d), _("The investigation is concluded.")),
        "close": (None, lambda d: inc.incident_close(actor=actor, incident=incident),
                  _("The incident is closed.")),
        "ncr": (None, lambda d: inc.incident_ncr_request(actor=actor, incident=incident),
                _("A nonconformance was requested.")),
        "void": (F.ReasonForm, lambda d: inc.incident_void(actor=actor, incident=incident,
                                                           **d),
                 _("The incident was voided.")),
        "cost": (F.CostForm, lambda d: services_costs.incident_cost_add(
            actor=actor, incident=incident, **d), _("The cost was recorded.")),
        "penalty": (F.PenaltyForm, lambda d: services_penalties.penalty_propose(
            actor=actor, incident=incident, **d), _("The penalty was proposed.")),
    }  # fmt: skip


def _post(
    request: HttpRequest, form_class: Any, call: Callable[[dict[str, Any]], Any], done: str
) -> tuple[bool, Any, forms.Form | None]:
    """Run one action: True and the result when it went through, else the bound form with the
    service's refusal on it."""
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        return False, None, form
    try:
        result = call(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        if form is None:
            refusal_show(request, exc)
        else:
            errors_apply(form, exc)
        return False, None, form
    except PermissionDenied as exc:
        refusal_show(request, exc)
        return False, None, form
    messages.success(request, done)
    return True, result, form


@login_required
@require_POST
def incident_act(request: HttpRequest, pk: int, act: str) -> HttpResponseBase:
    incident = _incident(pk)
    check(request, "incidents.view_incident", incident)
    acts = _acts(request, incident)
    if act not in acts:
        raise Http404
    form_class, call, done = acts[act]
    ok, result, form = _post(request, form_class, call, done)
    if ok:
        if act == "penalty":
            return redirect("incidents:penalty_detail", pk=result.pk)
        if act == "void":
            return redirect("incidents:incident_list")
        return redirect("incidents:incident_detail", pk=incident.pk)
    if form is None:
        return redirect("incidents:incident_detail", pk=incident.pk)
    context = _detail_context(request, incident)
    context["forms"][act] = form
    context["open_form"] = act
    return render(request, "incidents/incident_detail.html", context, status=400)


@login_required
@require_POST
def cost_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    cost = get_object_or_404(IncidentCost.objects.select_related("incident"), pk=pk)
    check(request, "incidents.void_incidentcost", cost.incident)
    form = F.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services_costs.incident_cost_void(actor=actor_of(request), cost=cost,
                                              reason=form.cleaned_data["reason"])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("The cost was voided."))
    else:
        messages.error(request, _("Give a reason for voiding this record."))
    return redirect("incidents:incident_detail", pk=cost.incident_id)


# --- the rules -------------------------------------------------------------------------------


@login_required
@GET_POST
def rules_page(request: HttpRequest) -> HttpResponseBase:
    check(request, "incidents.view_incidentrules")
    current = rules_current()
    may_edit = request.user.has_perm("incidents.change_incidentrules")
    form = None
    if may_edit:
        initial = (
            {f: getattr(current, f) for f in F.RulesForm.base_fields} if current
            else DEFAULT_RULES
        )  # fmt: skip
        form = F.RulesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        check(request, "incidents.change_incidentrules")
        assert form is not None
        if form.is_valid():
            try:
                services_incidents.rules_set(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The new version of the rules is in force."))
                return redirect("incidents:rules")
    return render(
        request,
        "incidents/rules.html",
        {
            "current": current,
            "versions": IncidentRules.objects.filter(voided_at__isnull=True).select_related(
                "set_by"
            ),
            "form": form,
            "levels": IncidentLevel.choices,
        },
    )


# --- penalties -------------------------------------------------------------------------------


@login_required
def penalty_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in PenaltyStatus.values else ""
    page = Paginator(selectors.penalties_visible(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "incidents/penalty_list.html",
        {"page": page, "status": status, "statuses": PenaltyStatus.choices,
         "to_decide": selectors.penalties_to_decide(request.user)},
    )  # fmt: skip


def _penalty(pk: int) -> Penalty:
    found = selectors._with_decisions(Penalty.objects.filter(voided_at__isnull=True, pk=pk))
    penalty = found.first()
    if penalty is None:
        raise Http404
    return penalty


def _penalty_forms(request: HttpRequest, penalty: Penalty) -> dict[str, Any]:
    user = request.user
    st = penalty.status
    found: dict[str, Any] = {}
    if st == PenaltyStatus.PROPOSED and user.has_perm("incidents.hear_penalty", penalty):
        found["notify"] = F.NoticeForm()
    if st == PenaltyStatus.NOTIFIED and user.has_perm("incidents.state_case_penalty", penalty):
        found["hear"] = F.HearForm()
    if st == PenaltyStatus.HEARD and user.has_perm("incidents.decide_penalty", penalty):
        found["decide"] = F.DecisionForm(
            initial={"verdict": "impose", "measure": penalty.measure, "amount": penalty.amount}
        )
    if st == PenaltyStatus.DECIDED and user.has_perm("incidents.decide_penalty", penalty):
        found["revise"] = F.DecisionForm()
    if st in (PenaltyStatus.PROPOSED, PenaltyStatus.NOTIFIED, PenaltyStatus.HEARD) and (
        user.has_perm("incidents.propose_penalty", penalty)
    ):
        found["withdraw"] = F.ReasonForm()
    return found


def _penalty_context(request: HttpRequest, penalty: Penalty) -> dict[str, Any]:
    decisions = [d for d in penalty.decisions.all() if d.voided_at is None]
    return {
        "penalty": penalty,
        "decisions": decisions,
        "current": penalty.current_decision,
        "forms": _penalty_forms(request, penalty),
        "window_open": penalty.hearing_until is not None and timezone.now() < penalty.hearing_until,
    }


@login_required
def penalty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    penalty = _penalty(pk)
    check(request, "incidents.view_penalty", penalty)
    return render(request, "incidents/penalty_detail.html", _penalty_context(request, penalty))


@login_required
@require_POST
def penalty_act(request: HttpRequest, pk: int, act: str) -> HttpResponseBase:
    penalty = _penalty(pk)
    check(request, "incidents.view_penalty", penalty)
    actor = actor_of(request)
    pen = services_penalties
    acts: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "notify": (F.NoticeForm, lambda d: pen.penalty_notify(actor=actor, penalty=penalty, **d),
                   _("The person was told; the hearing window is open.")),
        "hear": (F.HearForm, lambda d: pen.penalty_hear(actor=actor, penalty=penalty, **d),
                 _("The hearing was recorded.")),
        "decide": (F.DecisionForm, lambda d: pen.penalty_decide(actor=actor, penalty=penalty,
                                                                **d),
                   _("The penalty was decided.")),
        "revise": (F.DecisionForm, lambda d: pen.penalty_revise(actor=actor, penalty=penalty,
                                                                **d),
                   _("The decision was revised; the earlier one is kept.")),
        "withdraw": (F.ReasonForm, lambda d: pen.penalty_withdraw(actor=actor, penalty=penalty,
                                                                  **d),
                     _("The penalty was withdrawn.")),
    }  # fmt: skip
    if act not in acts:
        raise Http404
    ok, _result, form = _post(request, *acts[act])
    if ok:
        return redirect("incidents:penalty_detail", pk=penalty.pk)
    context = _penalty_context(request, _penalty(pk))
    context["forms"][act] = form
    return render(request, "incidents/penalty_detail.html", context, status=400)


# --- the quality record ----------------------------------------------------------------------


def _record_page(request: HttpRequest, *, person: Any = None, unit: Any = None) -> HttpResponse:
    return render(
        request,
        "incidents/quality_record.html",
        {"person": person, "unit": unit,
         "entries": quality_record(person=person, unit=unit)},
    )  # fmt: skip


@login_required
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    if not (request.user.has_perm("incidents.view_penalty") or person.user_id == request.user.pk):
        raise PermissionDenied(_("You do not have permission to do this."))
    return _record_page(request, person=person)


@login_required
def unit_record(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    check(request, "incidents.view_penalty")
    return _record_page(request, unit=unit)


urlpatterns = [
    path("", incident_list, name="incident_list"),
    path("new/", incident_report, name="incident_report"),
    path("export.xlsx", incident_export, name="incident_export"),
    path("rules/", rules_page, name="rules"),
    path("penalties/", penalty_list, name="penalty_list"),
    path("penalties/<int:pk>/", penalty_detail, name="penalty_detail"),
    path("penalties/<int:pk>/<slug:act>/", penalty_act, name="penalty_act"),
    path("costs/<int:pk>/void/", cost_void, name="cost_void"),
    path("record/person/<int:pk>/", person_record, name="person_record"),
    path("record/unit/<int:pk>/", unit_record, name="unit_record"),
    path("<int:pk>/", incident_detail, name="incident_detail"),
    path("<int:pk>/<slug:act>/", incident_act, name="incident_act"),
]
