"""Pages of proposals (§6 b)) and business decisions with their veto (§6 i))."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.audit.selectors import signatures_with_status
from cqo.authorities import selectors as sel
from cqo.authorities.forms import errors_apply
from cqo.authorities.vetoable import (
    VetoActiveError,
    veto_active_for,
    veto_blocked_message,
)
from cqo.authorities.views import (
    GET_POST,
    PAGE_SIZE,
    _check,
    _refusal,
    _run,
    _veto_context,
)

from . import selectors, services
from .forms import AnswerForm, DecisionForm, ProposalForm
from .models import BusinessDecision, DecisionStatus, Proposal

# --- proposals (§6 b)) ---------------------------------------------------------------


@login_required
@GET_POST
def proposal_list(request: HttpRequest) -> HttpResponseBase:
    _check(request, "decisions.view_proposal")
    may_add = request.user.has_perm("decisions.add_proposal")
    form = ProposalForm(request.POST or None) if may_add else None
    if request.method == "POST":
        _check(request, "decisions.add_proposal")
        assert form is not None
        if form.is_valid():
            try:
                proposal = services.proposal_submit(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The proposal was sent to the decision layer."))
                return redirect("decisions:proposal_detail", pk=proposal.pk)
    state = request.GET.get("state", "")
    return render(
        request,
        "decisions/proposal_list.html",
        {
            "form": form,
            "state": state,
            "to_answer": selectors.proposals_to_answer(request.user),
            "page": Paginator(
                selectors.proposals_visible(request.user, state=state), PAGE_SIZE
            ).get_page(request.GET.get("page")),
        },
    )


@login_required
@GET_POST
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    proposal = get_object_or_404(
        Proposal.objects.select_related("addressee", "raised_by", "answered_by", "unit"), pk=pk
    )
    _check(request, "decisions.view_proposal", proposal)
    may_answer = proposal.awaiting_answer and request.user.has_perm(
        "decisions.answer_proposal", proposal
    )
    form = AnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        _check(request, "decisions.answer_proposal", proposal)
        assert form is not None
        if form.is_valid():
            try:
                services.proposal_answer(
                    actor=actor_of(request), proposal=proposal, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            except (VetoActiveError, PermissionDenied) as exc:
                _refusal(request, exc)
                return redirect("decisions:proposal_detail", pk=proposal.pk)
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect("decisions:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "decisions/proposal_detail.html",
        {"proposal": proposal, "form": form, **_veto_context(request, proposal)},
    )


# --- business decisions and the veto (§6 i)) -----------------------------------------


@login_required
@GET_POST
def decision_list(request: HttpRequest) -> HttpResponseBase:
    _check(request, "decisions.view_businessdecision")
    may_add = request.user.has_perm("decisions.add_businessdecision")
    form = DecisionForm(request.POST or None) if may_add else None
    if request.method == "POST":
        _check(request, "decisions.add_businessdecision")
        assert form is not None
        if form.is_valid():
            try:
                decision = services.decision_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The decision was recorded as a draft."))
                return redirect("decisions:decision_detail", pk=decision.pk)
    status = request.GET.get("status", "")
    page = Paginator(selectors.decisions_visible(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    vetoed = sel.vetoed_ids(BusinessDecision, [d.pk for d in page])
    return render(
        request,
        "decisions/decision_list.html",
        {
            "form": form,
            "page": page,
            "vetoed": vetoed,
            "status": status,
            "statuses": DecisionStatus.choices,
        },
    )


def _decision_steps(request: HttpRequest, decision: BusinessDecision) -> dict[str, bool]:
    user = request.user
    return {
        "submit": user.has_perm("decisions.submit_businessdecision", decision)
        and decision.status == DecisionStatus.DRAFT,
        "approve": user.has_perm("decisions.approve_businessdecision", decision)
        and decision.status == DecisionStatus.SUBMITTED,
        "effect": user.has_perm("decisions.effect_businessdecision", decision)
        and decision.status == DecisionStatus.APPROVED,
    }


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(BusinessDecision.objects.select_related("unit"), pk=pk)
    _check(request, "decisions.view_businessdecision", decision)
    steps = _decision_steps(request, decision)
    # The service refuses every forward step while a veto holds (``veto_refuse_if_active``):
    # offer none, and say why instead.
    veto = veto_active_for(decision)
    blocked: list[str] = []
    if veto is not None:
        what = {
            "submit": _("Submitting"),
            "approve": _("Approval"),
            "effect": _("Putting into effect"),
        }
        blocked = [veto_blocked_message(str(what[k])) for k, v in steps.items() if v]
        steps = dict.fromkeys(steps, False)
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "steps": steps,
            "blocked": blocked,
            "may_withdraw": decision.status
            in (DecisionStatus.DRAFT, DecisionStatus.SUBMITTED, DecisionStatus.APPROVED)
            and request.user.has_perm("decisions.withdraw_businessdecision", decision),
            "signatures": signatures_with_status(obj=decision),
            # The veto goes through the one path of every vetoable record (§6 i)).
            **_veto_context(request, decision),
        },
    )


@login_required
@require_POST
def decision_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Submit, approve, put in effect or withdraw. The buttons for a vetoed decision still post
    here; the service refuses with the §6 i) message and the page shows it."""
    decision = get_object_or_404(BusinessDecision, pk=pk)
    _check(request, "decisions.view_businessdecision", decision)
    done = {
        "submit": _("The decision was submitted."),
        "approve": _("The decision was approved."),
        "effect": _("The decision is now in effect."),
        "withdraw": _("The decision was withdrawn."),
    }
    if step not in done:
        messages.error(request, _("Choose submit, approve, put in effect or withdraw."))
        return redirect("decisions:decision_detail", pk=decision.pk)
    reason = request.POST.get("reason", "")
    _run(
        request,
        lambda: services.decision_advance(
            actor=actor_of(request), decision=decision, step=step, reason=reason
        ),
        done[step],
    )
    return redirect("decisions:decision_detail", pk=decision.pk)
