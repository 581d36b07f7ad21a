"""Pages of the SCAR part: the engineer's list and page of SCARs, issuing one from an NCR,
accepting or returning the supplier's answer, the link (again, revoked), void; and the one page
a supplier sees: the answer form behind the link, in the supplier's language, with nothing of
the platform around it (no navigation, no other record)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.core.links import url_or_empty
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, can, check, errors_apply, refusal_show

from . import link_scar
from . import selectors_scar as sel
from . import services_scar as S
from .forms_scar import (
    ScarAcceptForm,
    ScarAnswerForm,
    ScarIssueForm,
    ScarReturnForm,
    ScarRevokeForm,
    ScarVoidForm,
)
from .models import Anomaly, AnomalyLot
from .models_scar import Scar, ScarAnswer, ScarLanguage

PAGE_SIZE = 50
NO_STORE = "no-store, private"


def _scar(request: HttpRequest, pk: int) -> Scar:
    check(request, sel.VIEW)
    scar = get_object_or_404(sel.scars_visible(request.user), pk=pk)
    check(request, sel.VIEW, scar)
    return scar


def _link_url(request: HttpRequest, scar: Scar, token: str) -> str:
    return request.build_absolute_uri(reverse("anomalies:scar_reply", args=[scar.pk, token]))


def _shown_once(request: HttpRequest, issued: S.IssuedLink) -> HttpResponse:
    """The page that shows the link's token, once: never cached, never stored."""
    response = render(
        request,
        "anomalies/scar/link_shown.html",
        {"scar": issued.scar, "link": _link_url(request, issued.scar, issued.token)},
    )
    response["Cache-Control"] = NO_STORE
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_GET
def scar_list(request: HttpRequest) -> HttpResponse:
    check(request, sel.VIEW)
    state = request.GET.get("state", "open")
    state = state if state in sel.FILTERS else "open"
    q = request.GET.get("q", "")[:60]
    page = Paginator(sel.scar_list(request.user, state=state, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "anomalies/scar/scar_list.html",
        {
            "page": page,
            "state": state,
            "q": q,
            "states": [
                ("open", _("Open")),
                ("overdue", _("Answer overdue")),
                ("answered", _("Awaiting review")),
                ("accepted", _("Accepted")),
                ("all", _("All")),
            ],
            "today": timezone.localdate(),
        },
    )


def _detail_context(request: HttpRequest, scar: Scar) -> dict[str, Any]:
    return {
        "scar": scar,
        # The NCR's page is the ncr part's; until it is routed the number stays plain text.
        "ncr_url": url_or_empty("anomalies:ncr_detail", scar.anomaly_id),
        "answers": sel.answers_of(scar),
        "link_state": sel.link_state(scar),
        "today": timezone.localdate(),
        "may": can(
            request,
            "anomalies.review_scar",
            "anomalies.link_scar",
            "anomalies.void_scar",
            obj=scar,
        ),
        "accept_form": ScarAcceptForm(),
        "return_form": ScarReturnForm(),
        "revoke_form": ScarRevokeForm(),
        "void_form": ScarVoidForm(),
    }


@login_required
@require_GET
def scar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scar = _scar(request, pk)
    return render(request, "anomalies/scar/scar_detail.html", _detail_context(request, scar))


def _supplier_lots(anomaly: Anomaly) -> list[Any]:
    rows = (
        AnomalyLot.objects.filter(
            anomaly=anomaly,
            voided_at__isnull=True,
            lot__supplier__isnull=False,
            lot__voided_at__isnull=True,
        )
        .select_related("lot", "lot__supplier")
        .order_by("lot__number")
    )
    return [row.lot for row in rows]


@login_required
@GET_POST
def scar_issue(request: HttpRequest, pk: int) -> HttpResponse:
    anomaly = get_object_or_404(Anomaly.objects.filter(voided_at__isnull=True), pk=pk)
    check(request, S.ADD, anomaly)
    lots = _supplier_lots(anomaly)
    form = ScarIssueForm(request.POST or None, lots=lots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = S.scar_issue(
                actor=actor_of(request),
                anomaly=anomaly,
                lot=data["lot"],
                problem=data["problem"],
                language=data["language"],
                contact=data["contact"],
                due_on=data["due_on"],
                link_days=data["link_days"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The SCAR was issued. Send the supplier its link now."))
            return _shown_once(request, issued)
    return render(
        request,
        "anomalies/scar/scar_issue.html",
        {
            "anomaly": anomaly,
            "form": form,
            "clause": S.CLAUSE_SCAR,
            "ncr_url": url_or_empty("anomalies:ncr_detail", anomaly.pk),
        },
    )


def _act(request: HttpRequest, pk: int, form_class: Any, call: Any, done: str) -> HttpResponse:
    scar = _scar(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("anomalies:scar_detail", pk=scar.pk)
    try:
        call(actor_of(request), scar, form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, done)
    return redirect("anomalies:scar_detail", pk=scar.pk)


@login_required
@require_POST
def scar_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ScarAcceptForm,
        lambda actor, scar, d: S.scar_answer_accept(actor=actor, scar=scar, note=d["note"]),
        _("The answer was accepted and the SCAR closed."),
    )


@login_required
@require_POST
def scar_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ScarReturnForm,
        lambda actor, scar, d: S.scar_answer_return(actor=actor, scar=scar, note=d["note"]),
        _("The answer was returned; the supplier can answer again through the same link."),
    )


@login_required
@require_POST
def scar_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ScarRevokeForm,
        lambda actor, scar, d: S.scar_link_revoke(actor=actor, scar=scar, reason=d["reason"]),
        _("The link was revoked."),
    )


@login_required
@require_POST
def scar_void(request: HttpRequest, pk: int) -> HttpResponse:
    scar = _scar(request, pk)
    check(request, S.VOID, scar)
    form = ScarVoidForm(request.POST)
    if form.is_valid():
        try:
            S.scar_void(actor=actor_of(request), scar=scar, reason=form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("The SCAR was voided."))
            return redirect("anomalies:scar_list")
    else:
        messages.error(request, _("Give a reason for voiding this record."))
    return redirect("anomalies:scar_detail", pk=scar.pk)


@login_required
@require_POST
def scar_link_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    scar = _scar(request, pk)
    check(request, S.LINK, scar)
    try:
        issued = S.scar_link_reissue(actor=actor_of(request), scar=scar)
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
        return redirect("anomalies:scar_detail", pk=scar.pk)
    messages.success(request, _("A new link was issued; the old one no longer works."))
    return _shown_once(request, issued)


@login_required
@require_GET
def scar_answer_file(request: HttpRequest, pk: int) -> Any:
    check(request, sel.VIEW)
    answer = get_object_or_404(
        ScarAnswer.objects.filter(voided_at__isnull=True).exclude(attachment=""), pk=pk
    )
    _scar(request, answer.scar_id)
    return file_response(answer.attachment)


# --- the supplier's page -----------------------------------------------------------------------


def _language(request: HttpRequest, scar: Scar) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in ScarLanguage.values else scar.language


def _public(
    request: HttpRequest, template: str, context: dict[str, Any], lang: str
) -> HttpResponse:
    with translation.override(lang):
        body = render_to_string(template, {**context, "lang": lang}, request=request)
    response = HttpResponse(body)
    response["Content-Language"] = lang
    response["Cache-Control"] = NO_STORE
    # The token is in the address: never sent on to another site, never indexed. Same-origin
    # rather than no-referrer, which makes the browser post the form with "Origin: null", and
    # the CSRF check refuses that.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def scar_reply(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The supplier's answer page: only with the live token of this SCAR; one 404 otherwise."""
    if request.method not in ("GET", "POST"):
        raise Http404
    if link_scar.throttled(request):
        return HttpResponse(
            _("Too many requests. Try again in a few minutes."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    scar = sel.scar_by_link(pk, token)
    if scar is None:
        link_scar.failure_count(request)
        raise Http404
    lang = _language(request, scar)
    actor = link_scar.SupplierActor(
        scar_id=scar.pk, supplier=str(scar.supplier), number=scar.number
    )
    with translation.override(lang):
        form = ScarAnswerForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                S.scar_answer_submit(actor=actor, scar=scar, **data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied:
                raise Http404 from None
            else:
                return _public(request, "anomalies/scar/reply_done.html", {"scar": scar}, lang)
        context = {
            "scar": scar,
            "form": form,
            "returned": sel.last_returned(scar),
            "other_lang": ScarLanguage.EN if lang == ScarLanguage.ZH else ScarLanguage.ZH,
        }
        return _public(request, "anomalies/scar/reply.html", context, lang)


urlpatterns: list[URLPattern] = [
    path("scar/", scar_list, name="scar_list"),
    path("scar/<int:pk>/", scar_detail, name="scar_detail"),
    path("scar/<int:pk>/accept/", scar_accept, name="scar_accept"),
    path("scar/<int:pk>/return/", scar_return, name="scar_return"),
    path("scar/<int:pk>/link/", scar_link_reissue, name="scar_link_reissue"),
    path("scar/<int:pk>/link/revoke/", scar_link_revoke, name="scar_link_revoke"),
    path("scar/<int:pk>/void/", scar_void, name="scar_void"),
    path("scar/answers/<int:pk>/file/", scar_answer_file, name="scar_answer_file"),
    path("ncr/<int:pk>/scar/new/", scar_issue, name="scar_issue"),
    path("scar/<int:pk>/reply/<str:token>/", scar_reply, name="scar_reply"),
]


def ncr_section(request: HttpRequest, anomaly: Any) -> dict[str, Any] | None:
    """The NCR page's SCAR section (``sections.section_register``): its SCARs, and the button
    to issue one for whoever may."""
    if not request.user.has_perm(sel.VIEW):
        return None
    return {
        "scars": sel.scars_of_anomaly(request.user, anomaly),
        "may_issue": bool(
            getattr(anomaly, "is_open", False) and request.user.has_perm(S.ADD, anomaly)
        ),
    }
