"""Charter pages (§4.2): the versions, one version with its signatures, approve, publish, PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.audit.forms import SignatureForm
from cqo.audit.selectors import signatures_with_status
from cqo.post.views import GET_POST, _base, _can, _check, _lang, _pdf, _service_error, errors_apply

from . import documents
from . import selectors as sel
from . import services as S
from .forms import CharterGenerateForm
from .models import Charter, CharterStatus


@login_required
@GET_POST
def charter_list(request: HttpRequest) -> HttpResponseBase:
    _check(request, "charter.view_charter")
    form = (
        CharterGenerateForm(request.POST or None)
        if request.user.has_perm("charter.generate_charter")
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("You do not have permission to do this."))
        if form.is_valid():
            try:
                charter = S.charter_generate(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(
                    request,
                    _("Charter v%(v)s generated from the current data.") % {"v": charter.version},
                )
                return redirect("charter:charter_detail", charter.pk)
    return render(
        request,
        "charter/charter_list.html",
        _base(
            request,
            charters=Charter.objects.order_by("-version"),
            form=form,
            pending=sel.charter_pending(),
        ),
    )


def _charter(request: HttpRequest, pk: int, perm: str = "charter.view_charter") -> Charter:
    charter = get_object_or_404(Charter.objects.select_related("signature", "appointment"), pk=pk)
    _check(request, perm, charter)
    return charter


def _charter_context(request: HttpRequest, charter: Charter, **extra: Any) -> dict[str, Any]:
    sign_form = extra.pop("sign_form", None)
    if (
        sign_form is None
        and charter.status == CharterStatus.DRAFT
        and request.user.has_perm("charter.approve_charter", charter)
    ):
        sign_form = SignatureForm(
            user=request.user, signed=S.charter_approve_meaning(charter), prefix="sig"
        )
    return _base(
        request,
        charter=charter,
        c=charter.content,
        intact=S.charter_content_intact(charter),
        signatures=signatures_with_status(obj=charter),
        sign_form=sign_form,
        can=_can(request, "charter.approve_charter", "charter.publish_charter", obj=charter),
        **extra,
    )


@login_required
@require_GET
def charter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    charter = _charter(request, pk)
    return render(request, "charter/charter_detail.html", _charter_context(request, charter))


@login_required
@require_POST
def charter_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    charter = _charter(request, pk, "charter.approve_charter")
    form = SignatureForm(
        request.POST, user=request.user, signed=S.charter_approve_meaning(charter), prefix="sig"
    )
    if form.is_valid():
        try:
            S.charter_approve(
                actor=actor_of(request), charter=charter, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Charter v%(v)s approved with your signature.") % {"v": charter.version}
            )
            return redirect("charter:charter_detail", charter.pk)
    return render(
        request,
        "charter/charter_detail.html",
        _charter_context(request, charter, sign_form=form),
        status=400,
    )


@login_required
@require_POST
def charter_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    charter = _charter(request, pk, "charter.publish_charter")
    try:
        S.charter_publish(actor=actor_of(request), charter=charter)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Charter v%(v)s published.") % {"v": charter.version})
    return redirect("charter:charter_detail", charter.pk)


@login_required
@require_GET
def charter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    charter = _charter(request, pk)
    return _pdf(
        documents.charter_pdf(charter, language=_lang()), f"cqo-charter-v{charter.version}.pdf"
    )
