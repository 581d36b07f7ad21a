from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import api_fund, api_ledger, api_rewards

# Each part of the app keeps its own routes (api_<part>.urlpatterns), combined here.
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += api_ledger.urlpatterns
urlpatterns += api_fund.urlpatterns
urlpatterns += api_rewards.urlpatterns
