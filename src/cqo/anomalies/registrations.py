"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app, each in its part's module
or here."""

from __future__ import annotations


def register(app_label: str) -> None:
    register_api(app_label)
    register_ncr(app_label)
    register_capa(app_label)


def register_api(app_label: str) -> None:
    """The whole app's API, each part's routes combined in ``api.py``."""
    from cqo.api.registry import api_urls_register

    from . import api

    api_urls_register("anomalies/", api.urlpatterns, namespace="anomalies")


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


def register_capa(app_label: str) -> None:
    from .registrations_capa import register_capa as register

    register(app_label)
