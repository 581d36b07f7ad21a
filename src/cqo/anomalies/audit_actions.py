"""The labels of the app's audit actions, per part (registered with ``audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NCR: dict[str, Promise | str] = {
    "anomalies.anomaly.raise": _("Nonconformance report raised"),
    "anomalies.anomaly.lot_add": _("Lot added to a nonconformance report"),
    "anomalies.anomaly.contain": _("Lots of a nonconformance report held"),
    "anomalies.anomaly.hold_lift": _("Hold of a nonconformance report lifted"),
    "anomalies.anomaly.sort": _("Sorting result recorded"),
    "anomalies.anomaly.notify": _("Customer notified of a nonconformance"),
    "anomalies.anomaly.status": _("Status of a nonconformance report changed"),
    "anomalies.anomaly.assign": _("Quality engineer of a nonconformance report named"),
    "anomalies.anomaly.close": _("Nonconformance report closed"),
    "anomalies.anomaly.void": _("Nonconformance report voided"),
    "anomalies.defectcode.create": _("Defect code added"),
    "anomalies.defectcode.update": _("Defect code changed"),
    "anomalies.defectcode.import": _("Defect catalogue imported"),
    "anomalies.defectcode.void": _("Defect code voided"),
}

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
