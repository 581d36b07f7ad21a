from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterdataConfig(AppConfig):
    """Master data below the domain apps: items, characteristics, suppliers, customers, work
    centres, operations, instruments, lots, holds and shipments. Domains refer to it and publish
    events about it (``events``); it imports no domain app."""

    name = "cqo.masterdata"
    label = "masterdata"
    verbose_name = _("Master data")

    def ready(self) -> None:
        from cqo.api.registry import api_urls_register
        from cqo.authorities.catalogue import exercised_register
        from cqo.core.clauses import clause
        from cqo.workbench.nav import NavItem, nav_item_register

        from . import api, audit_actions, stock

        audit_actions.register()
        # Reference data of the gates (§6 e)), beside the enterprise's own organisation data.
        nav_item_register(
            "organisation",
            NavItem(
                "masterdata",
                _("Master data"),
                clause("§6 e)"),
                "masterdata:index",
                "masterdata.view_item",
            ),
        )
        api_urls_register("masterdata/", api.urlpatterns, namespace="masterdata")
        # §6 e): a delegate of the gatekeeping authority approves new suppliers.
        exercised_register("e")
        # The gate's audit labels, webhook events, and its hold on a vetoed lot.
        stock.register()
        # Holds on many lots at once (a recall's stop), audited as one batch.
        from . import holds_bulk

        holds_bulk.register()
        from . import (
            demo,  # the demo's master data (cqo demo)
            demo_genealogy,
        )

        demo.register()
        demo_genealogy.register()
