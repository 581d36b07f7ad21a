"""Everything the inspection app registers with the kernel and the platform (decision 0005),
called once from ``InspectionConfig.ready()``. One function per part of the app."""

from __future__ import annotations


def register(app_label: str) -> None:
    register_plans(app_label)
    register_lots(app_label)
    register_results(app_label)
    register_gate(app_label)
    register_spc(app_label)
    register_suppliers(app_label)


def register_plans(app_label: str) -> None:
    pass


def register_lots(app_label: str) -> None:
    pass


def register_results(app_label: str) -> None:
    pass


def register_gate(app_label: str) -> None:
    pass


def register_spc(app_label: str) -> None:
    pass


def register_suppliers(app_label: str) -> None:
    pass
