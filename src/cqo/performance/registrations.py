"""Everything this app registers with the kernel and the platform (decision 0005): its rules,
API, audit labels, navigation, the ``appraisal_round`` approval kind (signed by the CQO with an
e-signature, §6 g)), the authority §6 g) as exercised here, and its demo."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.api.registry import api_urls_register
    from cqo.audit.labels import actions_register
    from cqo.authorities.catalogue import exercised_register
    from cqo.authorities.kinds import approval_kind_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.core.report_sections import report_section_register
    from cqo.workbench.nav import NavItem, nav_item_register, nav_link

    from . import api, demo, sections_report, services
    from . import rules as _rules  # noqa: F401 (the permissions, added on import)

    api_urls_register("performance/", api.urlpatterns, namespace="performance")
    actions_register(
        {
            "performance.objective.create": _("Quality objective set"),
            "performance.objective.void": _("Quality objective voided"),
            "performance.actual.enter": _("Objective actual entered with evidence"),
            "performance.round.create": _("Appraisal round set up"),
            "performance.round.weight": _("Objective weighed in an appraisal round"),
            "performance.round.propose": _("Appraisal scores computed and proposed"),
            "performance.round.review": _("Appraisal scores reviewed and sent for signature"),
            "performance.round.sign": _("Appraisal round signed by the CQO"),
            "performance.round.return": _("Appraisal round returned"),
            "performance.round.withdraw": _("Appraisal round withdrawn from signature"),
            "performance.appeal.raise": _("Appraisal appealed"),
            "performance.appeal.answer": _("Appraisal appeal answered"),
        }
    )
    exercised_register("g")
    approval_kind_register(
        code=services.KIND_ROUND,
        label=_("Appraisal round"),
        clause=clause("§6 g)"),
        subject_models=["performance.appraisalround"],
        on_decided=services.round_approval_decided,
        on_withdrawn=services.round_approval_withdrawn,
        signed_content=services.round_content,
        app=app_label,
        raised_from_subject=True,
    )
    nav_link("duty.7.1.2", "performance:objective_list")
    nav_link("authority.g", "performance:round_list")
    nav_item_register(
        "duties",
        NavItem("duty.7.1.7.mine", _("My quality appraisal"), "§6 g), §7.1.7",
                "performance:my_appraisal"),
        group_key="duties.general",
    )  # fmt: skip
    demo_builder_register(
        "performance", demo.build,
        after=("organisation", "authorities", "masterdata", "inspection", "anomalies",
               "anomalies_year", "anomalies.complaints", "incidents", "costs_ledger"),
        present=demo.present,
    )  # fmt: skip
    report_section_register(
        code="performance.objectives", title=_("Quality objectives"), clause="§7.1.2",
        order=100, build=sections_report.objectives_section, app=app_label,
    )  # fmt: skip
