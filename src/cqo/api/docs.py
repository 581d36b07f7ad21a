"""The API's browsable docs (Swagger UI, ReDoc), from the local sidecar assets only.

drf-spectacular's pages would reach out twice: ReDoc's template loads Google Fonts, and Swagger
UI asks validator.swagger.io to validate the schema (sending it the schema's address). These
views remove both, and a Content-Security-Policy keeps the pages from loading anything that is
not ours, whatever the bundles try.
"""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response

# The bundles run inline bootstrapping code and ReDoc searches in a worker made from a blob.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


def _local_only(response: Response) -> Response:
    response["Content-Security-Policy"] = DOCS_POLICY
    return response


class SwaggerView(SpectacularSwaggerView):
    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        configured = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(configured, dict):
            # No online validator: the badge would send the schema's address to swagger.io.
            response.data["settings"] = json.dumps({**configured, "validatorUrl": None}, indent=2)
        return _local_only(response)


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _local_only(super().get(request, *args, **kwargs))
