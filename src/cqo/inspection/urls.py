from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import views_gate, views_lots, views_plans, views_results, views_spc, views_suppliers

app_name = "inspection"

# Each part of the app keeps its own routes, so its engineers do not edit one list.
urlpatterns: list[URLPattern | URLResolver] = [
    *views_plans.urlpatterns,
    *views_lots.urlpatterns,
    *views_results.urlpatterns,
    *views_gate.urlpatterns,
    *views_spc.urlpatterns,
    *views_suppliers.urlpatterns,
]
