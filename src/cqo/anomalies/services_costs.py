"""The costs of the app's records (§7.1.5): lines on an NCR or a complaint, and the app's cost
source for the quality-cost ledger (``cqo.core.costs``).

Every part of the app records costs the same way: ``cost_entry_add(actor=, record=, ...)`` with
the NCR or the complaint as ``record``. A record type is registered once with the page that shows
it (``cost_record_register``), so the ledger's lines link back to their record. A line is quantity
× rate (rework hours × hourly rate, scrapped pieces × unit cost) or an amount; it is voided with a
reason, never changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.costs import COST_ITEM_BY_CODE, CostLine
from cqo.core.permissions import require

from .models import CostEntry

CLAUSE_COSTS = clause("§7.1.5")
SOURCE = "anomalies"
CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 11

# record type ("anomalies.anomaly") -> the URL name of its page (one pk argument).
_RECORD_PAGES: dict[str, str] = {}


def cost_record_register(model_label: str, url_name: str) -> None:
    """A part of the app says which of its records carry costs, and where each is shown."""
    _RECORD_PAGES[model_label.lower()] = url_name


def cost_record_types() -> list[str]:
    return sorted(_RECORD_PAGES)


def record_type_of(record: models.Model) -> str:
    return str(record._meta.label_lower)


def record_url(record_type: str, record_id: Any) -> str:
    name = _RECORD_PAGES.get(record_type)
    if not name:
        return ""
    try:
        return reverse(name, args=[record_id])
    except NoReverseMatch:
        return ""


def _label(record: Any) -> str:
    return str(getattr(record, "number", "") or record)[:80]


def _money(value: Any, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError({field: _("Give a number.")})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError({field: _("The number must be greater than zero.")})
    if number >= LIMIT:
        raise ValidationError({field: _("The number is too large.")})
    return number


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        value = parse_date(value.strip()) if value.strip() else None
    if value is None:
        return timezone.localdate()
    if not isinstance(value, datetime.date):
        raise ValidationError({"incurred_on": _("Give the date as YYYY-MM-DD.")})
    if value > timezone.localdate():
        raise ValidationError({"incurred_on": _("The date cannot be in the future.")})
    return value


def cost_entry_write(
    *,
    actor: User,
    record: models.Model,
    item_code: str,
    incurred_on: Any = None,
    quantity: Any = None,
    rate: Any = None,
    amount: Any = None,
    note: str = "",
    disposition: Any = None,
) -> CostEntry:
    """Write one checked cost line and its audit event, in the caller's transaction. The caller
    has checked the permission (``cost_entry_add``, or the completion of a disposition)."""
    record_type = record_type_of(record)
    if record_type not in _RECORD_PAGES:
        raise ValidationError({"record": _("Costs are not recorded on this kind of record.")})
    if getattr(record, "voided_at", None) is not None:
        raise ValidationError({"record": _("This record was voided.")})
    if item_code not in COST_ITEM_BY_CODE:
        raise ValidationError({"item_code": _("Choose a cost item from the list.")})
    qty = _money(quantity, "quantity")
    unit_rate = _money(rate, "rate")
    total = _money(amount, "amount")
    if (qty is None) != (unit_rate is None):
        raise ValidationError(
            {"rate" if unit_rate is None else "quantity":
             _("Give both the quantity and the rate, or only the amount (%(clause)s).")
             % {"clause": CLAUSE_COSTS}}
        )  # fmt: skip
    if qty is not None and unit_rate is not None:
        qty = qty.quantize(Decimal("0.001"))
        unit_rate = unit_rate.quantize(CENT)
        reckoned = (qty * unit_rate).quantize(CENT)
        if total is None:
            total = reckoned
    if total is None:
        raise ValidationError(
            {"amount": _("Give the amount, or the quantity and the rate (%(clause)s).")
             % {"clause": CLAUSE_COSTS}}
        )  # fmt: skip
    total = total.quantize(CENT)
    if total <= 0 or total >= LIMIT:
        raise ValidationError({"amount": _("The number must be greater than zero.")})
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > 300:
        raise ValidationError({"note": _("At most 300 characters.")})
    entry = CostEntry(
        record_type=record_type,
        record_id=record.pk,
        record_label=_label(record),
        item_code=item_code,
        quantity=qty,
        rate=unit_rate,
        amount=total,
        incurred_on=_date(incurred_on),
        note=note,
        disposition=disposition,
        unit_id=getattr(record, "unit_id", None),
        item_id=getattr(record, "item_id", None),
        supplier_id=getattr(record, "supplier_id", None),
        customer_id=getattr(record, "customer_id", None),
        created_by=actor,
    )
    entry.full_clean(exclude=["unit", "item", "supplier", "customer", "disposition"])
    entry.save()
    audit_record(
        actor=actor, action="anomalies.costentry.create", obj=entry, after=snapshot(entry),
        clause=CLAUSE_COSTS,
    )  # fmt: skip
    return entry


@transaction.atomic
def cost_entry_add(
    *,
    actor: User,
    record: models.Model,
    item_code: str,
    incurred_on: Any = None,
    quantity: Any = None,
    rate: Any = None,
    amount: Any = None,
    note: str = "",
) -> CostEntry:
    """Record a cost of an NCR or a complaint (scrap, rework hours × rate, sorting, freight,
    claims…), typed with an item of the cost chart (§7.1.5)."""
    require(actor, "anomalies.add_costentry", record, clause=CLAUSE_COSTS)
    return cost_entry_write(
        actor=actor, record=record, item_code=item_code, incurred_on=incurred_on,
        quantity=quantity, rate=rate, amount=amount, note=note,
    )  # fmt: skip


def cost_entry_void(*, actor: User, entry: CostEntry, reason: str) -> Any:
    return record_void(
        actor=actor, record=entry, reason=reason, perm="anomalies.void_costentry",
        clause=CLAUSE_COSTS,
    )  # fmt: skip


def cost_lines(first: datetime.date, last: datetime.date) -> Iterator[CostLine]:
    """The app's cost source: its live lines dated ``first`` to ``last`` inclusive."""
    fields = (
        "pk", "record_type", "record_id", "record_label", "item_code", "amount", "incurred_on",
        "note", "unit_id", "item_id", "supplier_id", "customer_id",
    )  # fmt: skip
    rows = (
        CostEntry.objects.filter(
            voided_at__isnull=True, incurred_on__gte=first, incurred_on__lte=last
        )
        .order_by("incurred_on", "pk")
        .values_list(*fields)
    )
    for pk, rtype, rid, label, code, amount, on, note, unit, item, supplier, customer in rows:
        yield CostLine(
            source=SOURCE,
            key=f"cost-{pk}",
            date=on,
            item_code=code,
            amount=Decimal(amount).quantize(CENT),
            record=label,
            url=record_url(rtype, rid),
            note=note,
            unit_id=unit,
            item_id=item,
            supplier_id=supplier,
            customer_id=customer,
        )
