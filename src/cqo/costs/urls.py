from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import views_fund, views_ledger, views_rewards

app_name = "costs"

# Each part of the app keeps its own routes (views_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += views_ledger.urlpatterns
urlpatterns += views_fund.urlpatterns
urlpatterns += views_rewards.urlpatterns
