from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import api_capa, api_complaints, api_mrb, api_scar

# Each part of the app keeps its own API routes (api_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = [*api_mrb.urlpatterns]
urlpatterns += api_scar.urlpatterns
urlpatterns += api_capa.urlpatterns
urlpatterns += api_complaints.urlpatterns
