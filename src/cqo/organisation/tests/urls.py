"""The project's URLs plus this app's API where the api app will mount it (/api/v1/org/)."""

from django.urls import include, path

from cqo.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/org/", include("cqo.organisation.api_urls")),
    *project_urlpatterns,
]
