"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app, each in its part's module
or here."""

from __future__ import annotations


def register(app_label: str) -> None:
    register_ncr(app_label)


def register_ncr(app_label: str) -> None:
    """The NCR core: it hears the other domains' events (a rejected lot, an SPC alarm, a
    request for an NCR), mounts the app's API, puts the NCR list under §6 c) in the navigation
    and labels its audit actions."""
    from django.utils.translation import gettext_lazy as _

    from cqo.api.registry import api_urls_register
    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.masterdata import events
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import api, audit_actions, services_ncr

    actions_register(audit_actions.NCR)
    # The whole app's API, each part's routes combined in ``api.py``.
    api_urls_register("anomalies/", api.urlpatterns, namespace="anomalies")
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
