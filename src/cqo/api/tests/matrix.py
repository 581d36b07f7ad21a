"""The webhooks' rows of the permission matrix (tests/security/test_permission_matrix.py): the
system administrator alone sees and changes them, on the pages and through the API."""

from __future__ import annotations

import uuid
from typing import Any

from cqo.testing.matrix import ANONYMOUS

ADMIN_PAGE = {ANONYMOUS: 302, "*": 403, "admin": 200}
ADMIN_API = {ANONYMOUS: 403, "*": 403, "admin": 200}
# A POST-only page: a GET is not allowed, after sign-in.
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
# A POST-only API action on a model only the administrator reads: 405 for her, 403 for the rest.
ADMIN_API_POST_ONLY = {ANONYMOUS: 403, "*": 403, "admin": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "webhooks:endpoint_list": ADMIN_PAGE,
    "webhooks:endpoint_create": ADMIN_PAGE,
    "webhooks:endpoint_deactivate": PAGE_POST_ONLY,
    "webhooks:endpoint_rotate": PAGE_POST_ONLY,
    "webhooks:endpoint_ping": PAGE_POST_ONLY,
    "webhooks:delivery_list": ADMIN_PAGE,
    "webhooks:delivery_redeliver": PAGE_POST_ONLY,
    "api:webhooks:webhook-endpoint-list": ADMIN_API,
    "api:webhooks:webhook-endpoint-detail": ADMIN_API,
    "api:webhooks:webhook-endpoint-deactivate": ADMIN_API_POST_ONLY,
    "api:webhooks:webhook-endpoint-rotate-secret": ADMIN_API_POST_ONLY,
    "api:webhooks:webhook-endpoint-ping": ADMIN_API_POST_ONLY,
    "api:webhooks:webhook-delivery-list": ADMIN_API,
    "api:webhooks:webhook-delivery-detail": ADMIN_API,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:webhooks:webhook-endpoint-list": ("admin",),
    "api:webhooks:webhook-endpoint-detail": ("admin",),
    "api:webhooks:webhook-endpoint-deactivate": ("admin",),
    "api:webhooks:webhook-endpoint-rotate-secret": ("admin",),
    "api:webhooks:webhook-endpoint-ping": ("admin",),
}

OBJECT_FOR_PK = {
    "webhooks:endpoint_": "api.webhook_endpoint",
    "webhooks:delivery_": "api.webhook_delivery",
    "api:webhooks:webhook-endpoint-": "api.webhook_endpoint",
    "api:webhooks:webhook-delivery-": "api.webhook_delivery",
}


def build(world: Any) -> None:
    from django.utils import timezone

    from cqo.api.models import DeliveryStatus, WebhookDelivery
    from cqo.api.services import webhook_endpoint_create

    # Port 9 (discard) on this machine: nothing is ever sent from the matrix's world.
    endpoint = webhook_endpoint_create(
        actor=world.users["admin"], name="矩阵", url="http://127.0.0.1:9/hook"
    )
    world.objects["api.webhook_endpoint"] = endpoint
    world.objects["api.webhook_delivery"] = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="webhook.ping",
        event_id=uuid.uuid4(),
        payload={},
        status=DeliveryStatus.GIVEN_UP,
        attempts=6,
        last_error="matrix",
        created_at=timezone.now(),
    )
