"""Pages of the inspection app: suppliers part."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
