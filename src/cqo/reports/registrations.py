"""Everything this app registers with the kernel and the platform (decision 0005)."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.api.registry import api_urls_register
    from cqo.audit.labels import actions_register
    from cqo.audit.selectors import signed_content_register
    from cqo.core.demo import demo_builder_register
    from cqo.workbench.nav import nav_link

    from . import api, demo, rules, selectors, tasks

    del rules, tasks  # imported for their rules and their queue's job
    api_urls_register("reports/", api.urlpatterns, namespace="reports")
    actions_register(
        {
            "reports.report.request": _("CQO report requested"),
            "reports.report.generate": _("CQO report generated"),
            "reports.report.sign": _("CQO report signed by the CQO"),
            "reports.report.acknowledge": _("CQO report acknowledged by the principal"),
            "reports.report.void": _("CQO report voided"),
        }
    )
    signed_content_register("reports.cqoreport", selectors.signed_content)
    nav_link("duty.7.1.6", "reports:report_list")
    demo_builder_register(
        "reports", demo.build,
        after=("organisation", "authorities", "post", "decisions", "inspection", "anomalies_year",
               "incidents", "recall", "safety_regime", "costs_ledger"),
    )  # fmt: skip
