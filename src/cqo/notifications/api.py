"""The signed-in user's notifications (/api/v1/authorities/notifications/, kept where it was)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.accounts.viewsets import ServiceViewSet

from . import selectors as sel
from . import services as S
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "message_en", "url", "clause", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, ServiceViewSet):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.all()
    required_perms = {
        "list": "notifications.view_notification",
        "read": "notifications.view_notification",
    }

    def get_queryset(self) -> Any:
        unread = self.request.query_params.get("unread") in ("1", "true")
        return sel.notifications_for(self.request.user, unread=unread)

    @extend_schema(
        request=inline_serializer(
            "NotificationRead",
            {"ids": serializers.ListField(child=serializers.IntegerField(), required=False)},
        ),
        responses=inline_serializer("NotificationReadResult", {"read": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        ids = request.data.get("ids") if hasattr(request.data, "get") else None
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
            raise serializers.ValidationError({"ids": [_("Give a list of notification ids.")]})
        count = S.notifications_mark_read(actor=self.actor, ids=ids)
        return Response({"read": count})


router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = router.urls
