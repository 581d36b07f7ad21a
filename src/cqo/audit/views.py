"""Audit pages: the event list with the chain status, and the story of one record.

Only holders of ``audit.view_auditevent`` (CQO, deputy, auditor, admin) see them; the chain is
verified on demand (it reads every event), and the page shows the last result, nightly or manual.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors as sel
from .forms import EventFilterForm

PAGE_SIZE = 50


def _check(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(
            _(
                "Only the CQO, the CQO's deputy, auditors and the system administrator may read "
                "the audit trail."
            )
        )


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _check(request, "audit.view_auditevent")
    form = EventFilterForm(request.GET or None, object_types=sel.object_types_known())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = sel.events_filtered(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(filters and any(filters.values())),
        "chain": sel.chain_status_last(),
        "can_verify": request.user.has_perm("audit.verify_chain"),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "audit-events":
        return render(request, "audit/_event_rows.html", context)
    return render(request, "audit/event_list.html", context)


@login_required
@require_POST
def chain_verify(request: HttpRequest) -> HttpResponse:
    _check(request, "audit.verify_chain")
    status = sel.chain_status_refresh(request.user)
    if getattr(request, "htmx", False):
        return render(request, "audit/_chain_status.html", {"chain": status, "can_verify": True})
    if status["intact"]:
        messages.success(request, _("The audit chain is intact."))
    else:
        messages.error(request, _("The audit chain is broken; see the first bad event below."))
    return redirect("audit:event_list")


@login_required
@require_GET
def story(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    _check(request, "audit.view_auditevent")
    record = sel.story(request.user, object_type, object_id)
    return render(request, "audit/story.html", {"story": record})
