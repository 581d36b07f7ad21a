"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``: the app's API mount here, then each part's own function."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.api.registry import api_urls_register

    from . import api, registrations_regime, registrations_registers

    api_urls_register("safety/", api.urlpatterns, namespace="safety")
    registrations_registers.register(app_label)
    registrations_regime.register(app_label)
