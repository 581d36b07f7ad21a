"""An incident's costs (§7.1.5) and the cost source the quality-cost ledger reads."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.costs import CostLine
from cqo.core.permissions import require

from .models import INCIDENT_COST_ITEMS, Incident, IncidentCost
from .services_incidents import _blank, _with, incident_url

CLAUSE_COSTS = clause("§7.1.5")
SOURCE = "incidents"
_CODES = {code for code, _label in INCIDENT_COST_ITEMS}


@transaction.atomic
def incident_cost_add(
    *,
    actor: User,
    incident: Incident,
    item_code: str,
    amount: Decimal,
    incurred_on: datetime.date,
    note: str = "",
) -> IncidentCost:
    require(actor, "incidents.add_incidentcost", incident, clause=CLAUSE_COSTS)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    errors: dict[str, str] = {}
    if incident.voided_at is not None:
        errors["incident"] = _with(_("This incident was voided."), CLAUSE_COSTS)
    if item_code not in _CODES:
        errors["item_code"] = _with(_("Choose a failure-cost item."), CLAUSE_COSTS)
    if amount is None or amount <= 0:
        errors["amount"] = _with(_("Give an amount above zero."), CLAUSE_COSTS)
    if incurred_on is None:
        errors["incurred_on"] = _with(_("Give the date of the cost."), CLAUSE_COSTS)
    elif incurred_on > timezone.localdate():
        errors["incurred_on"] = _with(_("This date is in the future."), CLAUSE_COSTS)
    elif incurred_on < timezone.localtime(incident.occurred_at).date():
        errors["incurred_on"] = _with(_("A cost of the incident comes after it happened."),
                                      CLAUSE_COSTS)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    cost = IncidentCost.objects.create(
        incident=incident, item_code=item_code, amount=amount, incurred_on=incurred_on,
        note=_blank(note), recorded_by=actor, recorded_at=timezone.now(),
    )  # fmt: skip
    audit_record(actor=actor, action="incidents.cost.add", obj=cost, after=snapshot(cost),
                 clause=CLAUSE_COSTS)  # fmt: skip
    return cost


def incident_cost_void(*, actor: User, cost: IncidentCost, reason: str) -> Any:
    return record_void(actor=actor, record=cost, reason=reason,
                       perm="incidents.void_incidentcost", clause=CLAUSE_COSTS)  # fmt: skip


def cost_lines(first: datetime.date, last: datetime.date) -> Iterator[CostLine]:
    """The cost source (``cqo.core.costs``): every cost of a live incident in the period."""
    rows = IncidentCost.objects.filter(
        voided_at__isnull=True, incident__voided_at__isnull=True,
        incurred_on__gte=first, incurred_on__lte=last,
    ).select_related("incident").order_by("incurred_on", "id")  # fmt: skip
    for row in rows:
        incident = row.incident
        yield CostLine(
            source=SOURCE,
            key=f"incidentcost:{row.pk}",
            date=row.incurred_on,
            item_code=row.item_code,
            amount=row.amount,
            record=f"{incident.number} {incident.title}",
            url=incident_url(incident),
            note=row.note,
            unit_id=incident.unit_id,
            item_id=incident.item_id,
        )
