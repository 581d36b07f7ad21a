"""Labels of the audit actions of the SCAR part (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCAR: dict[str, Promise | str] = {
    "anomalies.scar.issue": _("SCAR issued to a supplier"),
    "anomalies.scar.link_reissue": _("New link of a SCAR issued"),
    "anomalies.scar.link_revoke": _("Link of a SCAR revoked"),
    "anomalies.scar.answer": _("Supplier answered a SCAR through its link"),
    "anomalies.scar.accept": _("Supplier's answer to a SCAR accepted"),
    "anomalies.scar.return": _("Supplier's answer to a SCAR returned"),
    "anomalies.scaranswer.accepted": _("Supplier's answer accepted"),
    "anomalies.scaranswer.returned": _("Supplier's answer returned"),
    "anomalies.scar.void": _("SCAR voided"),
}
