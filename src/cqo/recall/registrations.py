"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``: the app's API mount here, then each part's own function."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.api.registry import api_urls_register

    from . import api, registrations_case, registrations_clocks

    api_urls_register("recall/", api.urlpatterns, namespace="recall")
    registrations_case.register(app_label)
    registrations_clocks.register(app_label)
