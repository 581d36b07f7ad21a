"""Reads of the master data, scoped to the user. Every member reads the master data; a user
without the view permission gets nothing. Lists select their related rows in the same query and
filter on indexed columns, so the lot list stays quick at 100,000 lots.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import (
    ApprovedSupplier,
    Characteristic,
    Customer,
    Instrument,
    Item,
    Lot,
    LotHold,
    Operation,
    Supplier,
    WorkCentre,
)


def _may(user: Any, model: str) -> bool:
    return user is not None and user.has_perm(f"masterdata.view_{model}")


def _search(qs: QuerySet[Any], q: str, *fields: str) -> QuerySet[Any]:
    q = (q or "").strip()
    if not q:
        return qs
    cond = Q()
    for name in fields:
        cond |= Q(**{f"{name}__icontains": q})
    return qs.filter(cond)


def _voided(qs: QuerySet[Any], include_voided: bool) -> QuerySet[Any]:
    return qs if include_voided else qs.filter(voided_at__isnull=True)


def items_visible(
    user: Any, *, q: str = "", kind: str = "", include_voided: bool = False
) -> QuerySet[Item]:
    if not _may(user, "item"):
        return Item.objects.none()
    qs = _voided(Item.objects.all(), include_voided)
    if kind:
        qs = qs.filter(kind=kind)
    return _search(qs, q, "part_number", "name", "name_en", "drawing_number")


def characteristics_visible(
    user: Any,
    *,
    item: Item | None = None,
    q: str = "",
    special: bool | None = None,
    include_voided: bool = False,
) -> QuerySet[Characteristic]:
    if not _may(user, "characteristic"):
        return Characteristic.objects.none()
    qs = _voided(Characteristic.objects.select_related("item"), include_voided)
    if item is not None:
        qs = qs.filter(item=item)
    if special is not None:
        qs = qs.filter(special=special)
    return _search(qs, q, "code", "name", "name_en", "item__part_number")


def suppliers_visible(
    user: Any, *, q: str = "", status: str = "", include_voided: bool = False
) -> QuerySet[Supplier]:
    if not _may(user, "supplier"):
        return Supplier.objects.none()
    qs = _voided(Supplier.objects.all(), include_voided)
    if status:
        qs = qs.filter(status=status)
    return _search(qs, q, "code", "name", "name_en", "credit_code")


def approved_suppliers_visible(
    user: Any,
    *,
    item: Item | None = None,
    supplier: Supplier | None = None,
    q: str = "",
    include_voided: bool = False,
) -> QuerySet[ApprovedSupplier]:
    if not _may(user, "approvedsupplier"):
        return ApprovedSupplier.objects.none()
    qs = _voided(ApprovedSupplier.objects.select_related("item", "supplier"), include_voided)
    if item is not None:
        qs = qs.filter(item=item)
    if supplier is not None:
        qs = qs.filter(supplier=supplier)
    return _search(qs, q, "item__part_number", "item__name", "supplier__code", "supplier__name")


def customers_visible(
    user: Any, *, q: str = "", include_voided: bool = False
) -> QuerySet[Customer]:
    if not _may(user, "customer"):
        return Customer.objects.none()
    qs = _voided(Customer.objects.all(), include_voided)
    return _search(qs, q, "code", "name", "name_en", "credit_code")


def work_centres_visible(
    user: Any, *, q: str = "", include_voided: bool = False
) -> QuerySet[WorkCentre]:
    if not _may(user, "workcentre"):
        return WorkCentre.objects.none()
    qs = _voided(WorkCentre.objects.select_related("unit"), include_voided)
    return _search(qs, q, "code", "name", "name_en")


def operations_visible(
    user: Any,
    *,
    item: Item | None = None,
    work_centre: WorkCentre | None = None,
    q: str = "",
    include_voided: bool = False,
) -> QuerySet[Operation]:
    if not _may(user, "operation"):
        return Operation.objects.none()
    qs = _voided(Operation.objects.select_related("item", "work_centre"), include_voided)
    if item is not None:
        qs = qs.filter(item=item)
    if work_centre is not None:
        qs = qs.filter(work_centre=work_centre)
    return _search(qs, q, "name", "name_en", "item__part_number", "work_centre__code")


def instruments_visible(
    user: Any, *, q: str = "", status: str = "", include_voided: bool = False
) -> QuerySet[Instrument]:
    if not _may(user, "instrument"):
        return Instrument.objects.none()
    qs = _voided(Instrument.objects.select_related("owner_unit"), include_voided)
    if status:
        qs = qs.filter(status=status)
    return _search(qs, q, "number", "name", "name_en", "instrument_type", "location")


def lots_visible(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    supplier: Supplier | None = None,
    item: Item | None = None,
    origin: str = "",
    arrived_from: datetime.date | None = None,
    arrived_to: datetime.date | None = None,
    include_voided: bool = False,
) -> QuerySet[Lot]:
    """Lots newest first. The filters by status and supplier use the index
    ``md_lot_status_supplier``; the item filter ``md_lot_item``; ``q`` matches the lot number or
    the supplier batch from their start, which an index can serve."""
    if not _may(user, "lot"):
        return Lot.objects.none()
    qs = _voided(Lot.objects.select_related("item", "supplier"), include_voided)
    if status:
        qs = qs.filter(stock_status=status)
    if supplier is not None:
        qs = qs.filter(supplier=supplier)
    if item is not None:
        qs = qs.filter(item=item)
    if origin:
        qs = qs.filter(origin=origin)
    if arrived_from is not None:
        qs = qs.filter(arrived_on__gte=arrived_from)
    if arrived_to is not None:
        qs = qs.filter(arrived_on__lte=arrived_to)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(supplier_batch__startswith=q))
    return qs


def lot_holds(user: Any, lot: Lot) -> QuerySet[LotHold]:
    if not _may(user, "lothold"):
        return LotHold.objects.none()
    return lot.holds.select_related("placed_by", "lifted_by").order_by("-placed_at", "-id")


def item_counts(item: Item) -> dict[str, int]:
    """How many active characteristics, approved suppliers and operations the item has."""
    row = Item.objects.filter(pk=item.pk).aggregate(
        characteristics=Count(
            "characteristics", filter=Q(characteristics__voided_at__isnull=True), distinct=True
        ),
        suppliers=Count(
            "approved_suppliers",
            filter=Q(approved_suppliers__voided_at__isnull=True),
            distinct=True,
        ),
        operations=Count("operations", filter=Q(operations__voided_at__isnull=True), distinct=True),
    )
    return {k: int(v or 0) for k, v in row.items()}


# --- history (django-simple-history) -----------------------------------------------------


@dataclass
class HistoryChange:
    field: str
    old: Any
    new: Any


@dataclass
class HistoryRow:
    when: datetime.datetime
    user_id: int | None
    user: Any
    kind: str  # "+" created, "~" changed, "-" removed
    action: str
    reason: str
    changes: list[HistoryChange] = field(default_factory=list)


# Bookkeeping columns that every change touches or nobody reads.
_HISTORY_SKIP = {"id", "created_at"}


def history_rows(obj: Any, *, limit: int = 50) -> list[HistoryRow]:
    """The record's changes, newest first: who, when, why (the audit event stamps each
    snapshot) and which fields went from what to what."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    snapshots = list(history.select_related("history_user").order_by("-history_date", "-pk")[
        : limit + 1
    ])  # fmt: skip
    rows: list[HistoryRow] = []
    for index, snap in enumerate(snapshots[:limit]):
        older = snapshots[index + 1] if index + 1 < len(snapshots) else None
        changes: list[HistoryChange] = []
        if older is not None:
            delta = snap.diff_against(older)
            for change in delta.changes:
                if change.field in _HISTORY_SKIP:
                    continue
                meta_field = obj._meta.get_field(change.field)
                changes.append(
                    HistoryChange(
                        field=str(meta_field.verbose_name),
                        old=_shown(meta_field, change.old),
                        new=_shown(meta_field, change.new),
                    )
                )
        action, reason = _action_and_reason(snap.history_change_reason or "", obj)
        rows.append(
            HistoryRow(
                when=snap.history_date,
                user_id=snap.history_user_id,
                user=snap.history_user,
                kind=snap.history_type,
                action=action,
                reason=reason,
                changes=changes,
            )
        )
    return rows


def _action_and_reason(stamp: str, obj: Any) -> tuple[str, str]:
    """The audit stamp ``"<action>: <reason>"`` as the action's label and the reason."""
    from cqo.audit.labels import action_label

    code, _sep, reason = stamp.partition(": ")
    if not code or " " in code or "." not in code:
        return "", stamp
    return action_label(code, obj._meta.label_lower), reason


def _shown(model_field: Any, value: Any) -> Any:
    choices = dict(getattr(model_field, "flatchoices", None) or [])
    if value in choices:
        return choices[value]
    if value is None or value == "":
        return "—"
    return value
