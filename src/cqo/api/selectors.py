"""Reads of the outgoing webhooks, for the administrator's pages and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


def webhook_endpoints_visible(user: Any) -> QuerySet[WebhookEndpoint]:
    if not user.has_perm("api.view_webhookendpoint"):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.select_related("created_by").annotate(
        delivery_count=Count("deliveries")
    )


def webhook_deliveries_visible(
    user: Any, *, endpoint: Any = "", status: str = "", event: str = ""
) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first, filtered by endpoint (id), status and event code; a
    filter value that names nothing filters nothing out rather than failing."""
    if not user.has_perm("api.view_webhookdelivery"):
        return WebhookDelivery.objects.none()
    qs = WebhookDelivery.objects.select_related("endpoint")
    if str(endpoint).isdigit():
        qs = qs.filter(endpoint_id=int(endpoint))
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    if event:
        qs = qs.filter(event=str(event)[:100])
    return qs
