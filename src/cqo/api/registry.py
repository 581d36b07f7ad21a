"""Where apps above the platform offer their API endpoints: each calls ``api_urls_register`` from
its ``AppConfig.ready()`` and ``cqo.api.urls`` mounts what was registered, so the API app names
no app above it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver


@dataclass(frozen=True)
class ApiUrls:
    prefix: str
    urlpatterns: list[URLPattern | URLResolver]
    namespace: str


_REGISTRY: dict[str, ApiUrls] = {}


def api_urls_register(
    prefix: str, urlpatterns: list[URLPattern | URLResolver], *, namespace: str
) -> None:
    """Mount ``urlpatterns`` at ``/api/v1/<prefix>``, named ``api:<namespace>:...``."""
    if namespace in _REGISTRY and _REGISTRY[namespace].urlpatterns is not urlpatterns:
        raise ValueError(f"API namespace {namespace!r} is registered twice")
    _REGISTRY[namespace] = ApiUrls(prefix, urlpatterns, namespace)


def api_urls_registered() -> list[ApiUrls]:
    return list(_REGISTRY.values())
