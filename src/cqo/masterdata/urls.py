"""Pages of the master data."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "masterdata"

urlpatterns: list[URLPattern] = []
