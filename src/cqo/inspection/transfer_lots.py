"""Receipts from Excel: one row per lot received (part number, supplier code, supplier batch,
quantity, date, order number), all or nothing. Each row goes through ``receipt_create`` (the
lot, then its inspection lot drawn under the plan in force and the stream's severity) inside
one transaction; any problem, named by row and column, writes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.accounts.models import User
from cqo.audit.services import audit_record
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.masterdata.models import Item, Supplier

from . import services_lots as services
from .models import InspectionLot
from .transfer_plans import Column, RowErrors, workbook_rows

CLAUSE_GATE = clause("§6 e)")

COLUMNS: tuple[Column, ...] = (
    Column("part_number", capfirst(gettext_lazy("part number"))),
    Column("supplier", gettext_lazy("Supplier code")),
    Column("supplier_batch", gettext_lazy("Supplier batch")),
    Column("quantity", gettext_lazy("Quantity")),
    Column("arrived_on", gettext_lazy("Date received")),
    Column("order_number", gettext_lazy("Order number")),
)
# A service's field → the column it is shown in.
FIELD_COLUMN = {"item": "part_number", "lot": "part_number", "plan": "part_number"}


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip()[:10].replace("/", "-"))
    except ValueError:
        return None


def receipts_import(*, actor: User, file: Any) -> list[InspectionLot]:
    require(actor, "inspection.add_inspectionlot", clause=CLAUSE_GATE)
    errors = RowErrors(COLUMNS)
    items = {i.part_number: i for i in Item.objects.filter(voided_at__isnull=True)}
    suppliers = {s.code: s for s in Supplier.objects.filter(voided_at__isnull=True)}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for row, cells in workbook_rows(file, COLUMNS):
        values: dict[str, Any] = {}
        part = cells.get("part_number", "")
        values["item"] = items.get(part)
        if values["item"] is None:
            errors.add(row, "part_number", _("No item with part number “%(v)s”.") % {"v": part})
        code = cells.get("supplier", "")
        values["supplier"] = suppliers.get(code)
        if values["supplier"] is None:
            errors.add(row, "supplier", _("No supplier with code “%(v)s”.") % {"v": code})
        values["supplier_batch"] = cells.get("supplier_batch", "")
        if not values["supplier_batch"]:
            errors.add(row, "supplier_batch", _("Give the supplier's batch number."))
        values["quantity"] = cells.get("quantity", "")
        values["arrived_on"] = _date(cells.get("arrived_on", ""))
        if values["arrived_on"] is None:
            errors.add(row, "arrived_on", _("Give the date as YYYY-MM-DD."))
        values["order_number"] = cells.get("order_number", "")
        parsed.append((row, values))
    errors.raise_if_any()
    if not parsed:
        raise ValidationError({"file": _("The workbook has no receipts.")})
    created: list[InspectionLot] = []
    with transaction.atomic():
        for row, values in parsed:
            try:
                with transaction.atomic():
                    created.append(services.receipt_create(actor=actor, **values))
            except ValidationError as exc:
                errors.add_validation(row, exc, FIELD_COLUMN)
            except PermissionDenied as exc:
                errors.add(row, None, str(exc))
        if errors.messages:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor, action="inspection.receipt.import", obj=created[0],
                after={"inspection_lots": [c.pk for c in created],
                       "file": str(getattr(file, "name", ""))[:200]},
                clause=CLAUSE_GATE,
            )  # fmt: skip
    errors.raise_if_any()
    return created
