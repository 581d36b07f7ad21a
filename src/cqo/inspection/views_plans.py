"""Pages of the inspection app: plans part (list, detail and editing, approval, Excel)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cqo.accounts.actors import actor_of
from cqo.authorities import selectors as auth_sel
from cqo.core.views import GET_POST, check, errors_apply
from cqo.masterdata.models import Characteristic, DefectClass, Gate, Item, Supplier

from . import selectors_plans as sel
from . import services_plans as services
from . import transfer_plans
from .models import InspectionPlan, PlanStatus, SamplingMethod


class PlanNewForm(forms.Form):
    item = forms.ModelChoiceField(
        label=capfirst(gettext_lazy("item")), queryset=Item.objects.none()
    )
    gate = forms.ChoiceField(label=gettext_lazy("Gate"), choices=Gate.choices)
    supplier = forms.ModelChoiceField(
        label=gettext_lazy("Supplier"),
        queryset=Supplier.objects.none(),
        required=False,
        help_text=gettext_lazy("Only when this supplier's lots are inspected differently."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(voided_at__isnull=True)  # type: ignore[attr-defined]
        self.fields["supplier"].queryset = Supplier.objects.filter(voided_at__isnull=True)  # type: ignore[attr-defined]


class PlanIpqcForm(forms.Form):
    first_article = forms.BooleanField(label=gettext_lazy("First article required"), required=False)
    patrol_interval_minutes = forms.IntegerField(
        label=gettext_lazy("Patrol every (minutes)"), required=False
    )
    last_piece = forms.BooleanField(label=gettext_lazy("Last piece required"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SamplingForm(forms.Form):
    defect_class = forms.ChoiceField(
        label=gettext_lazy("Defect class"), choices=DefectClass.choices
    )
    method = forms.ChoiceField(label=gettext_lazy("Sampling"), choices=SamplingMethod.choices)
    level = forms.CharField(
        label=gettext_lazy("Inspection level"), required=False, max_length=4, initial="II"
    )
    aql = forms.CharField(label=gettext_lazy("AQL"), required=False, max_length=8)
    fixed_n = forms.IntegerField(label=gettext_lazy("Sample size"), required=False)
    fixed_ac = forms.IntegerField(label=gettext_lazy("Acceptance number"), required=False)


class CharacteristicsForm(forms.Form):
    characteristics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Characteristics checked"),
        queryset=Characteristic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["characteristics"].queryset = Characteristic.objects.filter(  # type: ignore[attr-defined]
            item=item, voided_at__isnull=True
        )


class SubmitForm(forms.Form):
    due_date = forms.DateField(
        label=gettext_lazy("Decision wanted by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


@login_required
@GET_POST
def plan_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "inspection.view_inspectionplan")
    may_add = request.user.has_perm("inspection.add_inspectionplan")
    form = PlanNewForm(request.POST or None)
    if request.method == "POST":
        check(request, "inspection.add_inspectionplan")
        if form.is_valid():
            try:
                plan = services.plan_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("The plan was drafted: choose its characteristics and sampling.")
                )
                return redirect("inspection:plan_detail", pk=plan.pk)
    gate = request.GET.get("gate", "")
    gate = gate if gate in Gate.values else ""
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""
    query = (request.GET.get("q") or "").strip()[:60]
    plans = sel.plans_filtered(request.user, gate=gate, status=status, query=query)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspection/plans/plan_list.html",
        {
            "page": page,
            "gate": gate,
            "status": status,
            "q": query,
            "gates": Gate.choices,
            "statuses": PlanStatus.choices,
            "form": form if may_add else None,
            "may_import": may_add,
        },
    )


def _plan(request: HttpRequest, pk: int) -> InspectionPlan:
    plan = sel.plans_visible(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@login_required
@GET_POST
def plan_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "inspection.view_inspectionplan")
    plan = _plan(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = request.POST if request.method == "POST" else None
    ipqc_form = PlanIpqcForm(
        bound if action == "update" else None,
        initial={
            "first_article": plan.first_article,
            "patrol_interval_minutes": plan.patrol_interval_minutes,
            "last_piece": plan.last_piece,
            "note": plan.note,
        },
    )
    sampling_form = SamplingForm(bound if action == "sampling" else None)
    chars_form = CharacteristicsForm(
        bound if action == "characteristics" else None,
        item=plan.item,
        initial={"characteristics": [c.characteristic_id for c in sel.plan_characteristics(plan)]},
    )
    submit_form = SubmitForm(bound if action == "submit" else None)
    if request.method == "POST":
        check(request, "inspection.change_inspectionplan", plan)
        actor = actor_of(request)
        done: tuple[str, Any] | None = None
        form: Any = None
        try:
            if action == "update" and ipqc_form.is_valid():
                form = ipqc_form
                services.plan_update(actor=actor, plan=plan, **ipqc_form.cleaned_data)
                done = (_("The plan was saved."), plan.pk)
            elif action == "sampling" and sampling_form.is_valid():
                form = sampling_form
                services.plan_sampling_set(actor=actor, plan=plan, **sampling_form.cleaned_data)
                done = (_("The sampling was saved."), plan.pk)
            elif action == "sampling_remove":
                services.plan_sampling_remove(
                    actor=actor, plan=plan, defect_class=request.POST.get("defect_class", "")
                )
                done = (_("The class is no longer sampled."), plan.pk)
            elif action == "characteristics" and chars_form.is_valid():
                form = chars_form
                services.plan_characteristics_set(
                    actor=actor, plan=plan,
                    characteristics=chars_form.cleaned_data["characteristics"],
                )  # fmt: skip
                done = (_("The characteristics were saved."), plan.pk)
            elif action == "submit" and submit_form.is_valid():
                form = submit_form
                services.plan_submit(
                    actor=actor, plan=plan, due=submit_form.cleaned_data.get("due_date")
                )
                done = (_("The plan was sent for approval (§6 c))."), plan.pk)
            elif action == "version":
                copy = services.plan_version_new(actor=actor, plan=plan)
                done = (_("Version %(v)s was drafted.") % {"v": copy.version}, copy.pk)
        except ValidationError as exc:
            if form is not None:
                errors_apply(form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        if done is not None:
            messages.success(request, done[0])
            return redirect("inspection:plan_detail", pk=done[1])
    may_edit = request.user.has_perm("inspection.change_inspectionplan", plan)
    return render(
        request,
        "inspection/plans/plan_detail.html",
        {
            "plan": plan,
            "samplings": sel.plan_samplings(plan),
            "characteristics": sel.plan_characteristics(plan),
            "versions": sel.plan_versions(plan),
            "approvals": auth_sel.approvals_for_subject(plan),
            "editable": may_edit and plan.status in services.EDITABLE,
            "may_version": request.user.has_perm("inspection.add_inspectionplan")
            and plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED),
            "problems": services.plan_problems(plan) if plan.status in services.EDITABLE else {},
            "ipqc_form": ipqc_form,
            "sampling_form": sampling_form,
            "chars_form": chars_form,
            "submit_form": submit_form,
            "is_ipqc": plan.gate == Gate.IPQC,
        },
    )


@login_required
@require_GET
def plan_export(request: HttpRequest) -> HttpResponse:
    check(request, "inspection.view_inspectionplan")
    data = transfer_plans.plans_export(request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="inspection-plans-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@login_required
@GET_POST
def plan_import(request: HttpRequest) -> HttpResponseBase:
    check(request, "inspection.add_inspectionplan")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans = transfer_plans.plans_import(
                actor=actor_of(request), file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(n)d draft plans were imported.") % {"n": len(plans)})
            return redirect("inspection:plan_list")
    return render(
        request,
        "inspection/plans/plan_import.html",
        {"form": form, "columns": transfer_plans.COLUMNS},
    )


urlpatterns: list[URLPattern] = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/export/", plan_export, name="plan_export"),
    path("plans/import/", plan_import, name="plan_import"),
]
