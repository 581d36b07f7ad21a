"""The rewards part's pages (§7.2.4.2): the rules, the decisions with filters, a decision's page
and a new decision. Thin: parse, call the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, check, errors_apply, run_service

from . import forms_rewards as F
from . import selectors_rewards as sel
from . import services_rewards as S
from .models_rewards import DecisionStatus, RewardKind


@login_required
@GET_POST
def rule_list(request: HttpRequest) -> HttpResponse:
    check(request, "costs.view_rewardrule")
    form = F.RuleForm()
    if request.method == "POST":
        check(request, "costs.add_rewardrule")
        form = F.RuleForm(request.POST)
        if form.is_valid():
            try:
                rule = S.reward_rule_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The rule was saved."))
                return redirect(rule.get_absolute_url())
    kind = request.GET.get("kind", "")
    voided = request.GET.get("voided") == "1"
    return render(request, "costs/reward_rule_list.html", {
        "rules": list(sel.rules_visible(request.user, kind=kind, voided=voided)[:200]),
        "kind": kind, "voided": voided, "kinds": RewardKind.choices,
        "form": form if request.user.has_perm("costs.add_rewardrule") else None,
    })  # fmt: skip


@login_required
@GET_POST
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(sel.rules_visible(request.user, voided=True), pk=pk)
    check(request, "costs.view_rewardrule", rule)
    form = F.VoidForm()
    if request.method == "POST":
        check(request, "costs.void_rewardrule", rule)
        form = F.VoidForm(request.POST)
        if form.is_valid():
            try:
                S.reward_rule_void(actor=actor_of(request), rule=rule, **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The rule was voided."))
                return redirect(rule.get_absolute_url())
    return render(request, "costs/reward_rule_detail.html", {
        "rule": rule,
        "decisions": list(sel.decisions_visible(request.user, rule=rule.pk)[:50]),
        "form": form if rule.voided_at is None
        and request.user.has_perm("costs.void_rewardrule", rule) else None,
    })  # fmt: skip


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    check(request, "costs.view_rewarddecision")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    qs = sel.decisions_visible(request.user, kind=kind, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "costs/reward_decision_list.html", {
        "page": page, "kind": kind, "status": status, "kinds": RewardKind.choices,
        "statuses": DecisionStatus.choices,
        "may_raise": request.user.has_perm("costs.add_rewarddecision"),
    })  # fmt: skip


def _decision(request: HttpRequest, pk: int, perm: str) -> Any:
    """The decision the user may see, or 404; then ``perm`` on it, or 403."""
    decision = get_object_or_404(sel.decisions_visible(request.user), pk=pk)
    check(request, perm, decision)
    return decision


@login_required
@GET_POST
def decision_new(request: HttpRequest) -> HttpResponse:
    check(request, "costs.add_rewarddecision")
    form = F.DecisionForm()
    if request.method == "POST":
        form = F.DecisionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                decision = S.reward_decision_raise(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The decision was sent to the CQO."))
                return redirect(decision.get_absolute_url())
    return render(request, "costs/reward_decision_new.html", {"form": form})


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "costs.view_rewarddecision")
    live = decision.voided_at is None
    return render(request, "costs/reward_decision_detail.html", {
        "decision": decision,
        "may_decide": decision.status == DecisionStatus.PROPOSED and live
        and request.user.has_perm("costs.decide_rewarddecision", decision),
        "may_void": live and request.user.has_perm("costs.void_rewarddecision", decision),
        "may_pay": live and decision.kind == RewardKind.REWARD
        and decision.status == DecisionStatus.DECIDED and bool(decision.fund_refusal)
        and request.user.has_perm("costs.decide_rewarddecision", decision),
    })  # fmt: skip


@login_required
@require_POST
def decision_void(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "costs.void_rewarddecision")
    # The service refuses a missing or over-long reason, naming the clause.
    run_service(
        request,
        lambda: S.reward_decision_void(
            actor=actor_of(request), decision=decision, reason=request.POST.get("reason", "")
        ),
        _("The decision was voided."),
    )
    return redirect(decision.get_absolute_url())


@login_required
@require_POST
def decision_pay(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "costs.decide_rewarddecision")
    run_service(
        request,
        lambda: S.reward_decision_pay(actor=actor_of(request), decision=decision),
        _("The reward was sent to the fund again."),
    )
    return redirect(decision.get_absolute_url())


@login_required
@require_POST
def decision_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "costs.decide_rewarddecision")
    form = F.DecideForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: S.reward_decision_decide(
                actor=actor_of(request), decision=decision, **form.cleaned_data
            ),
            _("The decision was recorded."),
        )
    return redirect(decision.get_absolute_url())


@login_required
@require_GET
def decision_evidence(request: HttpRequest, pk: int) -> Any:
    decision = _decision(request, pk, "costs.view_rewarddecision")
    if not decision.evidence:
        raise Http404
    return file_response(decision.evidence)


urlpatterns: list[URLPattern | URLResolver] = [
    path("rewards/rules/", rule_list, name="reward_rule_list"),
    path("rewards/rules/<int:pk>/", rule_detail, name="reward_rule_detail"),
    path("rewards/decisions/", decision_list, name="reward_decision_list"),
    path("rewards/decisions/new/", decision_new, name="reward_decision_new"),
    path("rewards/decisions/<int:pk>/", decision_detail, name="reward_decision_detail"),
    path("rewards/decisions/<int:pk>/decide/", decision_decide, name="reward_decision_decide"),
    path("rewards/decisions/<int:pk>/void/", decision_void, name="reward_decision_void"),
    path("rewards/decisions/<int:pk>/pay/", decision_pay, name="reward_decision_pay"),
    path(
        "rewards/decisions/<int:pk>/evidence/", decision_evidence, name="reward_decision_evidence"
    ),
]
