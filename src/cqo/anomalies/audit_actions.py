"""Labels of the audit actions this app records (see ``cqo.audit.labels``). Shared by the app's
parts: each part appends its own table and registers it from its ``register_<part>()``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# --- complaints -------------------------------------------------------------------------------

COMPLAINTS: dict[str, Promise | str] = {
    "anomalies.complaint.record": _("Customer complaint recorded"),
    "anomalies.complaint.contain": _("Complaint containment recorded"),
    "anomalies.complaint.eightd": _("Complaint 8D report submitted"),
    "anomalies.complaint.close": _("Customer complaint closed"),
    "anomalies.complaint.reject": _("Customer complaint rejected"),
    "anomalies.complaint.withdraw": _("Customer complaint withdrawn"),
    "anomalies.complaint.void": _("Customer complaint voided"),
    "anomalies.complaintpolicy.create": _("Complaint response policy set"),
    "anomalies.complaintpolicy.update": _("Complaint response policy changed"),
    "anomalies.complaintpolicy.void": _("Complaint response policy retired"),
}
