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
    pass


def register_gate(app_label: str) -> None:
    pass


def register_spc(app_label: str) -> None:
    pass


def register_suppliers(app_label: str) -> None:
    pass
