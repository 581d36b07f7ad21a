"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app, each in its part's module
or here."""

from __future__ import annotations


def register(app_label: str) -> None:
    from .registrations_capa import register_capa

    register_capa(app_label)
