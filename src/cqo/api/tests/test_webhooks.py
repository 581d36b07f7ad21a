"""Outgoing webhooks: signing, sending, retries, subscriptions, and who may administer them.

Each test runs a receiver of its own (``http.server`` on 127.0.0.1 in a thread); nothing else
on the network is touched.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from cqo.api import services, tasks, webhooks
from cqo.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cqo.audit.models import AuditEvent
from cqo.core.models import ProtectedRecordError
from cqo.testing.factories import member

EVENT = "test.lot.released"
OTHER = "test.lot.held"


@pytest.fixture(autouse=True)
def _events() -> Iterator[None]:
    webhooks.webhook_event_register(EVENT, "Lot released", "§6 e)")
    webhooks.webhook_event_register(OTHER, "Lot held")
    yield
    webhooks._EVENTS.pop(EVENT, None)
    webhooks._EVENTS.pop(OTHER, None)


class Receiver:
    def __init__(self) -> None:
        self.status = 200
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.received.append(
                    {
                        "path": self.path,
                        # Header names are case-insensitive (urllib sends "X-cqo-event").
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(receiver.status)
                if 300 <= receiver.status < 400:
                    self.send_header("Location", "http://example.com/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


@pytest.fixture
def admin(db: Any) -> Any:
    return member(["admin"])


def _endpoint(admin: Any, url: str, events: list[str] | None = None) -> WebhookEndpoint:
    return services.webhook_endpoint_create(
        actor=admin, name="ERP", url=url, event_types=events or []
    )


def _emit(capture: Any, payload: dict[str, Any] | None = None, event: str = EVENT) -> list[Any]:
    with capture(execute=True):
        with transaction.atomic():
            return webhooks.webhook_emit(event=event, payload=payload or {"lot": "L-1"})


def _run_due_after_wait() -> dict[str, Any]:
    """What the periodic job does once the wait before the next attempt has passed."""
    WebhookDelivery.objects.exclude(next_attempt_at=None).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return tasks.webhook_deliveries_run_due()


# --- sending --------------------------------------------------------------------------------


def test_a_delivery_is_signed_so_the_receiver_can_check_it_with_the_secret_alone(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = _endpoint(admin, receiver.url)
    delivery = _emit(django_capture_on_commit_callbacks, {"lot": "L-7", "qty": 120})[0]

    (got,) = receiver.received
    headers = got["headers"]
    timestamp = headers["x-cqo-timestamp"]
    expected = hmac.new(
        endpoint.secret.encode(), timestamp.encode() + b"." + got["body"], hashlib.sha256
    ).hexdigest()
    assert headers["x-cqo-signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    assert headers["x-cqo-event"] == EVENT
    assert headers["x-cqo-delivery"] == str(delivery.pk)
    body = json.loads(got["body"])
    assert body == {
        "id": str(delivery.event_id),
        "event": EVENT,
        "created_at": body["created_at"],
        "data": {"lot": "L-7", "qty": 120},
    }
    # A signature made with another secret does not match.
    wrong = hmac.new(b"whsec_other", timestamp.encode() + b"." + got["body"], hashlib.sha256)
    assert headers["x-cqo-signature"] != f"sha256={wrong.hexdigest()}"


def test_a_2xx_answer_marks_the_delivery_delivered_with_its_status_code(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 202
    _endpoint(admin, receiver.url)
    delivery = _emit(django_capture_on_commit_callbacks)[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.last_status_code == 202
    assert delivery.attempts == 1
    assert delivery.delivered_at is not None
    assert delivery.next_attempt_at is None
    # Delivered once: the periodic job does not send it again.
    _run_due_after_wait()
    assert len(receiver.received) == 1


def test_a_failing_receiver_is_retried_on_the_schedule_then_given_up(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 500
    _endpoint(admin, receiver.url)
    delivery = _emit(django_capture_on_commit_callbacks)[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert "500" in delivery.last_error
    wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= webhooks.RETRY_DELAYS[0]

    # Not yet due: the job leaves it alone.
    assert tasks.webhook_deliveries_run_due()["attempted"] == 0
    assert len(receiver.received) == 1

    for attempt in range(2, webhooks.MAX_ATTEMPTS + 1):
        assert _run_due_after_wait()["attempted"] == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if attempt < webhooks.MAX_ATTEMPTS:
            assert delivery.status == DeliveryStatus.FAILED
            wait = delivery.next_attempt_at - timezone.now()
            assert wait <= webhooks.RETRY_DELAYS[attempt - 1]
            assert wait > webhooks.RETRY_DELAYS[attempt - 1] - datetime.timedelta(seconds=10)
    assert delivery.status == DeliveryStatus.GIVEN_UP
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS == 6
    # Given up: nothing more is sent.
    assert _run_due_after_wait()["attempted"] == 0
    assert len(receiver.received) == 6


def test_a_receiver_that_recovers_gets_the_retry_delivered(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 503
    _endpoint(admin, receiver.url)
    delivery = _emit(django_capture_on_commit_callbacks)[0]
    receiver.status = 200
    _run_due_after_wait()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    first, second = receiver.received
    assert json.loads(first["body"]) == json.loads(second["body"])  # same event id and data


def test_a_redirect_is_not_followed(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 302
    _endpoint(admin, receiver.url)
    delivery = _emit(django_capture_on_commit_callbacks)[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code == 302
    assert "not followed" in delivery.last_error
    assert len(receiver.received) == 1


def test_an_unreachable_receiver_is_logged_and_retried(
    admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with Receiver() as gone:
        url = gone.url
    _endpoint(admin, url)
    delivery = _emit(django_capture_on_commit_callbacks)[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code is None
    assert delivery.last_error


def test_an_address_that_is_not_http_is_never_sent_to(admin: Any) -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)", "hook"):
        with pytest.raises(ValidationError) as refused:
            _endpoint(admin, url)
        assert "url" in refused.value.message_dict
    # Even one written around the service is refused at sending.
    endpoint = _endpoint(admin, "http://127.0.0.1:9/x")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url="file:///etc/passwd")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=EVENT, event_id="00000000-0000-0000-0000-000000000001",
        next_attempt_at=timezone.now(),
    )  # fmt: skip
    webhooks.webhook_delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("refused")


# --- who receives what ----------------------------------------------------------------------


def test_an_inactive_endpoint_receives_nothing(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = _endpoint(admin, receiver.url)
    services.webhook_endpoint_deactivate(actor=admin, endpoint=endpoint, reason="ERP replaced")
    assert _emit(django_capture_on_commit_callbacks) == []
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_waiting_when_its_endpoint_is_deactivated_is_given_up_unsent(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 500
    endpoint = _endpoint(admin, receiver.url)
    delivery = _emit(django_capture_on_commit_callbacks)[0]
    services.webhook_endpoint_deactivate(actor=admin, endpoint=endpoint)
    _run_due_after_wait()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GIVEN_UP
    assert len(receiver.received) == 1


def test_an_endpoint_receives_only_the_events_it_subscribes_to(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    with Receiver() as every:
        only_held = _endpoint(admin, receiver.url, [OTHER])
        everything = _endpoint(admin, every.url)
        released = _emit(django_capture_on_commit_callbacks, event=EVENT)
        held = _emit(django_capture_on_commit_callbacks, event=OTHER)
        assert [d.endpoint for d in released] == [everything]
        assert {d.endpoint for d in held} == {only_held, everything}
        assert [json.loads(r["body"])["event"] for r in receiver.received] == [OTHER]
        assert sorted(json.loads(r["body"])["event"] for r in every.received) == [OTHER, EVENT]


def test_an_event_emitted_in_a_rolled_back_transaction_sends_nothing(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            webhooks.webhook_emit(event=EVENT, payload={"lot": "L-1"})
            raise RuntimeError("the change failed")
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_emitting_an_unregistered_event_raises(admin: Any) -> None:
    _endpoint(admin, "http://127.0.0.1:9/x")
    with pytest.raises(webhooks.UnknownWebhookEventError):
        webhooks.webhook_emit(event="test.nobody.registered", payload={})
    assert not WebhookDelivery.objects.exists()


def test_registering_an_event_checks_its_code_and_clause() -> None:
    with pytest.raises(ValueError, match="dotted"):
        webhooks.webhook_event_register("NoDots", "x")
    with pytest.raises(ValueError):
        # Built from parts: the clause scan would read a literal as a citation.
        webhooks.webhook_event_register("test.bad.clause", "x", "§" + "99")
    with pytest.raises(ValueError, match="twice"):
        webhooks.webhook_event_register(EVENT, "Another label", "§6 e)")
    # The same registration again (a second ready()) is harmless.
    webhooks.webhook_event_register(EVENT, "Lot released", "§6 e)")


def test_a_payload_keeps_dates_and_decimals_as_json_strings(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    import decimal

    _endpoint(admin, receiver.url)
    payload = {"on": datetime.date(2026, 12, 6), "mean": decimal.Decimal("1.25")}
    _emit(django_capture_on_commit_callbacks, payload)
    assert json.loads(receiver.received[0]["body"])["data"] == {"on": "2026-12-06", "mean": "1.25"}


# --- administration -------------------------------------------------------------------------


def test_the_secret_is_kept_out_of_the_trail_and_the_history(admin: Any) -> None:
    endpoint = _endpoint(admin, "http://127.0.0.1:9/x")
    old = endpoint.secret
    rotated = services.webhook_endpoint_rotate_secret(actor=admin, endpoint=endpoint)
    assert rotated.secret != old and rotated.secret.startswith("whsec_")
    events = AuditEvent.objects.filter(object_type="api.webhookendpoint")
    assert [e.action for e in events.order_by("seq")] == [
        "api.webhook.create",
        "api.webhook.rotate_secret",
    ]
    for event in events:
        assert old not in json.dumps([event.before, event.after])
        assert rotated.secret not in json.dumps([event.before, event.after])
    assert not hasattr(endpoint.history.first(), "secret")


def test_endpoints_and_deliveries_are_never_deleted(admin: Any) -> None:
    endpoint = _endpoint(admin, "http://127.0.0.1:9/x")
    with pytest.raises(ProtectedRecordError):
        endpoint.delete()
    with pytest.raises(ProtectedRecordError):
        WebhookEndpoint.objects.all().delete()
    with pytest.raises(ProtectedRecordError):
        WebhookDelivery.objects.all().delete()


def test_only_the_administrator_administers_webhooks(admin: Any) -> None:
    endpoint = _endpoint(admin, "http://127.0.0.1:9/x")
    cqo = member(["cqo"])
    with pytest.raises(PermissionDenied):
        services.webhook_endpoint_create(actor=cqo, name="x", url="http://127.0.0.1:9/y")
    for call in (
        services.webhook_endpoint_rotate_secret,
        services.webhook_endpoint_ping,
        services.webhook_endpoint_deactivate,
    ):
        with pytest.raises(PermissionDenied):
            call(actor=cqo, endpoint=endpoint)
    assert WebhookEndpoint.objects.count() == 1


def test_a_given_up_delivery_is_sent_again_on_request_and_audited_with_its_clause(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 500
    _endpoint(admin, receiver.url)
    delivery = _emit(django_capture_on_commit_callbacks)[0]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.GIVEN_UP, next_attempt_at=None, attempts=webhooks.MAX_ATTEMPTS
    )
    delivery.refresh_from_db()
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_delivery_redeliver(actor=admin, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    event = AuditEvent.objects.get(action="api.webhook.redeliver")
    assert event.clause == "§6 e)"
    assert event.before["attempts"] == webhooks.MAX_ATTEMPTS
    with pytest.raises(ValidationError):
        services.webhook_delivery_redeliver(actor=admin, delivery=delivery)


def test_a_test_event_reaches_an_endpoint_whatever_it_subscribes_to(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = _endpoint(admin, receiver.url, [OTHER])
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_endpoint_ping(actor=admin, endpoint=endpoint)
    assert receiver.received[0]["headers"]["x-cqo-event"] == webhooks.PING


# --- pages and API --------------------------------------------------------------------------


def test_the_administrator_creates_an_endpoint_on_the_page_and_sees_the_secret_once(
    admin: Any,
) -> None:
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/webhooks/new/",
        {"name": "MES", "url": "https://mes.example.com/hook", "event_types": [EVENT]},
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(name="MES")
    assert endpoint.event_types == [EVENT]
    assert endpoint.secret in response.content.decode()
    listing = client.get("/webhooks/").content.decode()
    assert "mes.example.com" in listing and endpoint.secret not in listing


def test_the_page_refuses_an_address_that_is_not_http(admin: Any) -> None:
    client = Client()
    client.force_login(admin)
    response = client.post("/webhooks/new/", {"name": "MES", "url": "ftp://mes.example.com/"})
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    assert response.context["form"].errors["url"]


def test_the_delivery_log_filters_by_status(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(admin, receiver.url)
    _emit(django_capture_on_commit_callbacks, event=EVENT)
    receiver.status = 500
    _emit(django_capture_on_commit_callbacks, event=OTHER)
    client = Client()
    client.force_login(admin)
    failed = client.get("/webhooks/deliveries/?status=failed")
    assert [d.event for d in failed.context["page"].object_list] == [OTHER]
    assert "HTTP 500" in failed.content.decode()
    by_event = client.get(f"/webhooks/deliveries/?event={EVENT}")
    assert [d.status for d in by_event.context["page"].object_list] == ["delivered"]


@pytest.mark.parametrize("role", ["cqo", "principal", "auditor", "quality_engineer"])
def test_a_non_administrator_is_refused_on_the_pages_and_the_api(admin: Any, role: str) -> None:
    endpoint = _endpoint(admin, "http://127.0.0.1:9/x")
    user = member([role])
    page = Client()
    page.force_login(user)
    assert page.get("/webhooks/").status_code == 403
    assert page.get("/webhooks/deliveries/").status_code == 403
    assert page.post("/webhooks/new/", {"name": "x", "url": "http://a.example/"}).status_code == 403
    assert page.post(f"/webhooks/{endpoint.pk}/rotate-secret/").status_code == 403
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/webhooks/endpoints/").status_code == 403
    assert api.get("/api/v1/webhooks/deliveries/").status_code == 403
    created = api.post(
        "/api/v1/webhooks/endpoints/", {"name": "x", "url": "http://a.example/"}, format="json"
    )
    assert created.status_code == 403
    assert api.post(f"/api/v1/webhooks/endpoints/{endpoint.pk}/rotate-secret/").status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_the_api_creates_an_endpoint_and_shows_the_secret_only_then(admin: Any) -> None:
    api = APIClient()
    api.force_authenticate(admin)
    created = api.post(
        "/api/v1/webhooks/endpoints/",
        {"name": "ERP", "url": "https://erp.example.com/in", "event_types": [EVENT]},
        format="json",
    )
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    pk = created.json()["id"]
    assert WebhookEndpoint.objects.get(pk=pk).secret == secret
    assert "secret" not in api.get(f"/api/v1/webhooks/endpoints/{pk}/").json()
    changed = api.patch(f"/api/v1/webhooks/endpoints/{pk}/", {"event_types": []}, format="json")
    assert changed.status_code == 200 and changed.json()["event_types"] == []
    bad = api.patch(f"/api/v1/webhooks/endpoints/{pk}/", {"url": "file:///x"}, format="json")
    assert bad.status_code == 400 and "url" in bad.json()
    rotated = api.post(f"/api/v1/webhooks/endpoints/{pk}/rotate-secret/").json()["secret"]
    assert rotated != secret
    gone = api.post(f"/api/v1/webhooks/endpoints/{pk}/deactivate/", {"reason": "x"}, format="json")
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert api.delete(f"/api/v1/webhooks/endpoints/{pk}/").status_code in (403, 405)
    assert WebhookEndpoint.objects.filter(pk=pk).exists()


def test_the_api_lists_deliveries_by_status(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 500
    _endpoint(admin, receiver.url)
    _emit(django_capture_on_commit_callbacks)
    api = APIClient()
    api.force_authenticate(admin)
    rows = api.get("/api/v1/webhooks/deliveries/?status=failed").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [(r["event"], r["last_status_code"], r["attempts"]) for r in rows] == [(EVENT, 500, 1)]
    none = api.get("/api/v1/webhooks/deliveries/?status=delivered").json()
    assert (none["results"] if isinstance(none, dict) else none) == []


def test_the_navigation_shows_webhooks_to_the_administrator_only(admin: Any) -> None:
    shown = Client()
    shown.force_login(admin)
    assert 'href="/webhooks/"' in shown.get("/").content.decode()
    hidden = Client()
    hidden.force_login(member(["cqo"]))
    assert 'href="/webhooks/"' not in hidden.get("/").content.decode()


def test_the_delivery_log_shows_the_payload_as_the_receiver_reads_it(
    admin: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _endpoint(admin, receiver.url)
    _emit(django_capture_on_commit_callbacks, {"lot": "批次-9", "passed": True})
    client = Client()
    client.force_login(admin)
    page = client.get("/webhooks/deliveries/").content.decode()
    assert "&quot;passed&quot;: true" in page and "批次-9" in page
