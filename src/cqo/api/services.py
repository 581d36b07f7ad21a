"""Administering the outgoing webhooks: every change through one of these, checked and audited.

Endpoint administration is system administration, which the standard does not address, so its
audit events cite no clause (as the accounts' token and lock services); a redelivery cites the
clause of the event it carries, where the event has one. The secret never enters the trail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, audited_change, snapshot
from cqo.core.permissions import require

from . import webhooks
from .models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    url_http_validator,
    webhook_secret_new,
)

# What the trail keeps of an endpoint: everything but the secret.
AUDITED = ["name", "url", "event_types", "active", "secret_rotated_at"]
NAME_LENGTH = 100
URL_LENGTH = 500


def _name_clean(name: Any) -> str:
    text = str(name or "").strip()
    if not text:
        raise ValidationError({"name": _("Give the endpoint a name.")})
    if len(text) > NAME_LENGTH:
        raise ValidationError(
            {"name": _("The name is at most %(n)d characters.") % {"n": NAME_LENGTH}}
        )
    return text


def _url_clean(url: Any) -> str:
    text = str(url or "").strip()
    if len(text) > URL_LENGTH:
        raise ValidationError(
            {"url": _("The address is at most %(n)d characters.") % {"n": URL_LENGTH}}
        )
    try:
        url_http_validator(text)
    except ValidationError:
        raise ValidationError({"url": _("Enter an http:// or https:// address.")}) from None
    return text


def _events_clean(event_types: Any) -> list[str]:
    if event_types is None:
        return []
    if isinstance(event_types, str) or not isinstance(event_types, list | tuple):
        raise ValidationError({"event_types": _("Choose the events from the list.")})
    known = {e.code for e in webhooks.webhook_events_registered()}
    chosen: list[str] = []
    for code in event_types:
        if not isinstance(code, str) or code not in known:
            raise ValidationError(
                {
                    "event_types": _("“%(event)s” is not an event of this platform.")
                    % {"event": code}
                }
            )
        if code not in chosen:
            chosen.append(code)
    return sorted(chosen)


@transaction.atomic
def webhook_endpoint_create(
    *, actor: Any, name: str, url: str, event_types: list[str] | None = None
) -> WebhookEndpoint:
    """A new active endpoint with a fresh secret (show ``endpoint.secret`` to the actor once)."""
    require(actor, "api.add_webhookendpoint")
    endpoint = WebhookEndpoint.objects.create(
        name=_name_clean(name),
        url=_url_clean(url),
        event_types=_events_clean(event_types),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="api.webhook.create",
        obj=endpoint,
        after=snapshot(endpoint, AUDITED),
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_update(
    *,
    actor: Any,
    endpoint: WebhookEndpoint,
    name: str | None = None,
    url: str | None = None,
    event_types: list[str] | None = None,
) -> WebhookEndpoint:
    """Change the name, address or events of an active endpoint (what is not given stays)."""
    require(actor, "api.change_webhookendpoint", endpoint)
    with audited_change(
        actor=actor, obj=endpoint, action="api.webhook.update", fields=AUDITED
    ) as locked:
        if not locked.active:
            raise ValidationError(_("This endpoint is deactivated; create a new one instead."))
        if name is not None:
            locked.name = _name_clean(name)
        if url is not None:
            locked.url = _url_clean(url)
        if event_types is not None:
            locked.event_types = _events_clean(event_types)
    return locked


@transaction.atomic
def webhook_endpoint_deactivate(
    *, actor: Any, endpoint: WebhookEndpoint, reason: str = ""
) -> WebhookEndpoint:
    """Stop sending to this endpoint for good; its deliveries still waiting are given up when
    their turn comes. Kept, never deleted."""
    require(actor, "api.change_webhookendpoint", endpoint)
    with audited_change(
        actor=actor,
        obj=endpoint,
        action="api.webhook.deactivate",
        fields=AUDITED,
        reason=str(reason or "").strip()[:500],
        update_fields=["active"],
    ) as locked:
        if not locked.active:
            raise ValidationError(_("This endpoint is already deactivated."))
        locked.active = False
    return locked


@transaction.atomic
def webhook_endpoint_rotate_secret(*, actor: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret for the endpoint (show it once): signatures made with the old one stop
    verifying at once, so the receiver must be given the new one."""
    require(actor, "api.change_webhookendpoint", endpoint)
    with audited_change(
        actor=actor,
        obj=endpoint,
        action="api.webhook.rotate_secret",
        fields=AUDITED,
        update_fields=["secret", "secret_rotated_at"],
    ) as locked:
        if not locked.active:
            raise ValidationError(_("This endpoint is deactivated; create a new one instead."))
        locked.secret = webhook_secret_new()
        locked.secret_rotated_at = timezone.now()
    return locked


@transaction.atomic
def webhook_endpoint_ping(*, actor: Any, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send the test event to this endpoint alone, whatever events it subscribes to."""
    require(actor, "api.change_webhookendpoint", endpoint)
    if not endpoint.active:
        raise ValidationError(_("This endpoint is deactivated; create a new one instead."))
    delivery = webhooks._deliveries_create(
        [endpoint],
        event=webhooks.PING,
        data={"endpoint": endpoint.pk, "sent_by": actor.get_username()},
    )[0]
    audit_record(
        actor=actor,
        action="api.webhook.ping",
        obj=endpoint,
        after={"delivery": delivery.pk, "event_id": str(delivery.event_id)},
    )
    return delivery


REDELIVERABLE = (DeliveryStatus.FAILED, DeliveryStatus.GIVEN_UP)


@transaction.atomic
def webhook_delivery_redeliver(*, actor: Any, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a failed or given-up delivery again now, with a fresh set of attempts. The earlier
    attempts stay in the audit event."""
    require(actor, "api.redeliver_webhookdelivery", delivery)
    known = webhooks._EVENTS.get(delivery.event)
    with audited_change(
        actor=actor,
        obj=delivery,
        action="api.webhook.redeliver",
        clause=known.clause if known else "",
        fields=["status", "attempts", "last_status_code", "last_error", "next_attempt_at"],
        update_fields=["status", "attempts", "next_attempt_at"],
    ) as locked:
        if locked.status not in REDELIVERABLE:
            raise ValidationError(_("Only a failed or given-up delivery is sent again."))
        if not WebhookEndpoint.objects.filter(pk=locked.endpoint_id, active=True).exists():
            raise ValidationError(_("This endpoint is deactivated; create a new one instead."))
        locked.status = DeliveryStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
    webhooks.deliveries_send_on_commit([locked.pk])
    return locked
