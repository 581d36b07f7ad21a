"""Labels of the audit actions this app records (see ``cqo.audit.labels``). Shared by the app's
parts: each part appends its own table and registers it from its ``register_<part>()``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# --- plans and lots (sampling) ----------------------------------------------------------------

PLANS: dict[str, Promise | str] = {
    "inspection.plan.create": _("Inspection plan drafted"),
    "inspection.plan.update": _("Inspection plan edited"),
    "inspection.plan.version": _("New version of an inspection plan drafted"),
    "inspection.plan.submitted": _("Inspection plan submitted"),
    "inspection.plan.approved": _("Inspection plan approved"),
    "inspection.plan.returned": _("Inspection plan returned"),
    "inspection.plan.superseded": _("Inspection plan superseded"),
    "inspection.plan.import": _("Inspection plans imported"),
}

LOTS: dict[str, Promise | str] = {
    "inspection.lot.create": _("Inspection lot drawn"),
    "inspection.receipt.import": _("Receipts imported"),
    "inspection.stream.switch": _("Inspection severity switched"),
    "inspection.stream.reduced_approve": _("Reduced inspection approved"),
    "inspection.stream.reduced_withdraw": _("Reduced inspection withdrawn"),
    "inspection.reducedtable.import": _("Table 2-C imported"),
}

# --- results, decisions, concessions, dispositions (results) ----------------------------------

RESULTS: dict[str, Promise | str] = {
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
