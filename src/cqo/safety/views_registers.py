"""The registers part's pages (§7.2.1.1–§7.2.1.3): the requirements register and its sources and
impact reviews, the risk register on the configured matrix, the risk-control list (publish,
versions, PDF) and the key posts. Thin: parse, call the service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.core.views import GET_POST, check, errors_apply, refusal_show

from . import forms_registers as F
from . import selectors_registers as sel
from . import services_registers as svc
from .models_registers import (
    ControlList,
    ImpactReview,
    Requirement,
    RequirementSource,
    Risk,
    RiskControl,
    RiskMatrix,
    SourceKind,
)

PAGE_SIZE = 50


def _save(form: Any, call: Callable[[], Any], done: str) -> Any:
    """Call the service with the form's data; its refusal lands on the form. The result, or
    None when refused."""
    try:
        result = call()
    except ValidationError as exc:
        errors_apply(form, exc)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return None
    return result or True


def _families() -> list[str]:
    from cqo.masterdata.models import Item

    found = set(
        Item.objects.filter(voided_at__isnull=True).exclude(family="")
        .values_list("family", flat=True).distinct()
    )  # fmt: skip
    found |= set(Requirement.objects.values_list("family", flat=True).distinct())
    found |= set(Risk.objects.values_list("family", flat=True).distinct())
    return sorted(found)


# --- requirements register ------------------------------------------------------------------


@login_required
def requirement_list(request: HttpRequest) -> HttpResponse:
    check(request, "safety.view_requirement")
    family = request.GET.get("family", "")[:60]
    page = Paginator(sel.requirements_visible(request.user, family=family), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "safety/registers_requirements.html", {
        "page": page, "family": family, "families": sel.requirement_families(request.user),
        "sources": sel.sources_visible(request.user),
        "reviews": sel.reviews_visible(request.user, open_only=True),
        "may_add": request.user.has_perm("safety.add_requirement"),
        "may_add_source": request.user.has_perm("safety.add_requirementsource"),
    })  # fmt: skip


@login_required
@GET_POST
def requirement_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.add_requirement")
    form = F.RequirementForm(request.POST or None,
                             initial={"owner": request.user.pk,
                                      "source": request.GET.get("source")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        done = _save(form, lambda: svc.requirement_add(actor=actor_of(request),
                                                       **form.cleaned_data), "")  # fmt: skip
        if done:
            messages.success(request, _("The requirement is in the register."))
            return redirect("safety:requirement_list")
    return render(request, "safety/registers_form.html", {
        "form": form, "title": _("New safety requirement"), "clause": svc.CLAUSE_REQUIREMENTS,
        "back": "safety:requirement_list", "families": _families(),
    })  # fmt: skip


@login_required
@GET_POST
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "safety.view_requirement")
    requirement = get_object_or_404(
        Requirement.objects.select_related("source", "owner"), pk=pk, voided_at__isnull=True
    )
    may_edit = request.user.has_perm("safety.change_requirement", requirement)
    form = None
    if may_edit:
        form = F.RequirementForm(request.POST or None, initial={
            "source": requirement.source_id, "family": requirement.family,
            "source_clause": requirement.source_clause, "text": requirement.text,
            "applicability": requirement.applicability, "owner": requirement.owner_id,
            "review_on": requirement.review_on,
        })  # fmt: skip
    if request.method == "POST":
        check(request, "safety.change_requirement", requirement)
        assert form is not None
        if form.is_valid() and _save(form, lambda: svc.requirement_update(
                actor=actor_of(request), requirement=requirement, **form.cleaned_data), ""):  # fmt: skip
            messages.success(request, _("The requirement is saved."))
            return redirect("safety:requirement_detail", pk=pk)
    return render(request, "safety/registers_requirement.html", {
        "requirement": requirement, "form": form, "void_form": F.VoidForm(),
        "may_void": request.user.has_perm("safety.void_requirement", requirement),
        "families": _families(),
    })  # fmt: skip


@login_required
@require_POST
def requirement_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    requirement = get_object_or_404(Requirement, pk=pk)
    check(request, "safety.void_requirement", requirement)
    try:
        svc.requirement_void(actor=actor_of(request), requirement=requirement,
                             reason=request.POST.get("reason", ""))  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect("safety:requirement_detail", pk=pk)
    messages.success(request, _("The requirement is voided."))
    return redirect("safety:requirement_list")


@login_required
@GET_POST
def source_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.add_requirementsource")
    form = F.SourceForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        source = _save(form, lambda: svc.source_add(actor=actor_of(request),
                                                    **form.cleaned_data), "")  # fmt: skip
        if source:
            messages.success(request, _("The source is in the register."))
            return redirect("safety:source_detail", pk=source.pk)
    return render(request, "safety/registers_form.html", {
        "form": form, "title": _("New requirement source"), "clause": svc.CLAUSE_REQUIREMENTS,
        "back": "safety:requirement_list",
    })  # fmt: skip


def _source(pk: int) -> RequirementSource:
    return get_object_or_404(RequirementSource.objects.select_related("owner"), pk=pk,
                             voided_at__isnull=True)  # fmt: skip


@login_required
@GET_POST
def source_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "safety.view_requirementsource")
    source = _source(pk)
    may_edit = request.user.has_perm("safety.change_requirementsource", source)
    form = version_form = None
    if may_edit:
        form = F.SourceEditForm(request.POST or None, initial={
            f: getattr(source, f) for f in ("kind", "code", "title", "title_en", "effective_on",
                                            "issuer", "note")
        } | {"owner": source.owner_id})  # fmt: skip
        version_form = F.VersionForm()
    if request.method == "POST":
        check(request, "safety.change_requirementsource", source)
        assert form is not None
        if form.is_valid() and _save(form, lambda: svc.source_update(
                actor=actor_of(request), source=source, **form.cleaned_data), ""):  # fmt: skip
            messages.success(request, _("The source is saved."))
            return redirect("safety:source_detail", pk=pk)
    return _source_page(request, source, form, version_form)


def _source_page(request: HttpRequest, source: RequirementSource, form: Any,
                 version_form: Any) -> HttpResponse:  # fmt: skip
    reviews = list(source.reviews.filter(voided_at__isnull=True).select_related(
        "owner", "closed_by").order_by("-opened_at"))  # fmt: skip
    return render(request, "safety/registers_source.html", {
        "source": source, "form": form, "version_form": version_form,
        "requirements": sel.requirements_visible(request.user, source=source),
        "reviews": reviews, "close_form": F.ReviewCloseForm(),
        "closable": {r.pk for r in reviews
                     if r.is_open and request.user.has_perm("safety.close_impactreview", r)},
    })  # fmt: skip


@login_required
@require_POST
def source_version(request: HttpRequest, pk: int) -> HttpResponseBase:
    source = _source(pk)
    check(request, "safety.change_requirementsource", source)
    form = F.VersionForm(request.POST)
    if form.is_valid() and _save(form, lambda: svc.source_version_new(
            actor=actor_of(request), source=source, **form.cleaned_data), ""):  # fmt: skip
        messages.success(request, _("The new version is recorded and its impact review is open."))
        return redirect("safety:source_detail", pk=pk)
    return _source_page(request, source, None, form)


@login_required
@require_POST
def review_close(request: HttpRequest, pk: int) -> HttpResponseBase:
    review = get_object_or_404(ImpactReview, pk=pk, voided_at__isnull=True)
    check(request, "safety.close_impactreview", review)
    form = F.ReviewCloseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            svc.review_close(actor=actor_of(request), review=review, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("The impact review is closed."))
    return redirect("safety:source_detail", pk=review.source_id)


# --- risk register --------------------------------------------------------------------------


def _heatmap(matrix: RiskMatrix, risks: list[Risk], residual: bool) -> list[dict[str, Any]]:
    """Rows from the highest likelihood down; each cell with its level's colour and count."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        key = (risk.residual_likelihood, risk.residual_severity) if residual else (
            risk.likelihood, risk.severity)  # fmt: skip
        counts[key] = counts.get(key, 0) + 1
    rows = []
    for lik in range(len(matrix.likelihood), 0, -1):
        cells = []
        for sev in range(1, len(matrix.severity) + 1):
            level = matrix.level_of(lik, sev) or {}
            cells.append({"count": counts.get((lik, sev), 0), "colour": level.get("colour", ""),
                          "level": RiskMatrix.label(level) if level else "",
                          "likelihood": lik, "severity": sev})  # fmt: skip
        rows.append({"likelihood": lik, "label": RiskMatrix.label(matrix.likelihood[lik - 1]),
                     "cells": cells})  # fmt: skip
    return rows


def _levels(matrix: RiskMatrix) -> dict[str, dict[str, Any]]:
    return {lv["code"]: {**lv, "name": RiskMatrix.label(lv)} for lv in matrix.levels}


@login_required
def risk_list(request: HttpRequest) -> HttpResponse:
    check(request, "safety.view_risk")
    family = request.GET.get("family", "")[:60]
    matrix = svc.matrix_current()
    risks = list(sel.risks_visible(request.user, family=family))
    rows = []
    for risk in risks:
        level = matrix.level_of(risk.likelihood, risk.severity) or {}
        residual = matrix.level_of(risk.residual_likelihood, risk.residual_severity) or {}
        rows.append({"risk": risk, "level": level, "level_name": RiskMatrix.label(level) if level
                     else "", "residual": residual,
                     "residual_name": RiskMatrix.label(residual) if residual else ""})  # fmt: skip
    return render(request, "safety/registers_risks.html", {
        "rows": rows, "family": family, "families": sel.risk_families(request.user),
        "matrix": matrix, "heat": _heatmap(matrix, risks, residual=False),
        "heat_residual": _heatmap(matrix, risks, residual=True),
        "severity_labels": [RiskMatrix.label(e) for e in matrix.severity],
        "levels": [{**lv, "name": RiskMatrix.label(lv)} for lv in matrix.levels],
        "may_add": request.user.has_perm("safety.add_risk"),
        "may_matrix": request.user.has_perm("safety.change_riskmatrix"),
    })  # fmt: skip


@login_required
@GET_POST
def risk_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.add_risk")
    form = F.RiskForm(request.POST or None, matrix=svc.matrix_current(),
                      initial={"owner": request.user.pk})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        risk = _save(form, lambda: svc.risk_add(actor=actor_of(request), **form.cleaned_data), "")
        if risk:
            messages.success(request, _("The risk is in the register; add its controls."))
            return redirect("safety:risk_detail", pk=risk.pk)
    return render(request, "safety/registers_form.html", {
        "form": form, "title": _("New risk"), "clause": svc.CLAUSE_RISKS,
        "back": "safety:risk_list", "families": _families(),
    })  # fmt: skip


def _risk(pk: int) -> Risk:
    return get_object_or_404(Risk.objects.select_related("owner", "item", "unit"), pk=pk,
                             voided_at__isnull=True)  # fmt: skip


@login_required
@GET_POST
def risk_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "safety.view_risk")
    risk = _risk(pk)
    matrix = svc.matrix_current()
    may_edit = request.user.has_perm("safety.change_risk", risk)
    form = None
    if may_edit:
        form = F.RiskForm(request.POST or None, matrix=matrix, initial={
            f: getattr(risk, f) for f in ("family", "process", "hazard", "cause", "consequence",
                                          "likelihood", "severity", "residual_likelihood",
                                          "residual_severity")
        } | {"owner": risk.owner_id})  # fmt: skip
    if request.method == "POST":
        check(request, "safety.change_risk", risk)
        assert form is not None
        if form.is_valid() and _save(form, lambda: svc.risk_update(
                actor=actor_of(request), risk=risk, **form.cleaned_data), ""):  # fmt: skip
            messages.success(request, _("The risk is saved. Publish the list to put it in force."))
            return redirect("safety:risk_detail", pk=pk)
    return _risk_page(request, risk, matrix, form, F.ControlForm())


def _risk_page(request: HttpRequest, risk: Risk, matrix: RiskMatrix, form: Any,
               control_form: Any) -> HttpResponse:  # fmt: skip
    level = matrix.level_of(risk.likelihood, risk.severity) or {}
    residual = matrix.level_of(risk.residual_likelihood, risk.residual_severity) or {}
    return render(request, "safety/registers_risk.html", {
        "risk": risk, "form": form, "control_form": control_form,
        "controls": risk.controls.filter(voided_at__isnull=True).select_related("owner"),
        "level": level, "level_name": RiskMatrix.label(level) if level else "",
        "residual": residual, "residual_name": RiskMatrix.label(residual) if residual else "",
        "void_form": F.VoidForm(),
        "may_void": request.user.has_perm("safety.void_risk", risk),
        "may_control": request.user.has_perm("safety.add_riskcontrol", risk),
        "may_void_control": request.user.has_perm("safety.void_riskcontrol"),
        "families": _families(),
    })  # fmt: skip


@login_required
@require_POST
def control_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    risk = _risk(pk)
    check(request, "safety.add_riskcontrol", risk)
    form = F.ControlForm(request.POST)
    if form.is_valid() and _save(form, lambda: svc.control_add(
            actor=actor_of(request), risk=risk, **form.cleaned_data), ""):  # fmt: skip
        messages.success(request, _("The control is added."))
        return redirect("safety:risk_detail", pk=pk)
    return _risk_page(request, risk, svc.matrix_current(), None, form)


@login_required
@require_POST
def risk_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    risk = _risk(pk)
    check(request, "safety.void_risk", risk)
    try:
        svc.risk_void(actor=actor_of(request), risk=risk, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect("safety:risk_detail", pk=pk)
    messages.success(request, _("The risk is voided."))
    return redirect("safety:risk_list")


@login_required
@require_POST
def control_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    control = get_object_or_404(RiskControl, pk=pk)
    check(request, "safety.void_riskcontrol", control)
    try:
        svc.control_void(actor=actor_of(request), control=control,
                         reason=request.POST.get("reason", ""))  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The control is voided."))
    return redirect("safety:risk_detail", pk=control.risk_id)


@login_required
@GET_POST
def matrix_page(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.view_riskmatrix")
    matrix = svc.matrix_current()
    may_edit = request.user.has_perm("safety.change_riskmatrix")
    form = F.MatrixForm(request.POST or None, initial=F.MatrixForm.initial_from(matrix)) if (
        may_edit) else None  # fmt: skip
    if request.method == "POST":
        check(request, "safety.change_riskmatrix")
        assert form is not None
        if form.is_valid() and _save(form, lambda: svc.matrix_set(actor=actor_of(request),
                                                                  **form.parsed()), ""):  # fmt: skip
            messages.success(request, _("The risk matrix is saved."))
            return redirect("safety:matrix")
    return render(request, "safety/registers_matrix.html", {
        "matrix": matrix, "form": form, "heat": _heatmap(matrix, [], residual=False),
        "severity_labels": [RiskMatrix.label(e) for e in matrix.severity],
        "levels": [{**lv, "name": RiskMatrix.label(lv)} for lv in matrix.levels],
    })  # fmt: skip


# --- the risk-control list ------------------------------------------------------------------


def _list_context(published: ControlList) -> dict[str, Any]:
    levels = {lv["code"]: lv for lv in published.matrix.get("levels", [])}
    rows = []
    for row in published.rows:
        level = levels.get(row.get("level", ""), {})
        residual = levels.get(row.get("residual_level", ""), {})
        rows.append({**row, "level_name": RiskMatrix.label(level) if level else "",
                     "level_colour": level.get("colour", ""),
                     "residual_name": RiskMatrix.label(residual) if residual else "",
                     "residual_colour": residual.get("colour", "")})  # fmt: skip
    return {"published": published, "rows": rows,
            "frequencies": dict(svc.ControlFrequency.choices)}  # fmt: skip


@login_required
def control_list(request: HttpRequest) -> HttpResponse:
    check(request, "safety.view_controllist")
    from django.utils import timezone

    versions = list(sel.control_lists_visible(request.user))
    in_force = sel.control_list_in_force(timezone.localdate())
    may_publish = request.user.has_perm("safety.publish_controllist")
    context: dict[str, Any] = {
        "versions": versions, "in_force": in_force, "may_publish": may_publish,
        "publish_form": F.PublishForm() if may_publish else None,
    }  # fmt: skip
    if in_force is not None:
        context |= _list_context(in_force)
    return render(request, "safety/registers_control_list.html", context)


@login_required
@require_POST
def control_list_publish(request: HttpRequest) -> HttpResponseBase:
    check(request, "safety.publish_controllist")
    form = F.PublishForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("safety:control_list")
    try:
        published = svc.control_list_publish(actor=actor_of(request), **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect("safety:control_list")
    messages.success(request, _("Version %(version)s of the risk-control list is published.")
                     % {"version": published.version})  # fmt: skip
    return redirect("safety:control_list_version", version=published.version)


def _version(request: HttpRequest, version: int) -> ControlList:
    check(request, "safety.view_controllist")
    found = sel.control_lists_visible(request.user).filter(version=version).first()
    if found is None:
        raise Http404
    return found


@login_required
def control_list_version(request: HttpRequest, version: int) -> HttpResponse:
    published = _version(request, version)
    context = _list_context(published) | {
        "versions": list(sel.control_lists_visible(request.user)), "in_force": None,
        "viewing": True,
    }  # fmt: skip
    return render(request, "safety/registers_control_list.html", context)


@login_required
def control_list_pdf(request: HttpRequest, version: int) -> HttpResponse:
    from cqo.core.pdf import render_pdf

    published = _version(request, version)
    language = request.GET.get("lang") or translation.get_language() or "zh-hans"
    language = "en" if language.startswith("en") else "zh-hans"
    from cqo.organisation.selectors import enterprise_current

    with translation.override(language):
        context = _list_context(published) | {
            "enterprise": enterprise_current(request.user),
            "document_id": f"RCL-V{published.version}",
        }  # fmt: skip
    data = render_pdf("safety/registers_control_list_pdf.html", context, language=language)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="risk-control-list-V{published.version}-{language}.pdf"'
    )
    return response


# --- key posts ------------------------------------------------------------------------------


@login_required
def key_post_list(request: HttpRequest) -> HttpResponse:
    check(request, "organisation.view_post")
    states = sel.key_posts(request.user)
    from cqo.organisation.rules import user_person

    person = user_person(request.user)
    mine = {
        s.post.pk for s in states
        if person is not None and s.written
        and any(h.person.pk == person.pk and not h.acknowledged_at for h in s.holders)
    }  # fmt: skip
    return render(request, "safety/registers_key_posts.html", {
        "states": states, "mine": mine,
        "wanting": sum(1 for s in states if not s.in_order),
    })  # fmt: skip


@login_required
@require_POST
def key_post_acknowledge(request: HttpRequest, pk: int) -> HttpResponseBase:
    from cqo.organisation.models import Post

    post = get_object_or_404(Post, pk=pk, voided_at__isnull=True)
    check(request, "safety.acknowledge_post", post)
    try:
        svc.post_acknowledge(actor=actor_of(request), post=post)
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("You have acknowledged the post's responsibilities."))
    return redirect("safety:key_post_list")


urlpatterns: list[URLPattern | URLResolver] = [
    path("requirements/", requirement_list, name="requirement_list"),
    path("requirements/new/", requirement_new, name="requirement_new"),
    path("requirements/<int:pk>/", requirement_detail, name="requirement_detail"),
    path("requirements/<int:pk>/void/", requirement_void, name="requirement_void"),
    path("sources/new/", source_new, name="source_new"),
    path("sources/<int:pk>/", source_detail, name="source_detail"),
    path("sources/<int:pk>/version/", source_version, name="source_version"),
    path("reviews/<int:pk>/close/", review_close, name="review_close"),
    path("risks/", risk_list, name="risk_list"),
    path("risks/new/", risk_new, name="risk_new"),
    path("risks/matrix/", matrix_page, name="matrix"),
    path("risks/<int:pk>/", risk_detail, name="risk_detail"),
    path("risks/<int:pk>/controls/", control_add, name="control_add"),
    path("risks/<int:pk>/void/", risk_void, name="risk_void"),
    path("controls/<int:pk>/void/", control_void, name="control_void"),
    path("control-list/", control_list, name="control_list"),
    path("control-list/publish/", control_list_publish, name="control_list_publish"),
    path("control-list/v<int:version>/", control_list_version, name="control_list_version"),
    path("control-list/v<int:version>.pdf", control_list_pdf, name="control_list_pdf"),
    path("key-posts/", key_post_list, name="key_post_list"),
    path("key-posts/<int:pk>/acknowledge/", key_post_acknowledge, name="key_post_acknowledge"),
]

__all__ = ["SourceKind", "urlpatterns"]
