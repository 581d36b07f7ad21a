from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render

from cqo.accounts.actors import actor_of
from cqo.core.views import GET_POST

from . import selectors as sel
from . import services as S

PAGE_SIZE = 25


@login_required
@GET_POST
def notification_list(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        S.notifications_mark_read(actor=actor_of(request))
        return redirect("notifications:notification_list")
    page = Paginator(sel.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})
