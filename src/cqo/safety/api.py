from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import api_regime, api_registers

# Each part of the app keeps its own routes (api_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += api_registers.urlpatterns
urlpatterns += api_regime.urlpatterns
