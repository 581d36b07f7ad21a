"""Outgoing webhooks: the events other systems may subscribe to, and how they are sent
(decision 0010).

An app names its events once, from its ``AppConfig.ready()``::

    webhook_event_register("inspection.gate.decided", _("Gate decision"), clause("§6 e)"))

and announces one inside the service that made it happen::

    webhook_emit(event="inspection.gate.decided", payload={"lot": lot.number, ...})

``webhook_emit`` writes one delivery per active endpoint that subscribes to the event, in the
caller's transaction (a rolled-back change announces nothing), and the sending starts on commit
through the job queue. A delivery that fails is tried again after 1 min, 5 min, 30 min, 2 h and
12 h (six attempts in all), then given up; the periodic job ``tasks.webhook_deliveries_due``
sends whatever is due, so the schedule holds with a real consumer, and a test runs the job
itself.

What the receiver gets: ``POST`` with the JSON body ``{"id", "event", "created_at", "data"}``
(``id`` is the event's UUID, the same for every endpoint and every retry, so a receiver can
ignore a repeat) and the headers ``X-CQO-Event``, ``X-CQO-Delivery``, ``X-CQO-Timestamp`` (Unix
seconds) and ``X-CQO-Signature: sha256=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed
with the endpoint's secret (its UTF-8 bytes, ``whsec_`` prefix included). A receiver recomputes
it over the raw body, compares in constant time, and refuses a timestamp more than five minutes
old.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from cqo.core.clauses import clause as clause_check

from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

# After the first attempt fails, the waits before the next ones; then given up.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 5
# A delivery being sent is claimed by moving its next attempt this far ahead: a second worker
# leaves it alone, and if the first one dies the claim runs out and the periodic job retries.
CLAIM_SECONDS = 120
ERROR_LENGTH = 500
USER_AGENT = "CQO-Webhooks/1"
PING = "webhook.ping"

_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class UnknownWebhookEventError(ValueError):
    """An event nobody registered (a typo, or an app that forgot ``webhook_event_register``)."""


@dataclass(frozen=True)
class WebhookEvent:
    code: str
    label: Promise | str
    clause: str


_EVENTS: dict[str, WebhookEvent] = {}


def webhook_event_register(code: str, label: Promise | str, clause: str = "") -> WebhookEvent:
    """Let endpoints subscribe to ``code`` (dotted, lower case: ``inspection.gate.decided``),
    shown as ``label``, about ``clause`` of the standard (checked against the clause registry;
    empty for a technical event). Registering the same code again with another label or clause
    is an error."""
    if not _CODE.match(code):
        raise ValueError(f"webhook event code {code!r} must be dotted lower case, a.b")
    if clause:
        clause_check(clause)
    event = WebhookEvent(code, label, clause)
    known = _EVENTS.get(code)
    if known is not None and (str(known.label), known.clause) != (str(label), clause):
        raise ValueError(f"webhook event {code!r} is registered twice")
    _EVENTS[code] = event
    return event


def webhook_events_registered() -> list[WebhookEvent]:
    return sorted(_EVENTS.values(), key=lambda e: e.code)


def webhook_event(code: str) -> WebhookEvent:
    try:
        return _EVENTS[code]
    except KeyError:
        raise UnknownWebhookEventError(f"webhook event {code!r} is not registered") from None


def _json_ready(payload: Any) -> Any:
    """The payload as JSON gives it back: dates, decimals and UUIDs become strings now, so what
    is stored is what is sent and signed, every attempt alike."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def webhook_emit(*, event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Announce ``event`` with ``payload`` (a JSON-able dict) to every active endpoint that
    subscribes to it. Call it inside the service's transaction: the deliveries are written there
    and sent after commit, so a change rolled back announces nothing. Raises
    ``UnknownWebhookEventError`` for an event nobody registered, ``TypeError`` for a payload
    JSON cannot carry."""
    webhook_event(event)
    if not isinstance(payload, dict):
        raise TypeError("a webhook payload is a dict")
    data = _json_ready(payload)
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if e.wants(event)]
    return _deliveries_create(endpoints, event=event, data=data)


def _deliveries_create(
    endpoints: Iterable[WebhookEndpoint], *, event: str, data: dict[str, Any]
) -> list[WebhookDelivery]:
    now = timezone.now()
    event_id = uuid.uuid4()
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            payload=data,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    ]
    if deliveries:
        deliveries_send_on_commit([d.pk for d in deliveries])
    return deliveries


def deliveries_send_on_commit(ids: list[int]) -> None:
    def _send() -> None:
        from .tasks import webhook_deliveries_send

        webhook_deliveries_send(ids)

    # robust: a queue that is down must not turn the committed change into an error page; the
    # periodic job finds the deliveries anyway.
    transaction.on_commit(_send, robust=True)


# --- what is sent ---------------------------------------------------------------------------


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """The exact bytes POSTed (and signed): compact JSON, keys sorted, UTF-8."""
    document = {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode("utf-8")


def webhook_signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with ``secret``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect is answered as the failure it is: following it would send the signed body to an
    # address nobody configured (another host, or plain http after https).
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No proxy from the environment either: a receiver is reached directly, as configured.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """(status code or None, error text) of one POST."""
    if not url.lower().startswith(("http://", "https://")):
        return None, "refused: only http and https addresses are sent to"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        text = ""
        try:
            text = exc.read(300).decode("utf-8", "replace")
        except Exception:  # the body of a failure is only a hint for the log
            text = ""
        if 300 <= exc.code < 400:
            where = exc.headers.get("Location", "") if exc.headers else ""
            return exc.code, f"HTTP {exc.code}: redirect to {where} not followed"
        return exc.code, f"HTTP {exc.code} {exc.reason}: {text}".strip()
    except Exception as exc:  # every way a send fails is logged, then retried
        reason = getattr(exc, "reason", None) or exc
        return None, f"{type(exc).__name__}: {reason}"


def _claim(pk: int, now: datetime.datetime) -> bool:
    due = WebhookDelivery.objects.filter(
        pk=pk,
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
        next_attempt_at__lte=now,
    )
    return bool(due.update(next_attempt_at=now + datetime.timedelta(seconds=CLAIM_SECONDS)))


def webhook_delivery_attempt(pk: int) -> WebhookDelivery | None:
    """Send delivery ``pk`` once if it is due and nobody else is sending it; record the outcome.
    None when it was not due (already delivered, given up, or claimed by another worker)."""
    now = timezone.now()
    if not _claim(pk, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=pk)
    endpoint = delivery.endpoint
    if not endpoint.active:
        code: int | None = None
        error = "endpoint deactivated"
        delivery.attempts += 1
        delivery.status = DeliveryStatus.GIVEN_UP
        delivery.next_attempt_at = None
    else:
        body = webhook_body(delivery)
        timestamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-CQO-Event": delivery.event,
            "X-CQO-Delivery": str(delivery.pk),
            "X-CQO-Timestamp": str(timestamp),
            "X-CQO-Signature": webhook_signature(endpoint.secret, timestamp, body),
        }
        code, error = _post(endpoint.url, body, headers)
        delivery.attempts += 1
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            error = ""
        if delivery.status != DeliveryStatus.DELIVERED:
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.GIVEN_UP
                delivery.next_attempt_at = None
            else:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
    delivery.last_status_code = code
    delivery.last_error = (error or "")[:ERROR_LENGTH]
    delivery.save(
        update_fields=[
            "attempts", "status", "last_status_code", "last_error", "next_attempt_at",
            "delivered_at",
        ]
    )  # fmt: skip
    if delivery.status == DeliveryStatus.GIVEN_UP:
        log.warning("webhook delivery %s given up: %s", delivery.pk, delivery.last_error)
    return delivery


def webhook_deliveries_send(ids: Iterable[int]) -> int:
    """Attempt each delivery that is due; how many were attempted."""
    return sum(1 for pk in ids if webhook_delivery_attempt(pk) is not None)


def webhook_deliveries_due(*, limit: int = 200) -> list[int]:
    """The deliveries whose (next) attempt is due now, oldest first."""
    return list(
        WebhookDelivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
