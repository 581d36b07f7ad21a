"""Labels of the audit actions this app records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise | str] = {
    "incidents.rules.set": _("Incident rules set (new version)"),
    "incidents.incident.report": _("Quality incident reported"),
    "incidents.incident.level": _("Incident level set"),
    "incidents.incident.report_onward": _("Incident reported onward under the rules"),
    "incidents.incident.ncr_request": _("Nonconformance requested from an incident"),
    "incidents.incident.close": _("Quality incident closed"),
    "incidents.incident.void": _("Quality incident voided"),
    "incidents.investigation.open": _("Incident investigation opened"),
    "incidents.investigation.findings": _("Incident facts and causes recorded"),
    "incidents.investigation.conclude": _("Incident investigation concluded"),
    "incidents.team.add": _("Investigation team member added"),
    "incidents.timeline.add": _("Incident timeline entry recorded"),
    "incidents.responsibility.add": _("Incident responsibility recorded"),
    "incidents.cost.add": _("Incident cost recorded"),
    "incidents.incidentcost.void": _("Incident cost voided"),
    "incidents.penalty.propose": _("Penalty proposed"),
    "incidents.penalty.notify": _("Person told of a proposed penalty"),
    "incidents.penalty.hear": _("Person heard on a proposed penalty"),
    "incidents.penalty.decide": _("Penalty decided"),
    "incidents.penalty.revise": _("Penalty decision revised"),
    "incidents.penalty.withdraw": _("Penalty withdrawn"),
}
