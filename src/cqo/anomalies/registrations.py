"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app, each in its part's module
or here."""

from __future__ import annotations


def register(app_label: str) -> None:
    register_analysis(app_label)


def register_analysis(app_label: str) -> None:
    """The analysis of nonconformances: who reads it, the CQO's panels (NCR Pareto, ageing),
    the navigation entry."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clause
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import panels_analysis, rules_analysis, selectors_analysis

    rules_analysis.register()
    panels_analysis.register()
    nav_item_register(
        "authorities",
        NavItem(
            "anomalies.analysis", _("Nonconformance analysis"), clause("§6 c)"),
            "anomalies:analysis", perm=selectors_analysis.PERM,
        ),
    )  # fmt: skip
