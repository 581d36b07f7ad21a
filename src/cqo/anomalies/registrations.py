"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app, each in its part's module
or here."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.api.registry import api_urls_register

    from . import api

    # The whole app's API, each part's routes combined in ``api.py``.
    api_urls_register("anomalies/", api.urlpatterns, namespace="anomalies")
    register_ncr(app_label)
    register_mrb(app_label)
    register_analysis(app_label)
    register_scar(app_label)
    register_capa(app_label)
    register_complaints(app_label)
    register_report_sections(app_label)

    from . import metrics

    metrics.register(app_label)


def register_ncr(app_label: str) -> None:
    """The NCR core: it hears the other domains' events (a rejected lot, an SPC alarm, a
    request for an NCR), mounts the app's API, puts the NCR list under §6 c) in the navigation
    and labels its audit actions."""
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.masterdata import events
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import audit_actions, demo_ncr, services_ncr

    actions_register(audit_actions.NCR)
    nav_item_register(
        "authorities",
        NavItem("authority.c.ncrs", _("Nonconformance reports"), clause("§6 c)"),
                "anomalies:ncr_list", "anomalies.view_anomaly"),
    )  # fmt: skip
    events.lot_rejected.connect(
        services_ncr.lot_rejected_receiver, dispatch_uid="anomalies.ncr.lot_rejected"
    )
    events.spc_alarm_raised.connect(
        services_ncr.spc_alarm_receiver, dispatch_uid="anomalies.ncr.spc_alarm"
    )
    events.anomaly_requested.connect(
        services_ncr.anomaly_requested_receiver, dispatch_uid="anomalies.ncr.requested"
    )
    # The NCR core's demo slice; the app's other parts read it (after=("anomalies", ...)).
    demo_builder_register(
        "anomalies", demo_ncr.build, after=("organisation", "masterdata", "inspection"),
        present=demo_ncr.present,
    )  # fmt: skip


def register_mrb(app_label: str) -> None:
    """The review board (§6 c)): its rules, audit labels, the ``ncr_disposition`` approval kind,
    the review and costs sections of the NCR page, its closure condition, and the app's cost
    source for the ledger (§7.1.5)."""
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.authorities.kinds import approval_kind_register
    from cqo.core.clauses import clause
    from cqo.core.costs import cost_source_register
    from cqo.core.demo import demo_builder_register

    from . import demo_mrb, rules_mrb, services_costs, services_mrb, views_mrb
    from .closure import closure_obstacle_register
    from .sections import section_register

    del rules_mrb  # imported for its rules
    actions_register(
        {
            "anomalies.reviewopinion.create": _("Review board opinion recorded"),
            "anomalies.reviewopinion.void": _("Review board opinion voided"),
            "anomalies.disposition.create": _("Disposition proposed"),
            "anomalies.disposition.decided": _("Disposition decided"),
            "anomalies.disposition.rejected": _("Disposition rejected"),
            "anomalies.disposition.withdrawn": _("Disposition withdrawn"),
            "anomalies.disposition.done": _("Disposition carried out"),
            "anomalies.disposition.void": _("Disposition voided"),
            "anomalies.disposition.lot_release": _("Lot conditionally released by concession"),
            "anomalies.disposition.lot_release_quantity": _("Quantity released by concession"),
            "anomalies.reviewpolicy.update": _("Review policy changed"),
            "anomalies.costentry.create": _("Cost recorded"),
            "anomalies.costentry.void": _("Cost voided"),
        }
    )
    # §6 c): a disposition the policy sends to the CQO is an approval request on it, raised from
    # the NCR's page; the handlers decide it and release a concession's lot.
    approval_kind_register(
        code=services_mrb.KIND_DISPOSITION,
        label=_("Disposition of a nonconformance"),
        clause=clause("§6 c)"),
        subject_models=["anomalies.disposition"],
        on_decided=services_mrb.disposition_approval_decided,
        on_withdrawn=services_mrb.disposition_approval_withdrawn,
        signed_content=services_mrb.disposition_content,
        app=app_label,
        raised_from_subject=True,
    )
    section_register("mrb", 30, "anomalies/mrb/_section.html", views_mrb.review_section_context)
    section_register(
        "costs", 40, "anomalies/costs/_section.html", views_mrb.ncr_cost_section_context
    )
    closure_obstacle_register("mrb", services_mrb.closure_obstacles)
    services_costs.cost_record_register("anomalies.anomaly", "anomalies:ncr_detail")
    cost_source_register(
        code=services_costs.SOURCE,
        label=_("Nonconformities and complaints"),
        clause=clause("§7.1.5"),
        lines=services_costs.cost_lines,
    )
    # After the inspection year, whose rejected lots opened their NCRs.
    demo_builder_register(
        "anomalies_mrb", demo_mrb.build,
        after=("organisation", "authorities", "masterdata", "inspection", "anomalies"),
        present=demo_mrb.present,
    )  # fmt: skip


def register_analysis(app_label: str) -> None:
    """The analysis of nonconformances: who reads it, the CQO's panels (NCR Pareto, ageing),
    the navigation entry."""
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import demo_year, panels_analysis, rules_analysis, selectors_analysis

    rules_analysis.register()
    panels_analysis.register()
    actions_register({"anomalies.demo.bulk": _("Demo nonconformance reports written in bulk")})
    # The rest of the demo year's NCRs, after the scenarios raised through the services.
    demo_builder_register(
        "anomalies_year", demo_year.build, after=("anomalies_mrb",),
    )  # fmt: skip
    nav_item_register(
        "authorities",
        NavItem(
            "anomalies.analysis", _("Nonconformance analysis"), clause("§6 c)"),
            "anomalies:analysis", perm=selectors_analysis.PERM,
        ),
    )  # fmt: skip


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
    from .services_costs import cost_record_register

    actions_register(audit_actions.COMPLAINTS)
    # Claims, returns and freight are the review board part's cost lines on the complaint.
    cost_record_register("anomalies.complaint", "anomalies:complaint_detail")
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


def register_scar(app_label: str) -> None:
    """Supplier corrective action requests (§7.1.4): the permissions, the audit labels, the
    navigation entry, the SCAR part of the supplier score, the daily reminder, the demo."""
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.masterdata.scores import ScoreFigure, supplier_score_part_register
    from cqo.notifications.services import reminder_register
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import (
        audit_actions_scar,
        demo_scar,
        rules_scar,
        selectors_scar,
        services_scar,
        views_scar,
    )
    from .closure import closure_obstacle_register
    from .sections import section_register

    del rules_scar  # imported for its rules
    actions_register(audit_actions_scar.SCAR)
    nav_item_register(
        "duties",
        NavItem("anomalies.scar", _("Supplier corrective action"), clause("§7.1.4"),
                "anomalies:scar_list", perm=selectors_scar.VIEW),
        group_key="duties.general",
    )  # fmt: skip
    supplier_score_part_register(
        code="scar",
        label=_("Supplier corrective action requests"),
        clause=clause("§7.1.4"),
        figures=[
            ScoreFigure("open", _("SCARs open"), _("Requests not yet closed by an accepted answer, now.")),
            ScoreFigure("issued", _("SCARs issued"), _("Requests issued in the period.")),
            ScoreFigure("late", _("SCAR answers late"), _("Answers after the due date, and requests never answered still past it.")),
            ScoreFigure("returned", _("SCAR answers returned"), _("Answers the quality engineer returned as insufficient.")),
        ],
        compute=selectors_scar.supplier_scar_figures,
    )  # fmt: skip
    reminder_register("anomalies.scar_overdue", services_scar.scar_reminders_run)
    section_register("scar", 60, "anomalies/scar/_section.html", views_scar.ncr_section)
    closure_obstacle_register("scar", services_scar.closure_obstacles)
    # After the inspection demo, whose rejected incoming lots open the NCRs the SCARs come from.
    demo_builder_register(
        "anomalies.scar", demo_scar.build,
        after=("organisation", "authorities", "masterdata", "inspection", "anomalies"),
        present=demo_scar.present,
    )  # fmt: skip


def register_capa(app_label: str) -> None:
    """Corrective action and 8D (§7.1.4): see ``registrations_capa``."""
    from .registrations_capa import register_capa as register

    register(app_label)


def register_report_sections(app_label: str) -> None:
    """The app's parts of the CQO's report to the decision layer (§7.1.6)."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clauses
    from cqo.core.report_sections import report_section_register

    from . import sections_report

    report_section_register(
        code="anomalies.ncr_capa", title=_("Nonconformance reports and CAPA"), clause=clauses("§6 c)", "§7.1.4"),
        order=500, build=sections_report.ncr_capa_section, app=app_label,
    )  # fmt: skip
    report_section_register(
        code="anomalies.complaints", title=_("Customer complaints"), clause=clauses("§7.1.4"),
        order=600, build=sections_report.complaints_section, app=app_label,
    )  # fmt: skip
