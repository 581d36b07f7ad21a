"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``: the app's API mount here, then each part's own function."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.api.registry import api_urls_register

    from . import api, registrations_case, registrations_clocks

    api_urls_register("recall/", api.urlpatterns, namespace="recall")
    registrations_case.register(app_label)
    registrations_clocks.register(app_label)
    register_report_sections(app_label)


def register_report_sections(app_label: str) -> None:
    """The app's parts of the CQO's report to the decision layer (§7.1.6)."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clauses
    from cqo.core.report_sections import report_section_register

    from . import sections_report

    report_section_register(
        code="recall.cases", title=_("Recalls"), clause=clauses("§7.2.1.4"),
        order=700, build=sections_report.recall_section, app=app_label,
    )  # fmt: skip
