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
    from cqo.audit.labels import actions_register
    from cqo.authorities.catalogue import exercised_register

    from . import audit_actions

    actions_register(audit_actions.PLANS)
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
