# mypy: disable-error-code="union-attr"
"""The performance app's pages: objectives with their lights and trends (§7.1.2), appraisal
rounds, one appraisal, "my appraisal" and the export for HR (§6 g), §7.1.7). Thin: parse, call
the service, render. Signing a round happens in the authorities' approval inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.authorities.selectors import approvals_for_subject
from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, can, check, errors_apply, refusal_show, run_service

from . import forms as F
from . import selectors as sel
from . import services as S
from .models import AppealStatus, Appraisal, AppraisalAppeal, ObjectiveActual, RoundStatus


@login_required
@GET_POST
def objective_list(request: HttpRequest) -> HttpResponse:
    check(request, "performance.view_objective")
    form = F.ObjectiveForm()
    if request.method == "POST":
        check(request, "performance.add_objective")
        form = F.ObjectiveForm(request.POST)
        if form.is_valid():
            try:
                found = S.objective_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The objective was set."))
                return redirect(found.get_absolute_url())
    objectives = list(sel.objectives_visible(request.user).filter(voided_at__isnull=True)[:200])
    return render(request, "performance/objective_list.html", {
        "rows": [sel.objective_status(o) for o in objectives],
        "form": form if request.user.has_perm("performance.add_objective") else None,
    })  # fmt: skip


@login_required
@GET_POST
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "performance.view_objective")
    objective = get_object_or_404(sel.objectives_visible(request.user), pk=pk)
    may_enter = (
        not objective.computed and objective.voided_at is None
        and request.user.has_perm("performance.enter_objectiveactual", objective)
    )  # fmt: skip
    form = F.ActualForm()
    if request.method == "POST":
        check(request, "performance.enter_objectiveactual", objective)
        form = F.ActualForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                S.actual_enter(actor=actor_of(request), objective=objective, **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The actual was entered with its evidence."))
                return redirect(objective.get_absolute_url())
    status = sel.objective_status(objective)
    option = sel.trend_option(status, target_label=_("Target"), actual_label=_("Actual"))
    return render(request, "performance/objective_detail.html", {
        "s": status,
        "objective": objective,
        "option": option,
        "children": [sel.objective_status(c) for c in objective.children.filter(voided_at__isnull=True)],
        "actuals": ObjectiveActual.objects.filter(objective=objective).select_related("entered_by"),
        "form": form if may_enter else None,
        "void_form": F.VoidForm() if objective.voided_at is None
        and request.user.has_perm("performance.change_objective", objective) else None,
    })  # fmt: skip


@login_required
@require_POST
def objective_void(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "performance.change_objective")
    objective = get_object_or_404(sel.objectives_visible(request.user), pk=pk)
    form = F.VoidForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": _("Give the reason for voiding (%(clause)s).")
                                   % {"clause": S.CLAUSE_OBJECTIVES}})  # fmt: skip
        S.objective_void(actor=actor_of(request), objective=objective, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The objective was voided."))
    return redirect(objective.get_absolute_url())


@login_required
@require_GET
def actual_evidence(request: HttpRequest, pk: int) -> Any:
    check(request, "performance.view_objectiveactual")
    actual = get_object_or_404(ObjectiveActual, pk=pk)
    check(request, "performance.view_objectiveactual", actual)
    return file_response(actual.evidence)


@login_required
@GET_POST
def round_list(request: HttpRequest) -> HttpResponse:
    check(request, "performance.view_appraisalround")
    form = F.RoundForm()
    if request.method == "POST":
        check(request, "performance.add_appraisalround")
        form = F.RoundForm(request.POST)
        if form.is_valid():
            try:
                found = S.round_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(
                    request, _("The appraisal round was set up; weigh its objectives.")
                )
                return redirect(found.get_absolute_url())
    return render(request, "performance/round_list.html", {
        "rounds": list(sel.rounds_visible(request.user)[:100]),
        "form": form if request.user.has_perm("performance.add_appraisalround") else None,
    })  # fmt: skip


@login_required
@GET_POST
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "performance.view_appraisalround")
    found = get_object_or_404(sel.rounds_visible(request.user), pk=pk)
    perms = can(request, "performance.propose_appraisalround", "performance.review_appraisalround",
                "performance.export_appraisal", obj=found)  # fmt: skip
    draft = found.status == RoundStatus.DRAFT and found.voided_at is None
    form = F.WeightForm()
    if request.method == "POST":
        check(request, "performance.propose_appraisalround", found)
        form = F.WeightForm(request.POST)
        if form.is_valid():
            try:
                S.round_weight_set(actor=actor_of(request), round=found, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    errors_apply(form, exc)
                else:
                    refusal_show(request, exc)
            else:
                messages.success(request, _("The objective was weighed."))
                return redirect(found.get_absolute_url())
    return render(request, "performance/round_detail.html", {
        "round": found,
        "weights": list(found.weights.select_related("objective", "objective__unit", "objective__owner")),
        "appraisals": sel.appraisal_rows(found),
        "approvals": list(approvals_for_subject(found)),
        "form": form if draft and perms["propose_appraisalround"] else None,
        "may_propose": draft and perms["propose_appraisalround"],
        "may_review": found.status == RoundStatus.PROPOSED and perms["review_appraisalround"],
        "may_export": perms["export_appraisal"] and found.status != RoundStatus.DRAFT,
    })  # fmt: skip


@login_required
@require_POST
def round_propose(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "performance.propose_appraisalround")
    found = get_object_or_404(sel.rounds_visible(request.user), pk=pk)
    run_service(
        request,
        lambda: S.round_propose(actor=actor_of(request), round=found),
        _("The scores were computed and proposed."),
    )
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def round_review(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "performance.review_appraisalround")
    found = get_object_or_404(sel.rounds_visible(request.user), pk=pk)
    run_service(
        request,
        lambda: S.round_review(
            actor=actor_of(request), round=found, note=request.POST.get("note", "")
        ),
        _("The round was reviewed and sent to the CQO for signature."),
    )
    return redirect(found.get_absolute_url())


EXPORT_HEADER = ("round", "period from", "period to", "status", "unit code", "unit",
                 "person", "name", "objective points", "deductions", "credits", "score",
                 "signed by", "signed at")  # fmt: skip


def export_rows(found: Any) -> list[list[Any]]:
    rows = []
    for a in sel.appraisal_rows(found):
        person = getattr(a.person, "person", None) if a.person_id else None
        rows.append([
            found.number, found.first, found.last, found.status,
            a.unit.code if a.unit_id else "", a.unit.name if a.unit_id else "",
            a.person.get_username() if a.person_id else "", person.name if person else "",
            a.objective_points, a.deductions, a.credits, a.score,
            found.signed_by.get_username() if found.signed_by_id else "",
            found.signed_at.isoformat() if found.signed_at else "",
        ])  # fmt: skip
    return rows


@login_required
@require_GET
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's scores as an Excel workbook for HR, every text cell neutralised."""
    check(request, "performance.export_appraisal")
    found = get_object_or_404(sel.rounds_visible(request.user), pk=pk)
    check(request, "performance.export_appraisal", found)
    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    sheet_append(ws, list(EXPORT_HEADER))
    for row in export_rows(found):
        sheet_append(ws, row)
    response = HttpResponse(
        xlsx_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="appraisal-{found.number}.xlsx"'
    return response


@login_required
@GET_POST
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = get_object_or_404(
        Appraisal.objects.select_related("round", "unit", "person"), pk=pk
    )
    check(request, "performance.view_appraisal", appraisal)
    may_appeal = request.user.has_perm("performance.add_appraisalappeal", appraisal)
    form = F.AppealForm()
    if request.method == "POST":
        check(request, "performance.add_appraisalappeal", appraisal)
        form = F.AppealForm(request.POST)
        if form.is_valid():
            try:
                S.appeal_raise(actor=actor_of(request), appraisal=appraisal, **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("Your appeal was sent."))
                return redirect(appraisal.get_absolute_url())
    appeals = list(appraisal.appeals.select_related("raised_by", "answered_by"))
    may_answer = request.user.has_perm("performance.answer_appraisalappeal")
    return render(request, "performance/appraisal_detail.html", {
        "a": appraisal,
        "appeals": appeals,
        "form": form if may_appeal else None,
        "answer_form": F.AnswerForm() if may_answer else None,
        "open": AppealStatus.OPEN,
    })  # fmt: skip


@login_required
@require_POST
def appeal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "performance.answer_appraisalappeal")
    appeal = get_object_or_404(AppraisalAppeal.objects.select_related("appraisal"), pk=pk)
    check(request, "performance.view_appraisal", appeal.appraisal)
    form = F.AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"answer": _("Write the answer (%(clause)s).")
                                   % {"clause": S.CLAUSE_APPRAISAL}})  # fmt: skip
        S.appeal_answer(actor=actor_of(request), appeal=appeal, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The appeal was answered."))
    return redirect(appeal.appraisal.get_absolute_url())


@login_required
@require_GET
def my_appraisal(request: HttpRequest) -> HttpResponse:
    return render(request, "performance/my_appraisal.html", {
        "appraisals": list(sel.appraisals_of(request.user)),
    })  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("objectives/", objective_list, name="objective_list"),
    path("objectives/<int:pk>/", objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/void/", objective_void, name="objective_void"),
    path("actuals/<int:pk>/evidence/", actual_evidence, name="actual_evidence"),
    path("rounds/", round_list, name="round_list"),
    path("rounds/<int:pk>/", round_detail, name="round_detail"),
    path("rounds/<int:pk>/propose/", round_propose, name="round_propose"),
    path("rounds/<int:pk>/review/", round_review, name="round_review"),
    path("rounds/<int:pk>/export/", round_export, name="round_export"),
    path("appraisals/<int:pk>/", appraisal_detail, name="appraisal_detail"),
    path("appeals/<int:pk>/answer/", appeal_answer, name="appeal_answer"),
    path("my-appraisal/", my_appraisal, name="my_appraisal"),
]
