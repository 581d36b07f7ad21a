"""The webhooks' API (/api/v1/webhooks/), for the administrator: endpoints (create, read, change,
deactivate, rotate the secret, send a test event) and the delivery log (read only).

The secret appears in the answer to the create and rotate-secret calls only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet

from . import selectors, services
from .models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )
    url = serializers.CharField(max_length=500)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id", "name", "url", "event_types", "active", "created_by", "created_at",
            "secret_rotated_at",
        ]  # fmt: skip
        read_only_fields = ["active", "created_by", "created_at", "secret_rotated_at"]


class WebhookEndpointChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    url = serializers.CharField(max_length=500, required=False)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )


class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookEndpointSerializer.Meta.read_only_fields, "secret"]


class WebhookDeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "endpoint", "event", "event_id", "payload", "status", "attempts",
            "last_status_code", "last_error", "next_attempt_at", "delivered_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


_VIEW_ENDPOINT = "api.view_webhookendpoint"
_CHANGE_ENDPOINT = "api.change_webhookendpoint"


class WebhookEndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = WebhookEndpointSerializer
    queryset = WebhookEndpoint.objects.all()
    required_perms = {
        "list": _VIEW_ENDPOINT,
        "retrieve": _VIEW_ENDPOINT,
        "metadata": _VIEW_ENDPOINT,
        "create": "api.add_webhookendpoint",
        "partial_update": _CHANGE_ENDPOINT,
        "deactivate": _CHANGE_ENDPOINT,
        "rotate_secret": _CHANGE_ENDPOINT,
        "ping": _CHANGE_ENDPOINT,
    }

    def get_queryset(self) -> Any:
        return selectors.webhook_endpoints_visible(self.request.user)

    @extend_schema(request=WebhookEndpointSerializer, responses=WebhookEndpointSecretSerializer)
    def create(self, request: Request) -> Response:
        data = self.body(WebhookEndpointSerializer)
        endpoint = services.webhook_endpoint_create(
            actor=self.actor,
            name=data["name"],
            url=data["url"],
            event_types=data.get("event_types") or [],
        )
        return Response(
            WebhookEndpointSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=WebhookEndpointChangeSerializer, responses=WebhookEndpointSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        endpoint = self.target(_CHANGE_ENDPOINT)
        data = self.body(WebhookEndpointChangeSerializer)
        endpoint = services.webhook_endpoint_update(actor=self.actor, endpoint=endpoint, **data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(request=WebhookDeactivateSerializer, responses=WebhookEndpointSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: Any = None) -> Response:
        endpoint = self.target(_CHANGE_ENDPOINT)
        data = self.body(WebhookDeactivateSerializer)
        endpoint = services.webhook_endpoint_deactivate(
            actor=self.actor, endpoint=endpoint, reason=data["reason"]
        )
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses=WebhookEndpointSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: Any = None) -> Response:
        endpoint = self.target(_CHANGE_ENDPOINT)
        endpoint = services.webhook_endpoint_rotate_secret(actor=self.actor, endpoint=endpoint)
        return Response(WebhookEndpointSecretSerializer(endpoint).data)

    @extend_schema(request=None, responses={201: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request: Request, pk: Any = None) -> Response:
        endpoint = self.target(_CHANGE_ENDPOINT)
        delivery = services.webhook_endpoint_ping(actor=self.actor, endpoint=endpoint)
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    serializer_class = WebhookDeliverySerializer
    queryset = WebhookDelivery.objects.all()
    required_perms = {
        "list": "api.view_webhookdelivery",
        "retrieve": "api.view_webhookdelivery",
        "metadata": "api.view_webhookdelivery",
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.webhook_deliveries_visible(
            self.request.user,
            endpoint=params.get("endpoint", ""),
            status=params.get("status", ""),
            event=params.get("event", ""),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("endpoint", int, description="endpoint id"),
            OpenApiParameter("status", str, enum=["pending", "delivered", "failed", "given_up"]),
            OpenApiParameter("event", str),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


router = SimpleRouter()
router.register("endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
router.register("deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
urlpatterns = router.urls
