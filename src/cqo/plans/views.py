"""Pages of the quality strategy and plans (§6 a))."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.authorities import selectors as sel
from cqo.authorities.forms import errors_apply
from cqo.authorities.views import GET_POST, _check, _run, _veto_context

from . import selectors, services
from .forms import PlanForm, PlanItemForm, PlanSubmitForm, ProgressForm, StrategyForm
from .models import PlanItem, QualityPlan, StrategyStatus

# --- strategy and plans (§6 a)) -------------------------------------------------------


@login_required
@require_POST
def strategy_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Put a strategy in force, or retire it (§6 a)); the service checks the authority."""
    strategy = get_object_or_404(selectors.strategies_visible(request.user), pk=pk)
    _check(request, "plans.change_qualitystrategy", strategy)
    try:
        services.strategy_set_status(
            actor=actor_of(request),
            strategy=strategy,
            status=request.POST.get("status", ""),
            reason=(request.POST.get("reason") or "").strip(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The strategy's status was changed."))
    return redirect("plans:strategy_list")


@login_required
@GET_POST
def strategy_list(request: HttpRequest) -> HttpResponseBase:
    _check(request, "plans.view_qualitystrategy")
    may_add = request.user.has_perm("plans.add_qualitystrategy")
    # Two forms on one page: each has its own prefix (field names and ids) and says which it is
    # through ``form``, so a plan's ``strategy`` choice is never taken for the strategy form.
    which = request.POST.get("form") if request.method == "POST" else None
    strategy_form = StrategyForm(request.POST if which == "strategy" else None, prefix="strategy")
    plan_form = PlanForm(request.POST if which == "plan" else None, prefix="plan")
    if request.method == "POST":
        _check(request, "plans.add_qualitystrategy")
        if which not in ("strategy", "plan"):
            raise BadRequest(_("Choose the strategy form or the plan form."))
        form: Any = strategy_form if which == "strategy" else plan_form
        if form.is_valid():
            try:
                if form is strategy_form:
                    services.strategy_create(actor=actor_of(request), **form.cleaned_data)
                    done = _("The strategy was recorded.")
                else:
                    plan = services.plan_create(actor=actor_of(request), **form.cleaned_data)
                    messages.success(request, _("The plan was created; add its items."))
                    return redirect("plans:plan_detail", pk=plan.pk)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return redirect("plans:strategy_list")
    return render(
        request,
        "plans/strategy_list.html",
        {
            "strategies": selectors.strategies_visible(request.user).prefetch_related("plans"),
            "may_change_strategy": request.user.has_perm("plans.change_qualitystrategy"),
            "strategy_statuses": StrategyStatus.choices,
            "plans": selectors.plans_visible(request.user),
            "may_add": may_add,
            "strategy_form": strategy_form,
            "plan_form": plan_form,
        },
    )


@login_required
@GET_POST
def plan_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    plan = get_object_or_404(QualityPlan.objects.select_related("strategy", "unit", "owner"), pk=pk)
    _check(request, "plans.view_qualityplan", plan)
    item_form = PlanItemForm(request.POST if "item" in request.POST else None)
    submit_form = PlanSubmitForm(request.POST if "submit" in request.POST else None)
    if request.method == "POST":
        if "item" in request.POST and item_form.is_valid():
            try:
                services.plan_item_add(actor=actor_of(request), plan=plan, **item_form.cleaned_data)
            except ValidationError as exc:
                errors_apply(item_form, exc)
            except PermissionDenied as exc:
                item_form.add_error(None, str(exc))
            else:
                messages.success(request, _("The item was added."))
                return redirect("plans:plan_detail", pk=plan.pk)
        elif "submit" in request.POST and submit_form.is_valid():
            due = submit_form.cleaned_data.get("due_date")
            _run(
                request,
                lambda: services.plan_submit(actor=actor_of(request), plan=plan, due=due),
                _("The plan was sent for approval (§6 c))."),
            )
            return redirect("plans:plan_detail", pk=plan.pk)
        elif "close" in request.POST:
            _run(
                request,
                lambda: services.plan_close(actor=actor_of(request), plan=plan),
                _("The plan was closed."),
            )
            return redirect("plans:plan_detail", pk=plan.pk)
    items = plan.items.filter(voided_at__isnull=True).select_related("owner")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "item_form": item_form,
            "submit_form": submit_form,
            "may_edit": request.user.has_perm("plans.change_qualityplan", plan),
            "approvals": sel.approvals_for_subject(plan),
            **_veto_context(request, plan),
            "progress_form": ProgressForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def plan_item_progress(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    _check(request, "plans.view_qualityplan", item.plan)
    form = ProgressForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.plan_item_progress(
                actor=actor_of(request), item=item, **form.cleaned_data
            ),
            _("Progress was recorded."),
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("plans:plan_detail", pk=item.plan_id)
