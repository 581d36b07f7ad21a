"""Labels of the audit actions this app records (see ``cqo.audit.labels``). Voids use the
generic label (``<model>.void``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register() -> None:
    actions_register(
        {
            "masterdata.item.create": _("Item created"),
            "masterdata.item.update": _("Item changed"),
            "masterdata.characteristic.create": _("Characteristic created"),
            "masterdata.characteristic.update": _("Characteristic changed"),
            "masterdata.supplier.create": _("Supplier created"),
            "masterdata.supplier.update": _("Supplier changed"),
            "masterdata.supplier.approve": _("Supplier approved"),
            "masterdata.supplier.status": _("Supplier status changed"),
            "masterdata.approvedsupplier.create": _("Supplier approved for an item"),
            "masterdata.approvedsupplier.update": _("Approved-supplier entry changed"),
            "masterdata.customer.create": _("Customer created"),
            "masterdata.customer.update": _("Customer changed"),
            "masterdata.workcentre.create": _("Work centre created"),
            "masterdata.workcentre.update": _("Work centre changed"),
            "masterdata.operation.create": _("Operation created"),
            "masterdata.operation.update": _("Operation changed"),
            "masterdata.instrument.create": _("Measuring instrument registered"),
            "masterdata.instrument.update": _("Measuring instrument changed"),
            "masterdata.lot.create": _("Lot recorded"),
            "masterdata.genealogyfeed.post": _("Genealogy links recorded"),
            "masterdata.genealogyfeed.void": _("Genealogy feed voided"),
            "masterdata.serialnumber.create": _("Serial number recorded"),
            "masterdata.genealogy.demo_bulk": _("Demo genealogy written in bulk"),
        }
    )
