"""The workbench: the dashboard every signed-in user lands on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .context_processors import user_role_codes
from .panels import panels_for


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    panels = panels_for(request.user, user_role_codes(request.user))
    charts = any(rp.chart for rp in panels)
    return render(request, "workbench/dashboard.html", {"panels": panels, "charts": charts})
