"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cqo.core.uploads import validate_upload


@extend_schema_field(OpenApiTypes.BINARY)
class ProtectedFileField(serializers.FileField):
    """An uploaded file, checked by its content (``cqo.core.uploads``) on the way in, and on the
    way out a link to ``url_name`` (a route that checks the reader's permission on the owning
    record and serves the file as an attachment), never to ``MEDIA_URL``."""

    def __init__(self, *, url_name: str, **kwargs: Any) -> None:
        self.url_name = url_name
        kwargs.setdefault("validators", [validate_upload])
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = reverse(self.url_name, kwargs={"pk": value.instance.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
