"""An incident's costs (§7.1.5): losses and penalties received, typed with the cost items of
``cqo.core.costs`` so that the quality-cost ledger reads them as one of its sources."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqo.core.costs import COST_ITEMS, CostCategory
from cqo.core.models import Voidable

from .models_incidents import Incident

__all__ = ["INCIDENT_COST_ITEMS", "IncidentCost"]

USER = settings.AUTH_USER_MODEL

# Failure costs only: an incident's losses are internal or external failure (GB/T 13339 style).
INCIDENT_COST_ITEMS = [
    (item.code, item.label)
    for item in COST_ITEMS
    if item.category in (CostCategory.INTERNAL_FAILURE, CostCategory.EXTERNAL_FAILURE)
]


class IncidentCost(Voidable):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="costs")
    item_code = models.CharField(_("cost item"), max_length=30, choices=INCIDENT_COST_ITEMS)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    incurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["incurred_on", "id"]
        verbose_name = _("incident cost")
        verbose_name_plural = _("incident costs")
        indexes = [models.Index(fields=["incurred_on"])]

    def __str__(self) -> str:
        return f"{self.incident.number} {self.get_item_code_display()} {self.amount}"
