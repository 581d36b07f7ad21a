"""Everything this app registers with the kernel and the platform (decision 0005), called once
from the app config's ``ready()``. One function per part of the app, each in its part's module
or here."""

from __future__ import annotations


def register(app_label: str) -> None:
    register_ncr(app_label)


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
