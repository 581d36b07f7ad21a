"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``: the app's API mount here, then each part's own function."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.api.registry import api_urls_register

    from . import api, registrations_fund, registrations_ledger

    api_urls_register("costs/", api.urlpatterns, namespace="costs")
    registrations_ledger.register(app_label)
    registrations_fund.register(app_label)

    from . import metrics

    metrics.register(app_label)
