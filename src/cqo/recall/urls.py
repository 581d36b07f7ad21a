from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import views_case, views_clocks

app_name = "recall"

# Each part of the app keeps its own routes (views_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += views_case.urlpatterns
urlpatterns += views_clocks.urlpatterns
