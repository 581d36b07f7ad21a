"""Pages of the review board (§6 c)) and of the costs (§7.1.5): the review and costs sections
of the NCR page, the disposition form and page (with its veto, §6 i)), the review policy. Thin:
parse, call the service, render."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.authorities.selectors import approvals_for_subject
from cqo.authorities.views import _veto_context
from cqo.core.views import GET_POST, check, errors_apply, refusal_show, run_service

from . import selectors_mrb as sel
from . import services_costs as C
from . import services_mrb as S
from .forms_mrb import CompleteForm, CostForm, DispositionForm, OpinionForm, PolicyForm, ReasonForm
from .models import Anomaly, DispositionStatus, ReviewOpinion

VIEW_ANOMALY = "anomalies.view_anomaly"


def _anomaly(request: HttpRequest, pk: int) -> Anomaly:
    anomaly = get_object_or_404(Anomaly.objects.select_related("item"), pk=pk)
    check(request, VIEW_ANOMALY, anomaly)
    return anomaly


def _ncr_url(anomaly: Any, anchor: str = "mrb") -> str:
    page = C.record_url("anomalies.anomaly", anomaly.pk)
    return f"{page}#{anchor}" if page else "/"


# --- the sections of the NCR page -----------------------------------------------------------------


def review_section_context(request: HttpRequest, anomaly: Any) -> dict[str, Any] | None:
    """The review section: the board's opinions, the dispositions and what is left to dispose."""
    user = request.user
    if not user.has_perm("anomalies.view_disposition"):
        return None
    dispositions = list(sel.dispositions_of(user, anomaly))
    live = [d for d in dispositions if d.voided_at is None]
    covered = S.dispositioned_quantity(anomaly)
    open_ = anomaly.voided_at is None and anomaly.status != "closed"
    return {
        "opinions": list(sel.opinions_of(user, anomaly)),
        "dispositions": live,
        "voided_count": len(dispositions) - len(live),
        "covered": covered,
        "left": S.quantity_left(anomaly),
        "policy": S.review_policy(),
        "may_opine": open_ and user.has_perm("anomalies.add_reviewopinion", anomaly),
        "may_dispose": open_ and user.has_perm("anomalies.add_disposition", anomaly),
        "opinion_form": OpinionForm(),
        "obstacles": S.closure_obstacles(anomaly) if open_ else [],
    }


def cost_section_context(request: HttpRequest, record: models.Model) -> dict[str, Any] | None:
    """The costs section of any record with costs (an NCR, a complaint): its lines, the total and
    the form to add one. ``anomalies/costs/_section.html`` shows it."""
    user = request.user
    if not user.has_perm("anomalies.view_costentry"):
        return None
    record_type = C.record_type_of(record)
    entries = sel.costs_of(user, record_type, record.pk)
    return {
        "cost_record": record,
        "cost_entries": list(entries),
        "cost_total": sel.costs_total(entries),
        "may_add_cost": getattr(record, "voided_at", None) is None
        and user.has_perm("anomalies.add_costentry", record),
        "cost_form": CostForm(),
        "cost_add_url": reverse("anomalies:cost_add", args=[record._meta.model_name, record.pk]),
        "may_void_cost": user.has_perm("anomalies.void_costentry"),
    }


def ncr_cost_section_context(request: HttpRequest, anomaly: Any) -> dict[str, Any] | None:
    return cost_section_context(request, anomaly)


# --- opinions -------------------------------------------------------------------------------------


@login_required
@require_POST
def opinion_add(request: HttpRequest, pk: int) -> HttpResponse:
    anomaly = _anomaly(request, pk)
    check(request, "anomalies.add_reviewopinion", anomaly)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_ncr_url(anomaly))
    run_service(
        request,
        lambda: S.opinion_record(actor=actor_of(request), anomaly=anomaly, **form.cleaned_data),
        _("Your opinion was recorded."),
    )
    return redirect(_ncr_url(anomaly))


@login_required
@require_POST
def opinion_void(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = get_object_or_404(ReviewOpinion, pk=pk)
    anomaly = _anomaly(request, opinion.anomaly_id)
    check(request, "anomalies.void_reviewopinion", opinion)
    run_service(
        request,
        lambda: S.opinion_void(
            actor=actor_of(request), opinion=opinion, reason=request.POST.get("reason", "")
        ),
        _("The opinion was voided."),
    )
    return redirect(_ncr_url(anomaly))


# --- dispositions -----------------------------------------------------------------------------------


@login_required
@GET_POST
def disposition_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    anomaly = _anomaly(request, pk)
    check(request, "anomalies.add_disposition", anomaly)
    lots = S.anomaly_lots(anomaly)
    left = S.quantity_left(anomaly)
    initial: dict[str, Any] = {"quantity": left} if left > 0 else {}
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    if len(lots) == 1:
        initial["lot"] = str(lots[0].pk)
    form = DispositionForm(
        request.POST if request.method == "POST" else None, lots=lots, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            disposition = S.disposition_propose(
                actor=actor_of(request), anomaly=anomaly, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            refusal_show(request, exc)
            return redirect(_ncr_url(anomaly))
        else:
            if disposition.status == DispositionStatus.SUBMITTED:
                messages.success(
                    request,
                    _("The disposition was sent to the CQO for approval (%(clause)s).")
                    % {"clause": S.CLAUSE_MRB},
                )
            else:
                messages.success(request, _("The disposition was decided."))
            return redirect("anomalies:disposition_detail", pk=disposition.pk)
    return render(
        request,
        "anomalies/mrb/disposition_form.html",
        {
            "anomaly": anomaly,
            "form": form,
            "left": left,
            "covered": S.dispositioned_quantity(anomaly),
            "policy": S.review_policy(),
        },
    )


@login_required
def disposition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disposition = get_object_or_404(sel.dispositions_visible(request.user), pk=pk)
    check(request, "anomalies.view_disposition", disposition)
    anomaly = disposition.anomaly
    user = request.user
    live = disposition.voided_at is None
    veto = _veto_context(request, disposition)
    return render(
        request,
        "anomalies/mrb/disposition_detail.html",
        {
            "disposition": disposition,
            "anomaly": anomaly,
            "approvals": approvals_for_subject(disposition),
            "may_complete": live
            and disposition.status == DispositionStatus.DECIDED
            and veto["veto"] is None
            and user.has_perm("anomalies.complete_disposition", disposition),
            "may_void": live
            and disposition.status == DispositionStatus.DECIDED
            and not disposition.lot_released
            and user.has_perm("anomalies.void_disposition", disposition),
            "complete_form": CompleteForm(),
            "void_form": ReasonForm(),
            "costs": list(sel.costs_visible(user).filter(disposition=disposition)),
            **veto,
        },
    )


@login_required
@require_POST
def disposition_complete(request: HttpRequest, pk: int) -> HttpResponse:
    disposition = get_object_or_404(sel.dispositions_visible(request.user), pk=pk)
    check(request, "anomalies.complete_disposition", disposition)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            S.disposition_complete(
                actor=actor_of(request), disposition=disposition, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("The disposition was marked done."))
    else:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
    return redirect("anomalies:disposition_detail", pk=disposition.pk)


@login_required
@require_POST
def disposition_void(request: HttpRequest, pk: int) -> HttpResponse:
    disposition = get_object_or_404(sel.dispositions_visible(request.user), pk=pk)
    check(request, "anomalies.void_disposition", disposition)
    run_service(
        request,
        lambda: S.disposition_void(
            actor=actor_of(request), disposition=disposition, reason=request.POST.get("reason", "")
        ),
        _("The disposition was voided."),
    )
    return redirect("anomalies:disposition_detail", pk=disposition.pk)


# --- costs ---------------------------------------------------------------------------------------


def _cost_record(request: HttpRequest, record: str, pk: int) -> Any:
    label = f"anomalies.{record}"
    if label not in C.cost_record_types():
        raise Http404
    model = apps.get_model("anomalies", record)
    found = get_object_or_404(model._default_manager.all(), pk=pk)
    check(request, f"anomalies.view_{record}", found)
    return found


@login_required
@GET_POST
def cost_add(request: HttpRequest, record: str, pk: int) -> HttpResponseBase:
    target = _cost_record(request, record, pk)
    check(request, "anomalies.add_costentry", target)
    form = CostForm(request.POST if request.method == "POST" else None)
    back = C.record_url(C.record_type_of(target), target.pk)
    if request.method == "POST" and form.is_valid():
        try:
            C.cost_entry_add(actor=actor_of(request), record=target, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            refusal_show(request, exc)
            return redirect(back or "/")
        else:
            messages.success(request, _("The cost was recorded."))
            return redirect(f"{back}#costs" if back else "/")
    return render(
        request,
        "anomalies/costs/cost_form.html",
        {"record": target, "form": form, "back": back},
    )


@login_required
@require_POST
def cost_void(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(sel.costs_visible(request.user), pk=pk)
    check(request, "anomalies.void_costentry", entry)
    run_service(
        request,
        lambda: C.cost_entry_void(
            actor=actor_of(request), entry=entry, reason=request.POST.get("reason", "")
        ),
        _("The cost line was voided."),
    )
    back = C.record_url(entry.record_type, entry.record_id)
    return redirect(f"{back}#costs" if back else "/")


# --- the review policy --------------------------------------------------------------------------


@login_required
@GET_POST
def review_policy(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.view_reviewpolicy")
    policy = S.review_policy()
    may_change = request.user.has_perm("anomalies.change_reviewpolicy")
    form = PolicyForm(
        request.POST if request.method == "POST" else None,
        initial={
            "cost_threshold": policy.cost_threshold,
            "quantity_threshold": policy.quantity_threshold,
        },
    )
    if request.method == "POST":
        check(request, "anomalies.change_reviewpolicy")
        if form.is_valid():
            try:
                S.review_policy_update(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The review policy was saved."))
                return redirect("anomalies:review_policy")
    return render(
        request,
        "anomalies/mrb/policy.html",
        {"policy": policy, "form": form, "may_change": may_change},
    )


urlpatterns: list[URLPattern] = [
    path("ncrs/<int:pk>/opinions/", opinion_add, name="opinion_add"),
    path("opinions/<int:pk>/void/", opinion_void, name="opinion_void"),
    path("ncrs/<int:pk>/dispositions/new/", disposition_new, name="disposition_new"),
    path("dispositions/<int:pk>/", disposition_detail, name="disposition_detail"),
    path("dispositions/<int:pk>/done/", disposition_complete, name="disposition_complete"),
    path("dispositions/<int:pk>/void/", disposition_void, name="disposition_void"),
    path("costs/<slug:record>/<int:pk>/add/", cost_add, name="cost_add"),
    path("costs/<int:pk>/void/", cost_void, name="cost_void"),
    path("review-policy/", review_policy, name="review_policy"),
]
