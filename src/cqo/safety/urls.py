from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import views_regime, views_registers

app_name = "safety"

# Each part of the app keeps its own routes (views_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += views_registers.urlpatterns
urlpatterns += views_regime.urlpatterns
