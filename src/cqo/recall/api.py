from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import api_case, api_clocks

# Each part of the app keeps its own routes (api_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += api_case.urlpatterns
urlpatterns += api_clocks.urlpatterns
