"""The API, mounted at /api/: version 1 under /api/v1/, the OpenAPI schema and its local docs.

Each app offers its endpoints in ``<app>/api_urls.py`` and registers them from its
``AppConfig.ready()`` (``cqo.api.registry``); they are mounted here, each under its own namespace
(``api:org:...``), so two routers' root views never collide. The routers' format
suffix twins (``units.json``) are left out: the API speaks JSON, chosen by the Accept header or
``?format=``, and every URL it has is one more to secure and to list in the permission matrix.
"""

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from cqo.organisation import api_urls as organisation_api_urls

from . import audit, docs, views, webhooks_api
from .registry import api_urls_registered

app_name = "api"


def _app(
    urls: list[URLPattern | URLResolver], namespace: str
) -> tuple[list[URLPattern | URLResolver], str]:
    kept = [p for p in urls if "format" not in p.pattern.regex.groupindex]
    return kept, namespace


audit_router = SimpleRouter()
audit_router.register("events", audit.AuditEventViewSet, basename="audit-event")
audit_router.register("signatures", audit.SignatureViewSet, basename="audit-signature")

v1: list[URLPattern | URLResolver] = [
    path("", views.RootView.as_view(), name="root"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/tokens/", views.TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<str:token_id>/", views.TokenDetailView.as_view(), name="token_detail"),
    path("me/", views.MeView.as_view(), name="me"),
    path("org/", include(_app(organisation_api_urls.urlpatterns, "org"))),
    *[
        path(entry.prefix, include(_app(entry.urlpatterns, entry.namespace)))
        for entry in api_urls_registered()
    ],
    path("audit/", include(audit_router.urls)),
    path("webhooks/", include(_app(webhooks_api.urlpatterns, "webhooks"))),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:root"), name="index"),
    path("v1/", include(v1)),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
    # Pages for people: someone not signed in is sent to the sign-in page, as elsewhere.
    path(
        "docs/",
        login_required(docs.SwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        login_required(docs.RedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
]
