from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import views

app_name = "incidents"

# Each part of the app keeps its own routes (views_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = [*views.urlpatterns]
