from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import api_gate, api_lots, api_plans, api_results, api_spc, api_suppliers

urlpatterns: list[URLPattern | URLResolver] = [
    *api_plans.urlpatterns,
    *api_lots.urlpatterns,
    *api_results.urlpatterns,
    *api_gate.urlpatterns,
    *api_spc.urlpatterns,
    *api_suppliers.urlpatterns,
]
