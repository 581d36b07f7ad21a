from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import views_analysis, views_capa, views_complaints, views_mrb, views_scar

app_name = "anomalies"

# Each part of the app keeps its own routes (views_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = [*views_mrb.urlpatterns]
urlpatterns += views_analysis.urlpatterns
urlpatterns += views_scar.urlpatterns
urlpatterns += views_capa.urlpatterns
urlpatterns += views_complaints.urlpatterns
