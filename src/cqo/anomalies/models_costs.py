"""The costs of the app's records (§7.1.5): each line on an NCR or a complaint, typed with an item
of the cost chart (``cqo.core.costs``), read by the quality-cost ledger through the app's cost
source.

A line names its record by type and id (``record_type`` "anomalies.anomaly" or
"anomalies.complaint"), so every part of the app records its costs the same way. It keeps the
record's dimensions (unit, item, supplier, customer) as they were when the line was written:
the ledger reports by them without reading each record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cqo.core.costs import COST_ITEMS
from cqo.core.models import Voidable

USER = settings.AUTH_USER_MODEL

__all__ = ["COST_ITEM_CHOICES", "CostEntry"]

COST_ITEM_CHOICES = [(item.code, item.label) for item in COST_ITEMS]


class CostEntry(Voidable):
    """One cost of an NCR or a complaint: quantity × rate, or an amount."""

    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.PositiveBigIntegerField(_("record"))
    record_label = models.CharField(_("record"), max_length=80)
    item_code = models.CharField(_("cost item"), max_length=30, choices=COST_ITEM_CHOICES)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    rate = models.DecimalField(
        _("rate (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    incurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    disposition = models.ForeignKey(
        "anomalies.Disposition",
        verbose_name=_("disposition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cost_entries",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "masterdata.Item",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "masterdata.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["incurred_on", "id"]
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="anomalies_cost_record"),
            models.Index(fields=["incurred_on"], name="anomalies_cost_date"),
        ]

    def __str__(self) -> str:
        return f"{self.record_label} · {self.item_code} · {self.amount}"
