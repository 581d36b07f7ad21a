"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``: the app's API mount here, then each part's own function."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.api.registry import api_urls_register

    from . import api, registrations_fund, registrations_ledger, registrations_rewards

    api_urls_register("costs/", api.urlpatterns, namespace="costs")
    registrations_ledger.register(app_label)
    registrations_fund.register(app_label)
    registrations_rewards.register(app_label)
    _report_sections_register(app_label)

    from . import metrics

    metrics.register(app_label)


def _report_sections_register(app_label: str) -> None:
    """The app's parts of the CQO's report to the decision layer (§7.1.6)."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clauses
    from cqo.core.report_sections import report_section_register

    from . import sections_report

    report_section_register(
        code="costs.quality_cost", title=_("Quality cost and ratios"),
        clause=clauses("§7.1.5", "§7.2.3.7"), order=200,
        build=sections_report.quality_cost_section, app=app_label,
    )  # fmt: skip
    report_section_register(
        code="costs.budget_fund", title=_("Quality budget and special quality fund"),
        clause=clauses("§6 f)", "§8"), order=300,
        build=sections_report.budget_fund_section, app=app_label,
    )  # fmt: skip
