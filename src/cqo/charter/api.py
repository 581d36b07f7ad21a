"""The charter's API (/api/v1/post/charters/, kept where it was): list, read, generate, approve
with the principal's password, publish, PDF (§4.2)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cqo.post.api import PDF_RENDERERS, PDF_RESPONSE, PasswordSerializer, _Base, _file, _lang

from . import documents
from . import services as S
from .models import Charter


class CharterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Charter
        fields = [
            "id", "version", "status", "veto_delegable", "appointment", "content", "content_hash",
            "created_at", "approved_at", "signature", "published_at", "outdated_at", "outdated_reas"
                                                                                     "on",
        ]  # fmt: skip
        read_only_fields = fields


class CharterGenerateSerializer(serializers.Serializer):
    veto_delegable = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CharterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = CharterSerializer
    queryset = Charter.objects.order_by("-version")
    required_perms = {
        "list": "charter.view_charter",
        "retrieve": "charter.view_charter",
        "create": "charter.generate_charter",
        "approve": "charter.approve_charter",
        "publish": "charter.publish_charter",
        "pdf": "charter.view_charter",
    }

    @extend_schema(request=CharterGenerateSerializer, responses={201: CharterSerializer})
    def create(self, request: Request) -> Response:
        ser = CharterGenerateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        charter = S.charter_generate(actor=self.actor, **ser.validated_data)
        return Response(CharterSerializer(charter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PasswordSerializer, responses={200: CharterSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        charter = self.get_object()
        ser = PasswordSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        approved = S.charter_approve(
            actor=self.actor, charter=charter, password=ser.validated_data["password"]
        )
        return Response(CharterSerializer(approved).data)

    @extend_schema(request=None, responses={200: CharterSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        charter = self.get_object()
        published = S.charter_publish(actor=self.actor, charter=charter)
        return Response(CharterSerializer(published).data)

    @extend_schema(responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"], renderer_classes=PDF_RENDERERS)
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The charter version (§4.2) as PDF, with the principal's approval signature."""
        charter = self.get_object()
        return _file(
            documents.charter_pdf(charter, language=_lang()),
            "application/pdf",
            f"cqo-charter-v{charter.version}.pdf",
        )


router = SimpleRouter()
router.register("charters", CharterViewSet, basename="post-charter")
urlpatterns = router.urls
