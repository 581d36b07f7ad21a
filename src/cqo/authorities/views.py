"""Pages for the CQO's authorities: the approval inbox, delegations, strategy and plans,
proposals (both sides), business decisions with the veto, and notifications.

Views are thin: they check the permission for the page, parse a form, call a service and show
its answer. A refusal from a service (no authority, a veto in force) is shown on the page it came
from, in the user's language and with its clause; nothing is changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.audit.forms import SignatureForm
from cqo.audit.selectors import signatures_with_status
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, check, refusal_show, run_service

from . import engine
from . import selectors as sel
from . import services as S
from .forms import (
    ApprovalRaiseForm,
    DecideForm,
    DelegationForm,
    InboxFilterForm,
    ReasonForm,
    errors_apply,
)
from .kinds import approval_subject_models
from .models import (
    ApprovalRequest,
    ApprovalStatus,
    Delegation,
    Veto,
)
from .vetoable import (
    VETO_CLAUSE,
    VETOABLE,
    VetoActiveError,
    flow_for,
    veto_active_for,
    veto_blocked_message,
)

PAGE_SIZE = 50


_check = check
_refusal = refusal_show
_run = run_service


def _signature_form(request: HttpRequest, signed: Any, prefix: str) -> SignatureForm:
    data = request.POST if request.method == "POST" else None
    return SignatureForm(data, user=request.user, signed=signed, prefix=prefix)


# --- the veto on any vetoable record (§6 i)) ------------------------------------------

# The page of each vetoable record of this app; a model of another app is shown at its
# ``get_absolute_url()``, or the veto list when it has none.
VETO_SUBJECT_PAGES = {
    "authorities.approvalrequest": "authorities:approval_detail",
    "decisions.businessdecision": "decisions:decision_detail",
    "decisions.proposal": "decisions:proposal_detail",
    "plans.qualityplan": "plans:plan_detail",
}


def _subject_page(subject: Any) -> str:
    name = VETO_SUBJECT_PAGES.get(subject._meta.label_lower) if subject is not None else None
    if name:
        return reverse(name, args=[subject.pk])
    absolute = getattr(subject, "get_absolute_url", None)
    return str(absolute()) if callable(absolute) else reverse("authorities:veto_list")


def _vetoable_subject(request: HttpRequest, subject_type: str, pk: str) -> Any:
    """The vetoable record named in the URL, visible to the user (else 404 or 403)."""
    if subject_type not in VETOABLE:
        raise Http404
    model = apps.get_model(subject_type)
    try:
        subject = model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    meta = subject._meta
    _check(request, f"{meta.app_label}.view_{meta.model_name}", subject)
    return subject


def _veto_context(request: HttpRequest, subject: Any) -> dict[str, Any]:
    """What ``authorities/_veto_section.html`` needs: the veto in force, and the veto form or the
    lift form for whoever may use them."""
    veto = veto_active_for(subject)
    flow = flow_for(subject)
    may_veto = (
        flow is not None
        and veto is None
        and not flow.is_final(getattr(subject, flow.field))
        and request.user.has_perm("authorities.veto", subject)
    )
    may_lift = veto is not None and request.user.has_perm("authorities.lift_veto", veto)
    context: dict[str, Any] = {
        "veto": veto,
        # What a page says where a forward step would be, while the veto holds.
        "veto_blocks": veto_blocked_message(_("Going forward")) if veto is not None else "",
        "may_veto": may_veto,
        "may_lift": may_lift,
        "veto_clause": VETO_CLAUSE,
        "veto_history": sel.vetoes_for(subject),
        "veto_url": reverse(
            "authorities:veto_impose", args=[subject._meta.label_lower, subject.pk]
        ),
    }
    if may_veto:
        context["veto_reason_form"] = ReasonForm(prefix="veto")
        context["veto_form"] = SignatureForm(
            user=request.user,
            signed=S.veto_impose_meaning(actor=actor_of(request), subject=subject),
            prefix="vsig",
        )
    if may_lift:
        context["lift_reason_form"] = ReasonForm(prefix="lift")
        context["lift_form"] = SignatureForm(
            user=request.user,
            signed=S.veto_lift_meaning(actor=actor_of(request), subject=subject),
            prefix="lsig",
        )
    return context


@login_required
@require_POST
def veto_impose(request: HttpRequest, subject_type: str, pk: str) -> HttpResponse:
    """Veto any vetoable record (a proposal, a plan, an approval request, a business decision or
    a model of another app registered as vetoable), with a reason and an e-signature."""
    subject = _vetoable_subject(request, subject_type, pk)
    _check(request, "authorities.veto", subject)
    reason_form = ReasonForm(request.POST, prefix="veto")
    sig_form = SignatureForm(
        request.POST,
        user=request.user,
        signed=S.veto_impose_meaning(actor=actor_of(request), subject=subject),
        prefix="vsig",
    )
    back = redirect(_subject_page(subject))
    if not (reason_form.is_valid() and sig_form.is_valid()):
        for errors in (*reason_form.errors.values(), *sig_form.errors.values()):
            for error in errors:
                messages.error(request, str(error))
        return back
    _run(
        request,
        lambda: S.veto_impose(
            actor=actor_of(request),
            subject=subject,
            reason=reason_form.cleaned_data["reason"],
            password=sig_form.cleaned_data["password"],
        ),
        _("The record is vetoed (§6 i)); it cannot go forward."),
    )
    return back


# --- index ----------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("authorities:approval_list")


# --- approvals (§6 c)) ---------------------------------------------------------------


@login_required
def approval_list(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    holds = any(engine.holds(request.user, code) for code in engine.BY_CODE)
    view = data.get("view") or ("inbox" if holds else "all")
    if view == "inbox":
        qs = sel.approvals_awaiting(
            request.user, kind=data.get("kind", ""), overdue=data.get("overdue", False)
        )
    else:
        if not request.user.has_perm("authorities.view_approvalrequest"):
            raise PermissionDenied(_("You do not have permission to do this."))
        qs = sel.approvals_visible(
            request.user,
            status=data.get("status", ""),
            kind=data.get("kind", ""),
            overdue=data.get("overdue", False),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "authorities/approval_list.html",
        {"form": form, "page": page, "view": view, "holds": holds, "today": timezone.localdate()},
    )


def approval_subject(subject_type: str, object_id: str, user: Any) -> Any:
    """The record a request is about, named by ``app_label.model`` and id, when its type is a
    registered approval subject and ``user`` may read it; None otherwise (not told apart)."""
    if not subject_type or not object_id:
        return None
    return sel.subject_readable(
        user, subject_type=subject_type, object_id=object_id, allowed=approval_subject_models()
    )


@login_required
@GET_POST
def approval_new(request: HttpRequest) -> HttpResponseBase:
    """Raise a request (§6 c)) from the web: a concession, a deviation, a spending or an anomaly
    disposition, about a record (when opened from its page) or on its own, with its evidence."""
    _check(request, "authorities.add_approvalrequest")
    initial = {k: request.GET.get(k, "") for k in ("subject_type", "object_id", "kind")}
    form = ApprovalRaiseForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    named = form.data if request.method == "POST" else initial
    subject = approval_subject(
        str(named.get("subject_type") or ""), str(named.get("object_id") or ""), request.user
    )
    if named.get("subject_type") and subject is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            approval = S.approval_request_raise(
                actor=actor_of(request),
                subject=subject,
                kind=data["kind"],
                unit=data["unit"],
                amount=data["amount"],
                due=data["due"],
                summary=data["summary"],
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except (VetoActiveError, PermissionDenied) as exc:
            form.add_error(None, str(getattr(exc, "message", "") or exc))
        else:
            messages.success(request, _("The request was raised (§6 c))."))
            return redirect("authorities:approval_detail", pk=approval.pk)
    return render(
        request,
        "authorities/approval_new.html",
        {"form": form, "subject": subject, "subject_url": _subject_link(subject)},
        status=400 if request.method == "POST" else 200,
    )


def _subject_link(subject: Any) -> str:
    """The page of a request's record, when it has one of its own."""
    if subject is None:
        return ""
    page = _subject_page(subject)
    return "" if page == reverse("authorities:veto_list") else page


@login_required
def approval_attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponseBase:
    """A request's document, to those who may read the request (never a public media URL)."""
    approval = get_object_or_404(ApprovalRequest, pk=pk)
    _check(request, "authorities.view_approvalrequest", approval)
    doc = get_object_or_404(approval.attachments.filter(voided_at__isnull=True), pk=attachment)
    return file_response(doc.file, filename=doc.name)


@login_required
@GET_POST
def approval_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    approval = get_object_or_404(
        ApprovalRequest.objects.select_related("unit", "raised_by", "decided_by"), pk=pk
    )
    _check(request, "authorities.view_approvalrequest", approval)
    may_decide = approval.status == ApprovalStatus.PENDING and request.user.has_perm(
        "authorities.decide_approvalrequest", approval
    )
    decide_form = DecideForm(request.POST if request.method == "POST" else None)
    # ``approval_decide`` refuses an approval while a veto holds the request or its subject;
    # a rejection still goes through, so that is all the form offers, with the reason.
    approve_blocked = ""
    if may_decide and (veto_active_for(approval) or veto_active_for(approval.subject)):
        approve_blocked = veto_blocked_message(_("Approval"))
        choice = decide_form.fields["decision"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("reject", _("Reject"))]
        choice.initial = "reject"
    default_verb = "reject" if approve_blocked else "approve"
    verb = request.POST.get("decision") if request.method == "POST" else default_verb
    sig_form = _signature_form(
        request,
        S.approval_decide_meaning(actor=actor_of(request), request=approval, decision=verb or ""),
        "sig",
    )
    if request.method == "POST":
        if decide_form.is_valid() and sig_form.is_valid():
            try:
                S.approval_decide(
                    actor=actor_of(request),
                    request=approval,
                    decision=decide_form.cleaned_data["decision"],
                    reason=decide_form.cleaned_data["reason"],
                    password=sig_form.cleaned_data["password"],
                )
            except ValidationError as exc:
                errors_apply(decide_form, exc)
            except (VetoActiveError, PermissionDenied) as exc:
                _refusal(request, exc)
                return redirect("authorities:approval_detail", pk=approval.pk)
            else:
                messages.success(request, _("Your decision was recorded and signed."))
                return redirect("authorities:approval_detail", pk=approval.pk)
    subject = approval.subject if approval.content_type_id else None
    readable = subject is not None and S.approval_subject_readable(request.user, subject)
    return render(
        request,
        "authorities/approval_detail.html",
        {
            "approval": approval,
            "subject_url": _subject_link(subject) if readable else "",
            "attachments": approval.attachments.filter(voided_at__isnull=True),
            "may_raise": request.user.has_perm("authorities.add_approvalrequest"),
            "may_decide": may_decide,
            "approve_blocked": approve_blocked,
            "may_withdraw": approval.status == ApprovalStatus.PENDING
            and request.user.has_perm("authorities.withdraw_approvalrequest", approval),
            "decide_form": decide_form,
            "sig_form": sig_form,
            "withdraw_form": ReasonForm(),
            "signatures": signatures_with_status(obj=approval),
            **_veto_context(request, approval),
        },
    )


@login_required
@require_POST
def approval_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_object_or_404(ApprovalRequest, pk=pk)
    _check(request, "authorities.view_approvalrequest", approval)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    _run(
        request,
        lambda: S.approval_withdraw(actor=actor_of(request), request=approval, reason=reason),
        _("The request was withdrawn."),
    )
    return redirect("authorities:approval_detail", pk=approval.pk)


# --- delegations ---------------------------------------------------------------------


@login_required
@GET_POST
def delegation_list(request: HttpRequest) -> HttpResponseBase:
    _check(request, "authorities.view_delegation")
    may_add = request.user.has_perm("authorities.add_delegation")
    form = DelegationForm(request.POST or None) if may_add else None
    if request.method == "POST":
        _check(request, "authorities.add_delegation")
        assert form is not None
        if form.is_valid():
            try:
                S.delegation_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The delegation was recorded."))
                return redirect("authorities:delegation_list")
    state = request.GET.get("state", "")
    delegations = sel.delegations_visible(request.user, state=state)
    return render(
        request,
        "authorities/delegation_list.html",
        {
            "form": form,
            "state": state,
            "page": Paginator(delegations, PAGE_SIZE).get_page(request.GET.get("page")),
            "today": timezone.localdate(),
            "veto_delegable": engine.veto_delegable(),
        },
    )


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(Delegation, pk=pk)
    _check(request, "authorities.view_delegation", delegation)
    reason = request.POST.get("reason", "")
    _run(
        request,
        lambda: S.delegation_revoke(actor=actor_of(request), delegation=delegation, reason=reason),
        _("The delegation was revoked."),
    )
    return redirect("authorities:delegation_list")


@login_required
@require_POST
def veto_lift(request: HttpRequest, pk: int) -> HttpResponse:
    veto = get_object_or_404(Veto, pk=pk)
    _check(request, "authorities.view_veto", veto)
    subject = veto.subject
    reason_form = ReasonForm(request.POST, prefix="lift")
    sig_form = SignatureForm(
        request.POST,
        user=request.user,
        signed=S.veto_lift_meaning(actor=actor_of(request), subject=subject),
        prefix="lsig",
    )
    back = redirect(_subject_page(subject))
    if reason_form.is_valid() and sig_form.is_valid():
        try:
            S.veto_lift(
                actor=actor_of(request),
                veto=veto,
                reason=reason_form.cleaned_data["reason"],
                password=sig_form.cleaned_data["password"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _refusal(request, exc)
            return back
        messages.success(request, _("The veto was lifted (§6 i))."))
        return back
    for errors in (*reason_form.errors.values(), *sig_form.errors.values()):
        for error in errors:
            messages.error(request, str(error))
    return back


@login_required
def veto_list(request: HttpRequest) -> HttpResponse:
    _check(request, "authorities.view_veto")
    return render(
        request,
        "authorities/veto_list.html",
        {
            "active": sel.vetoes_visible(request.user, active=True),
            "lifted": sel.vetoes_visible(request.user, active=False)[:PAGE_SIZE],
        },
    )
