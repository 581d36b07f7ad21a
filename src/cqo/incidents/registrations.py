"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app."""

from __future__ import annotations


def register(app_label: str) -> None:
    register_incidents(app_label)
    register_penalties(app_label)
    register_costs(app_label)
    register_demo(app_label)
    register_report_sections(app_label)


def register_incidents(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.api.registry import api_urls_register
    from cqo.audit.labels import actions_register
    from cqo.authorities.catalogue import exercised_register
    from cqo.core.clauses import clause
    from cqo.notifications.services import reminder_register
    from cqo.workbench.nav import NavItem, nav_item_register, nav_link

    from . import api, audit_actions, panels, services_incidents

    actions_register(audit_actions.ACTIONS)
    panels.register()
    # §6 d) is exercised here: a delegate of it leads investigations and proposes penalties.
    exercised_register("d")
    nav_link("authority.d", "incidents:incident_list")
    nav_item_register(
        "authorities",
        NavItem("authority.d.penalties", _("Penalties"), clause("§6 d)"),
                "incidents:penalty_list"),
    )  # fmt: skip
    nav_item_register(
        "authorities",
        NavItem("authority.d.rules", _("Incident rules"), clause("§7.2.1.3"), "incidents:rules",
                "incidents.view_incidentrules"),
    )  # fmt: skip
    reminder_register(
        "incidents.report_overdue", services_incidents.incidents_report_overdue_remind
    )
    api_urls_register("incidents/", api.urlpatterns, namespace="incidents")


def register_penalties(app_label: str) -> None:
    from cqo.organisation.quality_record import quality_record_source_register

    from . import selectors

    # The appraisal reads a person's or unit's quality record without importing this app.
    quality_record_source_register("incidents", selectors.quality_record_entries)


def register_costs(app_label: str) -> None:
    from typing import cast

    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clause
    from cqo.core.costs import cost_source_register

    from . import services_costs

    cost_source_register(
        code=services_costs.SOURCE,
        label=cast(str, _("Quality incidents")),  # lazy: in the reader's language
        clause=clause("§7.1.5"),
        lines=services_costs.cost_lines,
    )


def register_demo(app_label: str) -> None:
    from cqo.core.demo import demo_builder_register

    from . import demo

    demo_builder_register("incidents", demo.build, after=("organisation", "authorities",
                                                          "masterdata"))  # fmt: skip


def register_report_sections(app_label: str) -> None:
    """The app's parts of the CQO's report to the decision layer (§7.1.6)."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clauses
    from cqo.core.report_sections import report_section_register

    from . import sections_report

    report_section_register(
        code="incidents.incidents", title=_("Quality-safety incidents"), clause=clauses("§6 d)", "§7.2.1.3"),
        order=650, build=sections_report.incidents_section, app=app_label,
    )  # fmt: skip
