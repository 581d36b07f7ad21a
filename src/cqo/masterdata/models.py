"""Master data shared by the domains: what is inspected, bought, made, measured and shipped.

It sits below the domain apps (inspection, anomalies, traceability and recall, cost) so each can
refer to an item, a supplier or a lot without importing another domain. The lot lives here, with
its stock status and its holds, because every domain acts on it: inspection releases or rejects
it (§6 e)), an anomaly holds it (§6 c)), a recall traces it (§7.1.3), the CQO may veto its
release (§6 i)).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.authorities.vetoable import VetoableMixin, VetoFlow
from cqo.core.models import Voidable
from cqo.organisation.validators import validate_credit_code

USER = settings.AUTH_USER_MODEL


class Gate(models.TextChoices):
    """The three inspection gates the CQO keeps (§6 e))."""

    IQC = "iqc", _("Incoming (IQC)")
    IPQC = "ipqc", _("In-process (IPQC)")
    OQC = "oqc", _("Outgoing (OQC)")


class GateBehaviour(models.TextChoices):
    BLOCK = "block", _("Block")
    WARN = "warn", _("Warn")


class ItemKind(models.TextChoices):
    MATERIAL = "material", _("Material")
    PART = "part", _("Part")
    PRODUCT = "product", _("Product")


class Item(Voidable):
    part_number = models.CharField(_("part number"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    drawing_number = models.CharField(_("drawing number"), max_length=60, blank=True)
    revision = models.CharField(_("revision"), max_length=20, blank=True)
    uom = models.CharField(_("unit of measure"), max_length=20, default="pcs")
    # Items that share a defect catalogue (the anomalies' defect codes are kept per family).
    family = models.CharField(_("item family"), max_length=60, blank=True, db_index=True)
    gate_iqc = models.CharField(
        _("incoming gate"), max_length=5, choices=GateBehaviour.choices, default=GateBehaviour.BLOCK
    )
    gate_ipqc = models.CharField(
        _("in-process gate"),
        max_length=5,
        choices=GateBehaviour.choices,
        default=GateBehaviour.BLOCK,
    )
    gate_oqc = models.CharField(
        _("outgoing gate"), max_length=5, choices=GateBehaviour.choices, default=GateBehaviour.BLOCK
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["part_number"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.part_number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterdata:item_detail", args=[self.pk])

    def gate_behaviour(self, gate: str) -> str:
        return str(getattr(self, f"gate_{gate}"))


class CharacteristicKind(models.TextChoices):
    VARIABLE = "variable", _("Variable (measured)")
    ATTRIBUTE = "attribute", _("Attribute (counted)")


class DefectClass(models.TextChoices):
    """Classes of nonconformity; each has its own AQL in a sampling plan (GB/T 2828.1)."""

    CR = "CR", _("Critical (CR)")
    MA = "MA", _("Major (MA)")
    MI = "MI", _("Minor (MI)")


class Characteristic(Voidable):
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="characteristics"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CharacteristicKind.choices)
    defect_class = models.CharField(
        _("defect class"), max_length=2, choices=DefectClass.choices, default=DefectClass.MA
    )
    nominal = models.DecimalField(
        _("nominal"), null=True, blank=True, max_digits=18, decimal_places=6
    )
    lsl = models.DecimalField(
        _("lower specification limit"), null=True, blank=True, max_digits=18, decimal_places=6
    )
    usl = models.DecimalField(
        _("upper specification limit"), null=True, blank=True, max_digits=18, decimal_places=6
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    method = models.CharField(_("inspection method"), max_length=200, blank=True)
    instrument_type = models.CharField(_("instrument type"), max_length=100, blank=True)
    special = models.BooleanField(
        _("special characteristic"),
        default=False,
        help_text=_("Marked ★ on drawings and plans; its capability is watched."),
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item_id", "sequence", "id"]
        verbose_name = _("characteristic")
        verbose_name_plural = _("characteristics")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "code"],
                condition=Q(voided_at__isnull=True),
                name="masterdata_characteristic_code_unique",
                violation_error_message=_("The item already has a characteristic with this code."),
            ),
            models.CheckConstraint(
                condition=Q(lsl__isnull=True) | Q(usl__isnull=True) | Q(lsl__lt=models.F("usl")),
                name="masterdata_characteristic_limits_in_order",
                violation_error_message=_("The lower limit must be below the upper limit."),
            ),
        ]

    def __str__(self) -> str:
        star = "★ " if self.special else ""
        return f"{star}{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterdata:characteristic_detail", args=[self.pk])


class SupplierStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Awaiting approval")
    QUALIFIED = "qualified", _("Qualified")
    CONDITIONAL = "conditional", _("Conditional")
    SUSPENDED = "suspended", _("Suspended")
    DISQUALIFIED = "disqualified", _("Disqualified")


# Receipts from these suppliers are refused at the incoming gate.
SUPPLIER_BLOCKED = (SupplierStatus.CANDIDATE, SupplierStatus.SUSPENDED, SupplierStatus.DISQUALIFIED)


class Supplier(VetoableMixin, Voidable):
    # Approving a new supplier is a business decision the CQO may veto (§6 i)).
    veto_flow = VetoFlow(
        "status",
        (SupplierStatus.CANDIDATE, SupplierStatus.QUALIFIED),
        final=(SupplierStatus.QUALIFIED,),
    )

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        db_index=True,
        validators=[validate_credit_code],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SupplierStatus.choices, default=SupplierStatus.CANDIDATE
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterdata:supplier_detail", args=[self.pk])


class ApprovedSupplier(Voidable):
    """The approved-supplier list: which suppliers may deliver which item."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="approved_suppliers"
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="approved_items",
    )
    since = models.DateField(_("approved since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item_id", "supplier_id"]
        verbose_name = _("approved supplier")
        verbose_name_plural = _("approved suppliers")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "supplier"],
                condition=Q(voided_at__isnull=True),
                name="masterdata_asl_unique",
                violation_error_message=_("The supplier is already approved for this item."),
            )
        ]


class Customer(Voidable):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterdata:customer_detail", args=[self.pk])


class WorkCentre(Voidable):
    """A production line or cell: in-process inspection keeps its switching state per line."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("work centre")
        verbose_name_plural = _("work centres")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterdata:workcentre_detail", args=[self.pk])


class Operation(Voidable):
    """A step of an item's routing, done at a work centre."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="operations"
    )
    sequence = models.PositiveIntegerField(_("operation number"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    work_centre = models.ForeignKey(
        WorkCentre, verbose_name=_("work centre"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["item_id", "sequence"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "sequence"],
                condition=Q(voided_at__isnull=True),
                name="masterdata_operation_unique",
                violation_error_message=_("The item already has an operation with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterdata:operation_detail", args=[self.pk])


class InstrumentStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")


class Instrument(Voidable):
    """A measuring instrument. Every result names the one that measured it, so the metrology
    module can later trace an out-of-tolerance instrument to what it measured (§7.2.3.1)."""

    number = models.CharField(_("instrument number"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    instrument_type = models.CharField(_("instrument type"), max_length=100)
    range_low = models.DecimalField(
        _("range from"), null=True, blank=True, max_digits=18, decimal_places=6
    )
    range_high = models.DecimalField(
        _("range to"), null=True, blank=True, max_digits=18, decimal_places=6
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    resolution = models.DecimalField(
        _("resolution"), null=True, blank=True, max_digits=18, decimal_places=6
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    owner_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstrumentStatus.choices,
        default=InstrumentStatus.IN_USE,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("measuring instrument")
        verbose_name_plural = _("measuring instruments")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("masterdata:instrument_detail", args=[self.pk])


class LotOrigin(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    PRODUCTION = "production", _("Production")


class StockStatus(models.TextChoices):
    QUARANTINE = "quarantine", _("Quarantine")
    CONDITIONAL = "conditional", _("Conditionally released")
    RELEASED = "released", _("Released")
    REJECTED = "rejected", _("Rejected")
    HELD = "held", _("Held")


class Lot(VetoableMixin, Voidable):
    """A quantity of one item that moves as one: received from a supplier or made on a line.
    Its release for use or shipment is a decision the CQO may veto (§6 i))."""

    veto_flow = VetoFlow(
        "stock_status",
        (StockStatus.QUARANTINE, StockStatus.CONDITIONAL, StockStatus.RELEASED),
        final=(StockStatus.RELEASED,),
    )

    number = models.CharField(_("lot number"), max_length=60, unique=True)
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="lots"
    )
    origin = models.CharField(_("origin"), max_length=12, choices=LotOrigin.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lots",
    )
    supplier_batch = models.CharField(_("supplier batch"), max_length=60, blank=True)
    order_number = models.CharField(_("order number"), max_length=60, blank=True)
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_centre = models.ForeignKey(
        WorkCentre,
        verbose_name=_("work centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    arrived_on = models.DateField(_("date"))
    stock_status = models.CharField(
        _("stock status"),
        max_length=12,
        choices=StockStatus.choices,
        default=StockStatus.QUARANTINE,
        db_index=True,
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-arrived_on", "-id"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        indexes = [
            models.Index(
                fields=["stock_status", "supplier", "-arrived_on"], name="md_lot_status_supplier"
            ),
            models.Index(fields=["item", "-arrived_on"], name="md_lot_item"),
            # The unfiltered lot list, newest first, read a page at a time at 100,000 lots.
            models.Index(fields=["-arrived_on", "-id"], name="md_lot_arrived"),
            # A recall starts from the supplier's batch number (lots_of_supplier_batch).
            models.Index(fields=["supplier_batch"], name="md_lot_supplier_batch"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="masterdata_lot_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
            models.UniqueConstraint(
                fields=["supplier", "item", "supplier_batch"],
                condition=Q(voided_at__isnull=True) & ~Q(supplier_batch=""),
                name="masterdata_lot_supplier_batch_unique",
                violation_error_message=_("This supplier batch of the item was already received."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("masterdata:lot_detail", args=[self.pk])


class LotHold(Voidable):
    """A hold on a lot, placed by any domain (an anomaly, a recall, a veto): the lot cannot be
    released while one is open. Holds are never deleted; lifting one records who and why."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="holds"
    )
    reason = models.TextField(_("reason"))
    clause = models.CharField(_("clause"), max_length=20)
    source = models.CharField(
        _("source"), max_length=60, blank=True, help_text=_("The record that placed the hold.")
    )
    status_before = models.CharField(
        _("status before the hold"), max_length=12, choices=StockStatus.choices
    )
    placed_by = models.ForeignKey(
        USER, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    lifted_by = models.ForeignKey(
        USER,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("lot hold")
        verbose_name_plural = _("lot holds")

    def __str__(self) -> str:
        return f"{self.lot_id}: {self.reason[:40]}"


class ShipmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RELEASED = "released", _("Released for shipment")
    SHIPPED = "shipped", _("Shipped")


class Shipment(VetoableMixin, Voidable):
    """Lots going to a customer. It is released only when every lot in it is released and none
    is held or vetoed; the release is a decision the CQO may veto (§6 e), §6 i))."""

    veto_flow = VetoFlow(
        "status",
        (ShipmentStatus.DRAFT, ShipmentStatus.RELEASED, ShipmentStatus.SHIPPED),
        final=(ShipmentStatus.SHIPPED,),
    )

    number = models.CharField(_("shipment number"), max_length=60, unique=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="shipments"
    )
    order_number = models.CharField(_("order number"), max_length=60, blank=True)
    planned_on = models.DateField(_("planned shipping date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.DRAFT
    )
    released_by = models.ForeignKey(
        USER,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return self.number


class ShipmentLine(Voidable):
    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT, related_name="lines"
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="shipment_lines"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)

    history = HistoricalRecords()

    class Meta:
        ordering = ["shipment_id", "id"]
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="masterdata_shipment_line_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
        ]


# --- lot genealogy (§7.2.3.2 whole-life traceability; the recall's scope, §7.2.1.4) ----------


class FeedSource(models.TextChoices):
    API = "api", _("API (MES or ERP)")
    EXCEL = "excel", _("Excel import")
    ENTRY = "entry", _("Entered on the lot page")
    DEMO = "demo", _("Demo data")


class GenealogyFeed(Voidable):
    """One batch of genealogy links as it arrived (an MES message, an Excel file, a form): the
    record its single audit event names, with the digest of its links. Voiding the feed voids its
    links; nothing is deleted."""

    source = models.CharField(_("source"), max_length=8, choices=FeedSource.choices)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The sending system's own message or file name, to find the feed again."),
    )
    link_count = models.PositiveIntegerField(_("links"), default=0)
    serial_count = models.PositiveIntegerField(_("serial numbers"), default=0)
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("genealogy feed")
        verbose_name_plural = _("genealogy feeds")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_source_display()} {self.reference}".strip()


class LotLink(Voidable):
    """One edge of the lot genealogy: ``quantity`` of the ``consumed`` lot (in its item's unit)
    went into the ``produced`` lot. Received lots → production lots → finished lots; a trace walks
    these edges in either direction with one recursive query (decision 0011). The two partial
    indexes cover the walk both ways (forward: consumed → produced; backward: produced →
    consumed), so it never reads the table itself."""

    consumed = models.ForeignKey(
        Lot,
        verbose_name=_("consumed lot"),
        on_delete=models.PROTECT,
        related_name="links_down",
        db_index=False,
    )
    produced = models.ForeignKey(
        Lot,
        verbose_name=_("produced lot"),
        on_delete=models.PROTECT,
        related_name="links_up",
        db_index=False,
    )
    quantity = models.DecimalField(_("quantity consumed"), max_digits=14, decimal_places=3)
    feed = models.ForeignKey(
        GenealogyFeed, verbose_name=_("feed"), on_delete=models.PROTECT, related_name="links"
    )
    # Ten million links: the voiding user needs no index of its own.
    voided_by = models.ForeignKey(
        USER,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("genealogy link")
        verbose_name_plural = _("genealogy links")
        indexes = [
            models.Index(
                fields=["produced", "consumed"],
                condition=Q(voided_at__isnull=True),
                name="md_link_up",
            ),
        ]
        constraints = [
            # Also the forward walk's covering index (consumed → produced).
            models.UniqueConstraint(
                fields=["consumed", "produced"],
                condition=Q(voided_at__isnull=True),
                name="md_link_down",
                violation_error_message=_("This link between the two lots is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="md_link_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(consumed=models.F("produced")),
                name="md_link_not_itself",
                violation_error_message=_("A lot cannot be made from itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consumed_id} → {self.produced_id}"


class SerialNumber(Voidable):
    """A unit's serial number, in the finished lot it was made in (issue 11 §5: optional; an
    enterprise gives serials to some items only). Unique per item among the live ones, so a
    complaint's serial names one lot, and the backward trace starts there. Recorded by a
    genealogy feed (``feed`` set) or by hand; voided with a reason, never deleted. Written in
    bulk with its feed, so no history of its own (the feed's audit event carries the digest)."""

    serial = models.CharField(_("serial number"), max_length=80)
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="serials"
    )
    feed = models.ForeignKey(
        GenealogyFeed,
        verbose_name=_("feed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="serials",
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["serial", "id"]
        verbose_name = _("serial number")
        verbose_name_plural = _("serial numbers")
        indexes = [
            # A complaint names the serial, not the item: the trace looks it up alone.
            models.Index(fields=["serial"], name="md_serial_number"),
            # A forward trace's first page of serials, lot by lot: read in index order and
            # stopped after the page (no sort of a hub's hundreds of thousands of units).
            models.Index(
                fields=["lot", "serial"], condition=Q(voided_at__isnull=True), name="md_serial_lot"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "serial"],
                condition=Q(voided_at__isnull=True),
                name="md_serial_unique",
                violation_error_message=_("This serial number is already assigned to a lot."),
            ),
            models.CheckConstraint(condition=~Q(serial=""), name="md_serial_not_empty"),
        ]

    def __str__(self) -> str:
        return self.serial
