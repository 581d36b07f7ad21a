"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app, each in its part's module
or here."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.api.registry import api_urls_register

    from . import api

    # The whole app's API, each part's routes combined in ``api.py`` (registering the same list
    # again from another part is harmless).
    api_urls_register("anomalies/", api.urlpatterns, namespace="anomalies")
    register_ncr(app_label)
    register_complaints(app_label)


def register_ncr(app_label: str) -> None:
    """The NCR core: it hears the other domains' events (a rejected lot, an SPC alarm, a
    request for an NCR) and labels its audit actions."""
    from cqo.audit.labels import actions_register
    from cqo.masterdata import events

    from . import audit_actions, services_ncr

    actions_register(audit_actions.NCR)
    events.lot_rejected.connect(
        services_ncr.lot_rejected_receiver, dispatch_uid="anomalies.ncr.lot_rejected"
    )
    events.spc_alarm_raised.connect(
        services_ncr.spc_alarm_receiver, dispatch_uid="anomalies.ncr.spc_alarm"
    )
    events.anomaly_requested.connect(
        services_ncr.anomaly_requested_receiver, dispatch_uid="anomalies.ncr.requested"
    )


def register_complaints(app_label: str) -> None:
    """Customer complaints (§6 c)): rules, audit labels, the navigation entry, the overdue
    panel and its daily escalation to the CQO, the demo's complaints."""
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.notifications.services import reminder_register
    from cqo.workbench.nav import NavItem, nav_item_register
    from cqo.workbench.panels import Panel, cqo_in_office, panel_register

    from . import (
        audit_actions,
        demo_complaints,
        panels_complaints,
        tasks_complaints,
        views_complaints,
    )
    from . import rules_complaints as _rules  # noqa: F401 (the permissions, added on import)
    from .sections import section_register

    actions_register(audit_actions.COMPLAINTS)
    section_register(
        "complaints", order=70, template="anomalies/complaints/_ncr_section.html",
        context_fn=views_complaints.ncr_section_context,
    )  # fmt: skip
    nav_item_register(
        "authorities",
        NavItem("anomalies.complaints", _("Customer complaints"), clause("§6 c)"),
                "anomalies:complaint_list", perm="anomalies.view_complaint"),
    )  # fmt: skip
    panel_register(
        Panel(
            "complaints_overdue",
            _("Overdue complaint responses"),
            clause("§6 c)"),
            _("Customer complaints past their containment or 8D deadline will appear here "
              "until the response is recorded."),
            items=panels_complaints.overdue_complaint_items,
            roles=frozenset({"cqo", "deputy", "quality_engineer"}),
            audience=cqo_in_office,
            perm="anomalies.view_complaint",
            order=58,
            more_url_name="anomalies:complaint_list",
        )
    )  # fmt: skip
    reminder_register("anomalies.complaints", tasks_complaints.complaints_remind)
    demo_builder_register(
        "anomalies.complaints", demo_complaints.build,
        after=("organisation", "authorities", "masterdata", "inspection"),
        present=demo_complaints.present,
    )  # fmt: skip
