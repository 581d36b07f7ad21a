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
    register_demo(app_label)
    register_report_sections(app_label)

    from . import metrics

    metrics.register(app_label)


def register_plans(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.authorities.catalogue import exercised_register
    from cqo.authorities.kinds import approval_kind_register
    from cqo.core.clauses import clause

    from . import audit_actions, services_plans

    actions_register(audit_actions.PLANS)
    # §6 c): a plan version is put in force by approval through the inbox, raised from its page.
    approval_kind_register(
        code=services_plans.KIND_INSPECTION_PLAN,
        label=_("Inspection plan"),
        clause=clause("§6 c)"),
        subject_models=["inspection.inspectionplan"],
        on_decided=services_plans.plan_approval_decided,
        on_withdrawn=services_plans.plan_approval_withdrawn,
        app=app_label,
        raised_from_subject=True,
    )
    # §6 e) is exercised here: a delegate of it resumes discontinued streams and allows reduced
    # inspection (switching), and the gates themselves are its subject.
    exercised_register("e")


def register_lots(app_label: str) -> None:
    from cqo.api.registry import api_urls_register
    from cqo.audit.labels import actions_register
    from cqo.workbench.nav import nav_link

    from . import api, audit_actions

    actions_register(audit_actions.LOTS)
    nav_link("authority.e", "inspection:lot_list")
    # The whole app's API, each part's routes combined in ``api.py``.
    api_urls_register("inspection/", api.urlpatterns, namespace="inspection")


def register_results(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.authorities.kinds import approval_kind_register
    from cqo.core.clauses import clause

    from . import audit_actions, services_results

    actions_register(audit_actions.RESULTS)
    # §6 c): a concession is an approval request on the concession record; its handlers move
    # the concession and the lot, and the approver signs the lot's evidence with it.
    approval_kind_register(
        code=services_results.KIND_CONCESSION,
        label=_("Concession on an inspection lot"),
        clause=clause("§6 c)"),
        subject_models=["inspection.concession"],
        on_decided=services_results.concession_approval_decided,
        on_withdrawn=services_results.concession_approval_withdrawn,
        signed_content=services_results.concession_content,
        app=app_label,
        raised_from_subject=True,
    )


def register_gate(app_label: str) -> None:
    """The gate (§6 e)): the inspection's word on a lot for ``masterdata.stock``, the pages of
    shipments and lots on hold in the navigation."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clause
    from cqo.masterdata import stock
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import services_gate

    stock.lot_verdict_register(services_gate.lot_verdict)
    gate = clause("§6 e)")
    nav_item_register(
        "authorities",
        NavItem("authority.e.shipments", _("Shipments (outgoing release)"), gate,
                "inspection:shipment_list", "masterdata.view_shipment"),
    )  # fmt: skip
    nav_item_register(
        "authorities",
        NavItem("authority.e.holds", _("Lots on hold"), gate, "inspection:hold_list",
                "masterdata.view_lothold"),
    )  # fmt: skip


def register_spc(app_label: str) -> None:
    """SPC on the measurements (§7.2.3.2): the monitoring job hears recorded results, the alarms
    panel, the navigation entry, the audit labels."""
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.workbench.nav import nav_link
    from cqo.workbench.panels import Panel, panel_register

    from . import panels_spc, services_spc, signals, tasks_spc

    del tasks_spc  # imported so the job queue knows the job
    signals.results_recorded.connect(
        services_spc.results_recorded_receiver, dispatch_uid="inspection.spc.results_recorded"
    )
    nav_link("duty.7.2.3.2", "inspection:spc_index")
    panel_register(
        Panel(
            "spc_alarms",
            _("SPC alarms"),
            services_spc.CLAUSE_SPC,
            _("Run-rule signals on monitored control charts will appear here until they are "
              "acknowledged or closed with a note."),
            items=panels_spc.spc_alarm_items,
            roles=frozenset({"quality_engineer", "cqo", "deputy", "inspector"}),
            perm="inspection.view_spcalarm",
            order=55,
            more_url_name="inspection:spc_alarm_list",
        )
    )  # fmt: skip
    actions_register(
        {
            "inspection.controllimits.freeze": _("SPC control limits frozen"),
            "inspection.controllimits.supersede": _("SPC control limits superseded"),
            "inspection.spcalarm.raise": _("SPC alarm raised"),
            "inspection.spcalarm.acknowledge": _("SPC alarm acknowledged"),
            "inspection.spcalarm.close": _("SPC alarm closed"),
        }
    )


def register_suppliers(app_label: str) -> None:
    from django.db.backends.signals import connection_created
    from django.utils.translation import gettext_lazy as _

    from cqo.workbench.nav import NavItem, nav_item_register

    from . import panels, selectors_suppliers

    panels.register()
    # The lead time's percentiles are an aggregate PostgreSQL has and SQLite gets here.
    connection_created.connect(
        selectors_suppliers.sqlite_functions_register, dispatch_uid="inspection.sqlite_percentile"
    )
    nav_item_register(
        "authorities",
        NavItem(
            "inspection.suppliers", _("Supplier quality"), "§6 e)",
            "inspection:supplier_ranking", perm=selectors_suppliers.PERM,
        ),
    )  # fmt: skip
    nav_item_register(
        "authorities",
        NavItem(
            "inspection.queue", _("Lots to inspect"), "§6 e)", "inspection:queue",
            perm="inspection.view_inspectionlot",
        ),
    )  # fmt: skip


def register_demo(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.demo import demo_builder_register

    from . import demo

    actions_register({"inspection.demo.bulk": _("Demo inspection records written in bulk")})

    demo_builder_register(
        "inspection", demo.build, after=("organisation", "authorities", "masterdata"),
        present=demo.present,
    )  # fmt: skip


def register_report_sections(app_label: str) -> None:
    """The app's parts of the CQO's report to the decision layer (§7.1.6)."""
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clauses
    from cqo.core.report_sections import report_section_register

    from . import sections_report

    report_section_register(
        code="inspection.results", title=_("Inspection results"), clause=clauses("§6 e)"),
        order=400, build=sections_report.inspection_section, app=app_label,
    )  # fmt: skip
    report_section_register(
        code="inspection.suppliers", title=_("Supplier results"), clause=clauses("§6 e)"),
        order=420, build=sections_report.supplier_section, app=app_label,
    )  # fmt: skip
    report_section_register(
        code="inspection.spc", title=_("SPC and process capability"), clause=clauses("§7.2.3.2"),
        order=450, build=sections_report.spc_section, app=app_label,
    )  # fmt: skip
