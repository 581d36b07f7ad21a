"""The administrator's pages of the outgoing webhooks: endpoints and the delivery log."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.core.views import GET_POST, can, check, errors_apply, run_service

from . import selectors, services
from .forms import DeactivateForm, EndpointForm
from .models import DeliveryStatus, WebhookEndpoint
from .services import REDELIVERABLE
from .webhooks import MAX_ATTEMPTS, RETRY_DELAYS, webhook_events_registered


def _secret_page(request: HttpRequest, endpoint: WebhookEndpoint, *, new: bool) -> HttpResponse:
    # The secret is in this one answer to the POST that made it, never in a page one can reload.
    response = render(request, "webhooks/endpoint_secret.html", {"endpoint": endpoint, "new": new})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def endpoint_list(request: HttpRequest) -> HttpResponse:
    check(request, "api.view_webhookendpoint")
    return render(
        request,
        "webhooks/endpoint_list.html",
        {
            "endpoints": selectors.webhook_endpoints_visible(request.user),
            "events": webhook_events_registered(),
            "deactivate_form": DeactivateForm(),
            "retry_delays": RETRY_DELAYS,
            "max_attempts": MAX_ATTEMPTS,
            **can(request, "api.add_webhookendpoint", "api.change_webhookendpoint"),
        },
    )


@login_required
@GET_POST
def endpoint_create(request: HttpRequest) -> HttpResponseBase:
    check(request, "api.add_webhookendpoint")
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(
                actor=actor_of(request), **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return _secret_page(request, endpoint, new=True)
    return render(request, "webhooks/endpoint_form.html", {"form": form})


@login_required
@require_POST
def endpoint_deactivate(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "api.change_webhookendpoint")
    endpoint = get_object_or_404(selectors.webhook_endpoints_visible(request.user), pk=pk)
    check(request, "api.change_webhookendpoint", endpoint)
    form = DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.webhook_endpoint_deactivate(
            actor=actor_of(request), endpoint=endpoint, reason=reason
        ),
        _("The endpoint was deactivated; nothing more is sent to it."),
    )
    return redirect("webhooks:endpoint_list")


@login_required
@require_POST
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "api.change_webhookendpoint")
    endpoint = get_object_or_404(selectors.webhook_endpoints_visible(request.user), pk=pk)
    check(request, "api.change_webhookendpoint", endpoint)
    try:
        rotated = services.webhook_endpoint_rotate_secret(
            actor=actor_of(request), endpoint=endpoint
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("webhooks:endpoint_list")
    return _secret_page(request, rotated, new=False)


@login_required
@require_POST
def endpoint_ping(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "api.change_webhookendpoint")
    endpoint = get_object_or_404(selectors.webhook_endpoints_visible(request.user), pk=pk)
    check(request, "api.change_webhookendpoint", endpoint)
    if run_service(
        request,
        lambda: services.webhook_endpoint_ping(actor=actor_of(request), endpoint=endpoint),
        _("A test event was sent; its delivery is below."),
    ):
        return redirect(reverse("webhooks:delivery_list") + f"?endpoint={endpoint.pk}")
    return redirect("webhooks:endpoint_list")


@login_required
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    check(request, "api.view_webhookdelivery")
    chosen = {
        "endpoint": request.GET.get("endpoint", ""),
        "status": request.GET.get("status", ""),
        "event": request.GET.get("event", ""),
    }
    deliveries = selectors.webhook_deliveries_visible(request.user, **chosen)
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    for delivery in page.object_list:
        # As the receiver reads it (JSON, not Python's repr), indented for people.
        delivery.payload_json = json.dumps(delivery.payload, ensure_ascii=False, indent=2)  # type: ignore[attr-defined]
    return render(
        request,
        "webhooks/delivery_list.html",
        {
            "page": page,
            "chosen": chosen,
            "endpoints": selectors.webhook_endpoints_visible(request.user),
            "statuses": DeliveryStatus.choices,
            "events": webhook_events_registered(),
            "redeliverable": [str(s) for s in REDELIVERABLE],
            "max_attempts": MAX_ATTEMPTS,
            **can(request, "api.redeliver_webhookdelivery"),
        },
    )


@login_required
@require_POST
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "api.redeliver_webhookdelivery")
    delivery = get_object_or_404(selectors.webhook_deliveries_visible(request.user), pk=pk)
    check(request, "api.redeliver_webhookdelivery", delivery)
    run_service(
        request,
        lambda: services.webhook_delivery_redeliver(actor=actor_of(request), delivery=delivery),
        _("The delivery is being sent again."),
    )
    return redirect(reverse("webhooks:delivery_list") + f"?endpoint={delivery.endpoint_id}")
