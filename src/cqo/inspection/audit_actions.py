"""Labels of the audit actions this app records (see ``cqo.audit.labels``); each part appends."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register_results() -> None:
    actions_register(
        {
            "inspection.results.record": _("Inspection results recorded"),
            "inspection.measurement.void": _("Inspection result voided"),
            "inspection.attachment.add": _("Inspection photo or report attached"),
            "inspection.inspectionattachment.void": _("Inspection photo or report voided"),
            "inspection.inspectionlot.decide": _("Usage decision made"),
            "inspection.inspectionlot.conditional": _("Lot conditionally released by concession"),
            "inspection.concession.raise": _("Concession raised"),
            "inspection.concession.consent": _("Customer consent recorded on a concession"),
            "inspection.concession.approved": _("Concession approved"),
            "inspection.concession.rejected": _("Concession rejected"),
            "inspection.concession.withdrawn": _("Concession withdrawn"),
            "inspection.disposition.create": _("Disposition of a rejected lot recorded"),
            "inspection.disposition.void": _("Disposition voided"),
        }
    )
