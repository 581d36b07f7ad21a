"""Pages of corrective and preventive action (§7.1.4): the list with its ageing, a new CAPA (on
an NCR or on its own), the CAPA with its 8D sections and the steps posted from it, the 8D PDF
in Chinese or English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.audit.forms import SignatureForm
from cqo.audit.selectors import signatures_with_status
from cqo.core import exports
from cqo.core.sod import sod_conflict
from cqo.core.views import GET_POST, can, check, errors_apply

from . import documents_capa as documents
from . import forms_capa as F
from . import selectors_capa as sel
from . import services_capa as S
from .models_capa import (
    Capa,
    CapaAction,
    CapaMember,
    CapaStatus,
    EffectivenessResult,
    FishboneCause,
    WhyChain,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _capa(request: HttpRequest, pk: int) -> Capa:
    check(request, "anomalies.view_capa")
    try:
        return sel.capa_detail(request.user, pk)
    except Capa.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def capa_list(request: HttpRequest) -> HttpResponse:
    check(request, "anomalies.view_capa")
    status = request.GET.get("status", "open")
    eight_d = request.GET.get("eight_d", "")
    overdue = request.GET.get("overdue") == "1"
    q = request.GET.get("q", "").strip()[:60]
    qs = sel.capa_list(request.user, status=status, eight_d=eight_d, overdue=overdue, q=q)
    page = Paginator(qs, sel.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "anomalies/capa/capa_list.html",
        {
            "page": page,
            "capas": sel.with_age(page.object_list),
            "ageing": sel.ageing_counts(request.user),
            "statuses": CapaStatus.choices,
            "status": status,
            "eight_d": eight_d,
            "overdue": overdue,
            "q": q,
            "can": can(request, "anomalies.add_capa"),
        },
    )


@login_required
@require_GET
def capa_export(request: HttpRequest) -> HttpResponse:
    check(request, "anomalies.view_capa")
    status = request.GET.get("status", "")
    qs = sel.capa_list(request.user, status=status, eight_d=request.GET.get("eight_d", ""))
    wb = exports.workbook_new()
    ws = wb.active
    exports.sheet_append(
        ws,
        [_("number"), _("title"), _("kind"), _("8D report"), _("status"), _("owner"),
         _("raised at"), _("due date"), _("age (days)"), _("open actions"),
         _("repeats after closure"), _("closed at")],
    )  # fmt: skip
    for capa in sel.with_age(qs.iterator(chunk_size=500)):
        exports.sheet_append(
            ws,
            [capa.number, capa.title, capa.get_kind_display(), "8D" if capa.is_8d else "",
             capa.get_status_display(), capa.owner.get_full_name() or capa.owner.get_username(),
             timezone.localtime(capa.raised_at).strftime("%Y-%m-%d"),
             capa.due_on.isoformat() if capa.due_on else "", capa.age_days,
             capa.open_actions, capa.repeat_count,
             timezone.localtime(capa.closed_at).strftime("%Y-%m-%d") if capa.closed_at else ""],
        )  # fmt: skip
    response = HttpResponse(exports.xlsx_bytes(wb), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="capa-{stamp}.xlsx"'
    return response


def _anomaly_from(request: HttpRequest) -> Any:
    from .models import Anomaly

    raw = request.GET.get("anomaly") or request.POST.get("anomaly") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    anomaly = get_object_or_404(Anomaly.objects.select_related("item"), pk=int(raw))
    check(request, "anomalies.view_anomaly", anomaly)
    return anomaly


@login_required
@GET_POST
def capa_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.add_capa")
    anomaly = _anomaly_from(request)
    required = S.eight_d_required(anomaly)
    initial: dict[str, Any] = {"owner": request.user.pk, "is_8d": required}
    if anomaly is not None:
        initial["title"] = anomaly.title
        initial["owner"] = anomaly.owner_id or request.user.pk
    form = F.CapaNewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            capa = S.capa_create(
                actor=actor_of(request),
                title=data["title"],
                kind=data["kind"],
                owner=data["owner"],
                anomaly=anomaly,
                is_8d=data["is_8d"],
                due_on=data["due_on"],
                effectiveness_basis=data["effectiveness_basis"],
                effectiveness_lots=data["effectiveness_lots"],
                effectiveness_days=data["effectiveness_days"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("%(number)s opened.") % {"number": capa.number})
            return redirect("anomalies:capa_detail", pk=capa.pk)
    return render(
        request,
        "anomalies/capa/capa_new.html",
        {"form": form, "anomaly": anomaly, "required_8d": required},
        status=400 if request.method == "POST" else 200,
    )


def _problem_initial(capa: Capa) -> dict[str, Any]:
    return {name: getattr(capa, name) for name in F.ProblemForm.base_fields}


def _chain_forms(chains: list[WhyChain]) -> list[tuple[WhyChain, F.WhyChainForm]]:
    out = []
    for chain in chains:
        initial: dict[str, Any] = {
            "chain": chain.pk, "problem": chain.problem, "category": chain.category,
            "root_cause": chain.root_cause,
        }  # fmt: skip
        for n, step in enumerate(chain.steps, start=1):
            initial[f"why{n}"] = step
        out.append((chain, F.WhyChainForm(initial=initial, prefix=f"chain{chain.pk}")))
    return out


def _detail_context(request: HttpRequest, capa: Capa, **bound: Any) -> dict[str, Any]:
    parts = sel.capa_parts(capa)
    user = request.user
    perms = can(
        request, "anomalies.change_capa", "anomalies.verify_capa", "anomalies.close_capa",
        "anomalies.void_capa", obj=capa,
    )  # fmt: skip
    people = {capa.owner_id, *(a.owner_id for a in parts["actions"])}
    conflict_root = sod_conflict(actor=user, raised_by=capa.owner)
    conflict_eff = sod_conflict(actor=user, raised_by=capa.owner, subject_people=people)
    is_open = capa.status != CapaStatus.CLOSED
    evidence = sel.effectiveness_evidence(capa)
    eff_bound = bound.get("eff_form")
    result = eff_bound.data.get("result", "") if eff_bound is not None else ""
    ctx: dict[str, Any] = {
        "capa": capa,
        **parts,
        "can": perms,
        "is_open": is_open,
        "may_edit": is_open and perms["change_capa"],
        "may_analyse": is_open and perms["change_capa"] and not capa.root_cause_verified_at,
        "may_verify_root": (
            is_open
            and perms["verify_capa"]
            and not conflict_root
            and not capa.root_cause_verified_at
        ),
        "may_check": (
            capa.status == CapaStatus.VERIFICATION and perms["verify_capa"] and not conflict_eff
        ),
        "check_conflict": capa.status == CapaStatus.VERIFICATION and bool(conflict_eff),
        "may_close": capa.status == CapaStatus.EFFECTIVE and perms["close_capa"],
        "evidence": evidence,
        "signatures": signatures_with_status(obj=capa),
        "problem_form": bound.get("problem_form") or F.ProblemForm(initial=_problem_initial(capa)),
        "member_form": bound.get("member_form") or F.MemberForm(),
        "chain_form": bound.get("chain_form") or F.WhyChainForm(prefix="chain"),
        "chain_forms": _chain_forms(parts["chains"]),
        "cause_form": bound.get("cause_form") or F.CauseForm(),
        "verify_form": bound.get("verify_form") or F.VerifyForm(),
        "action_form": bound.get("action_form") or F.ActionForm(),
        "eff_form": bound.get("eff_form")
        or F.EffectivenessForm(
            initial={
                "result": EffectivenessResult.EFFECTIVE if evidence.ready else "",
                "evidence": evidence.text,
            }
        ),
        "eff_sign": bound.get("eff_sign")
        or SignatureForm(
            user=user,
            signed=S.effectiveness_meaning(capa, result or EffectivenessResult.EFFECTIVE),
            prefix="eff",
        ),
        "close_form": bound.get("close_form") or F.CloseForm(),
        "close_sign": bound.get("close_sign")
        or SignatureForm(user=user, signed=S.closure_meaning(capa), prefix="close"),
        "error_step": bound.get("error_step", ""),
        "action_user": user,
    }
    for action in parts["actions"]:
        action.may_complete = (
            is_open
            and action.status == "open"
            and user.has_perm("anomalies.complete_capaaction", action)
        )
    return ctx


@login_required
@require_GET
def capa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    capa = _capa(request, pk)
    return render(request, "anomalies/capa/capa_detail.html", _detail_context(request, capa))


def _child(model: Any, capa: Capa, raw: Any) -> Any:
    if not str(raw or "").isdigit():
        raise Http404
    return get_object_or_404(model, pk=int(raw), capa=capa)


# Each step: (the form class or None, its prefix, a function of (request, capa, form) calling
# the service, the message when done).
Step = Callable[[HttpRequest, Capa, Any], Any]


def _edit(request: HttpRequest, capa: Capa, form: Any) -> Any:
    return S.capa_update(actor=actor_of(request), capa=capa, **form.cleaned_data)


def _member(request: HttpRequest, capa: Capa, form: Any) -> Any:
    d = form.cleaned_data
    return S.member_add(actor=actor_of(request), capa=capa, user=d["user"], role=d["role"],
                        duty=d["duty"])  # fmt: skip


def _member_void(request: HttpRequest, capa: Capa, form: Any) -> Any:
    member = _child(CapaMember, capa, request.POST.get("member"))
    return S.member_void(actor=actor_of(request), member=member, reason=form.cleaned_data["reason"])


def _why(request: HttpRequest, capa: Capa, form: Any) -> Any:
    d = form.cleaned_data
    chain = _child(WhyChain, capa, d["chain"]) if d.get("chain") else None
    return S.why_chain_save(
        actor=actor_of(request), capa=capa, problem=d["problem"], steps=form.steps(),
        root_cause=d["root_cause"], category=d["category"], chain=chain,
    )  # fmt: skip


def _why_void(request: HttpRequest, capa: Capa, form: Any) -> Any:
    chain = _child(WhyChain, capa, request.POST.get("chain"))
    return S.analysis_void(
        actor=actor_of(request), record=chain, reason=form.cleaned_data["reason"]
    )


def _cause(request: HttpRequest, capa: Capa, form: Any) -> Any:
    d = form.cleaned_data
    return S.fishbone_add(actor=actor_of(request), capa=capa, category=d["category"],
                          cause=d["cause"], is_root=d["is_root"])  # fmt: skip


def _cause_void(request: HttpRequest, capa: Capa, form: Any) -> Any:
    cause = _child(FishboneCause, capa, request.POST.get("cause"))
    return S.analysis_void(
        actor=actor_of(request), record=cause, reason=form.cleaned_data["reason"]
    )


def _verify(request: HttpRequest, capa: Capa, form: Any) -> Any:
    return S.root_cause_verify(
        actor=actor_of(request), capa=capa, verification=form.cleaned_data["verification"]
    )


def _action(request: HttpRequest, capa: Capa, form: Any) -> Any:
    return S.action_add(actor=actor_of(request), capa=capa, **form.cleaned_data)


def _action_done(request: HttpRequest, capa: Capa, form: Any) -> Any:
    action = _child(CapaAction, capa, request.POST.get("action"))
    return S.action_complete(actor=actor_of(request), action=action, note=form.cleaned_data["note"])


def _action_void(request: HttpRequest, capa: Capa, form: Any) -> Any:
    action = _child(CapaAction, capa, request.POST.get("action"))
    return S.action_void(actor=actor_of(request), action=action, reason=form.cleaned_data["reason"])


def _void(request: HttpRequest, capa: Capa, form: Any) -> Any:
    return S.capa_void(actor=actor_of(request), capa=capa, reason=form.cleaned_data["reason"])


STEPS: dict[str, tuple[Any, str, str, Step]] = {
    # step: (form, prefix, context name of the bound form, service call)
    "edit": (F.ProblemForm, "", "problem_form", _edit),
    "member": (F.MemberForm, "", "member_form", _member),
    "member_void": (F.ReasonForm, "", "", _member_void),
    "why": (F.WhyChainForm, "chain", "chain_form", _why),
    "why_void": (F.ReasonForm, "", "", _why_void),
    "cause": (F.CauseForm, "", "cause_form", _cause),
    "cause_void": (F.ReasonForm, "", "", _cause_void),
    "verify": (F.VerifyForm, "", "verify_form", _verify),
    "action": (F.ActionForm, "", "action_form", _action),
    "action_done": (F.NoteForm, "", "", _action_done),
    "action_void": (F.ReasonForm, "", "", _action_void),
    "void": (F.ReasonForm, "", "", _void),
}


def _signed_step(request: HttpRequest, capa: Capa, step: str) -> HttpResponseBase:
    user = request.user
    if step == "effectiveness":
        form: Any = F.EffectivenessForm(request.POST)
        result = request.POST.get("result", "")
        signed = S.effectiveness_meaning(
            capa, result if result in EffectivenessResult.values else EffectivenessResult.EFFECTIVE
        )
        sign = SignatureForm(request.POST, user=user, signed=signed, prefix="eff")
        names = ("eff_form", "eff_sign")
    else:
        form = F.CloseForm(request.POST)
        sign = SignatureForm(
            request.POST, user=user, signed=S.closure_meaning(capa), prefix="close"
        )
        names = ("close_form", "close_sign")
    if form.is_valid() and sign.is_valid():
        password = sign.cleaned_data["password"]
        try:
            if step == "effectiveness":
                S.effectiveness_check(
                    actor=actor_of(request), capa=capa, result=form.cleaned_data["result"],
                    evidence=form.cleaned_data["evidence"], password=password,
                )  # fmt: skip
                done = _("The effectiveness check was signed.")
            else:
                S.capa_close(actor=actor_of(request), capa=capa,
                             note=form.cleaned_data["note"], password=password)  # fmt: skip
                done = _("%(number)s closed with your signature.") % {"number": capa.number}
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("anomalies:capa_detail", pk=capa.pk)
    bound = {names[0]: form, names[1]: sign, "error_step": step}
    return render(
        request, "anomalies/capa/capa_detail.html", _detail_context(request, capa, **bound),
        status=400,
    )  # fmt: skip


@login_required
@require_POST
def capa_step(request: HttpRequest, pk: int, step: str) -> HttpResponseBase:
    capa = _capa(request, pk)
    perm = {
        "verify": "anomalies.verify_capa", "effectiveness": "anomalies.verify_capa",
        "close": "anomalies.close_capa", "void": "anomalies.void_capa",
        "action_done": "anomalies.view_capa",  # the action's own permission, in the service
    }.get(step, "anomalies.change_capa")  # fmt: skip
    check(request, perm, capa)
    if step in ("effectiveness", "close"):
        return _signed_step(request, capa, step)
    if step not in STEPS:
        raise Http404
    form_class, prefix, name, call = STEPS[step]
    form = form_class(request.POST, prefix=prefix or None)
    if form.is_valid():
        try:
            call(request, capa, form)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{capa_url(capa)}#{step}")
    if not name:
        for error in form.errors.values():
            for message in error:
                messages.error(request, message)
        return redirect(f"{capa_url(capa)}#{step}")
    return render(
        request,
        "anomalies/capa/capa_detail.html",
        _detail_context(request, capa, **{name: form, "error_step": step}),
        status=400,
    )


def capa_url(capa: Capa) -> str:
    from django.urls import reverse

    return reverse("anomalies:capa_detail", args=[capa.pk])


@login_required
@require_GET
def capa_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    capa = _capa(request, pk)
    language = request.GET.get("lang") or translation.get_language() or "zh-hans"
    language = "en" if language.startswith("en") else "zh-hans"
    data = documents.capa_pdf(capa, language=language)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{capa.number}-8D-{language}.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("capa/", capa_list, name="capa_list"),
    path("capa/export.xlsx", capa_export, name="capa_export"),
    path("capa/new/", capa_new, name="capa_new"),
    path("capa/<int:pk>/", capa_detail, name="capa_detail"),
    path("capa/<int:pk>/8d.pdf", capa_pdf, name="capa_pdf"),
    path("capa/<int:pk>/<slug:step>/", capa_step, name="capa_step"),
]
