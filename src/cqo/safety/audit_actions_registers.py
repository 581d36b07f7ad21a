"""Labels of the audit actions the registers part records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise | str] = {
    "safety.source.add": _("Requirement source entered"),
    "safety.source.update": _("Requirement source corrected"),
    "safety.source.version": _("New version of a requirement source recorded"),
    "safety.requirementsource.void": _("Requirement source voided"),
    "safety.review.open": _("Impact review opened"),
    "safety.review.close": _("Impact review closed"),
    "safety.requirement.add": _("Safety requirement entered"),
    "safety.requirement.update": _("Safety requirement changed"),
    "safety.requirement.void": _("Safety requirement voided"),
    "safety.matrix.set": _("Risk matrix configured"),
    "safety.risk.add": _("Risk entered in the risk register"),
    "safety.risk.update": _("Risk changed"),
    "safety.risk.void": _("Risk voided"),
    "safety.control.add": _("Risk control added"),
    "safety.riskcontrol.void": _("Risk control voided"),
    "safety.controllist.publish": _("Risk-control list published"),
    "safety.post.acknowledge": _("Key-post responsibilities acknowledged"),
}
