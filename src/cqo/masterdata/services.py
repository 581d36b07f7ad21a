"""Every change to the master data: keyword-only, the actor's permission checked, audited, in one
transaction. Items, characteristics, suppliers and lots serve the gates (§6 e)); instruments the
metrology and testing duty (§7.2.2.1). Records are voided with a reason, never deleted.

The lot's stock status, holds and shipments are changed in ``cqo.masterdata.stock``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.authorities.vetoable import veto_refuse_if_active
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.core.sod import sod_check
from cqo.organisation.validators import credit_code_problems, normalise_credit_code

from .models import (
    SUPPLIER_BLOCKED,
    ApprovedSupplier,
    Characteristic,
    CharacteristicKind,
    Customer,
    Instrument,
    Item,
    Lot,
    LotOrigin,
    Operation,
    Supplier,
    SupplierStatus,
    WorkCentre,
)

CLAUSE_GATE = clause("§6 e)")
CLAUSE_METROLOGY = clause("§7.2.2.1")

ITEM_FIELDS = frozenset(
    {
        "part_number", "name", "name_en", "kind", "drawing_number", "revision", "uom",
        "gate_iqc", "gate_ipqc", "gate_oqc", "family",
    }
)  # fmt: skip
CHARACTERISTIC_FIELDS = frozenset(
    {
        "code", "name", "name_en", "kind", "defect_class", "nominal", "lsl", "usl", "unit",
        "method", "instrument_type", "special", "sequence",
    }
)  # fmt: skip
SUPPLIER_FIELDS = frozenset({"code", "name", "name_en", "credit_code", "contact"})
CUSTOMER_FIELDS = frozenset({"code", "name", "name_en", "credit_code", "contact"})
WORK_CENTRE_FIELDS = frozenset({"code", "name", "name_en", "unit"})
OPERATION_FIELDS = frozenset({"sequence", "name", "name_en", "work_centre"})
INSTRUMENT_FIELDS = frozenset(
    {
        "number", "name", "name_en", "instrument_type", "range_low", "range_high", "unit",
        "resolution", "location", "owner_unit", "status",
    }
)  # fmt: skip


# --- shared steps -------------------------------------------------------------------------


def _only(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")


def _tidy(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _assign(obj: models.Model, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        setattr(obj, key, _tidy(value))


def _not_voided(obj: Any, field: str | None = None) -> None:
    if obj is not None and obj.voided_at is not None:
        message = _("“%(record)s” has been voided; it can no longer be used or changed.") % {
            "record": obj
        }
        raise ValidationError({field: message} if field else message)


def _clean_and_save(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """The model's own checks (choices, lengths, numbers, unique codes, constraints), each
    naming its field, then the save."""
    obj.full_clean(exclude=list(exclude))
    obj.save()


def _create(
    *, actor: User, obj: models.Model, perm: str, action: str, clause_code: str
) -> models.Model:
    require(actor, perm, clause=clause_code)
    _clean_and_save(obj)
    audit_record(actor=actor, action=action, obj=obj, after=snapshot(obj), clause=clause_code)
    return obj


def _update(
    *,
    actor: User,
    obj: models.Model,
    perm: str,
    action: str,
    clause_code: str,
    fields: dict[str, Any],
    reason: str = "",
    check: Any = None,
) -> Any:
    require(actor, perm, obj, clause=clause_code)
    with audited_change(
        actor=actor, obj=obj, action=action, clause=clause_code, reason=reason or ""
    ) as locked:
        _not_voided(locked)
        _assign(locked, fields)
        if check is not None:
            check(locked)
        locked.full_clean()
    return locked


def _void(*, actor: User, obj: Any, reason: str, clause_code: str) -> Any:
    return record_void(
        actor=actor,
        record=obj,
        reason=reason,
        perm=f"masterdata.void_{obj._meta.model_name}",
        clause=clause_code,
    )


def _credit_code(value: Any, field: str = "credit_code") -> str:
    """A unified social credit code (GB 32100), checked to its check character; blank allowed."""
    code = normalise_credit_code(str(value or ""))
    if not code:
        return ""
    problems = credit_code_problems(code)
    if problems:
        raise ValidationError({field: problems})
    return code


# --- items and characteristics (§6 e)) ------------------------------------------------------


@transaction.atomic
def item_create(*, actor: User, part_number: str, name: str, kind: str, **fields: Any) -> Item:
    require(actor, "masterdata.add_item", clause=CLAUSE_GATE)
    _only(fields, ITEM_FIELDS)
    item = Item()
    _assign(item, {"part_number": part_number, "name": name, "kind": kind, **fields})
    return _create(
        actor=actor, obj=item, perm="masterdata.add_item", action="masterdata.item.create",
        clause_code=CLAUSE_GATE,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def item_update(*, actor: User, item: Item, reason: str = "", **fields: Any) -> Item:
    _only(fields, ITEM_FIELDS)
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=item, perm="masterdata.change_item", action="masterdata.item.update",
        clause_code=CLAUSE_GATE, fields=fields, reason=reason,
    )  # fmt: skip


def item_void(*, actor: User, obj: Item, reason: str) -> Item:
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]


def _characteristic_check(ch: Characteristic) -> None:
    """A measured characteristic needs a limit to be judged against; counted ones have none."""
    if ch.kind == CharacteristicKind.VARIABLE:
        lsl, usl = _decimal_or_none(ch.lsl, "lsl"), _decimal_or_none(ch.usl, "usl")
        nominal = _decimal_or_none(ch.nominal, "nominal")
        if lsl is None and usl is None:
            raise ValidationError(
                {"usl": _("A measured characteristic needs a lower or an upper limit (or both).")}
            )
        if lsl is not None and usl is not None and lsl >= usl:
            raise ValidationError({"usl": _("The lower limit must be below the upper limit.")})
        if nominal is not None and (
            (lsl is not None and nominal < lsl) or (usl is not None and nominal > usl)
        ):
            raise ValidationError({"nominal": _("The nominal value lies outside the limits.")})
    elif ch.kind == CharacteristicKind.ATTRIBUTE:
        for field in ("nominal", "lsl", "usl"):
            if getattr(ch, field) not in (None, ""):
                raise ValidationError(
                    {field: _("A counted (attribute) characteristic has no limits or nominal.")}
                )


def _decimal_or_none(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None


@transaction.atomic
def characteristic_create(
    *, actor: User, item: Item, code: str, name: str, kind: str, **fields: Any
) -> Characteristic:
    _only(fields, CHARACTERISTIC_FIELDS)
    require(actor, "masterdata.add_characteristic", clause=CLAUSE_GATE)
    _not_voided(item, "item")
    ch = Characteristic(item=item)
    _assign(ch, {"code": code, "name": name, "kind": kind, **fields})
    _characteristic_check(ch)
    return _create(
        actor=actor, obj=ch, perm="masterdata.add_characteristic",
        action="masterdata.characteristic.create", clause_code=CLAUSE_GATE,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def characteristic_update(
    *, actor: User, characteristic: Characteristic, reason: str = "", **fields: Any
) -> Characteristic:
    _only(fields, CHARACTERISTIC_FIELDS)
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=characteristic, perm="masterdata.change_characteristic",
        action="masterdata.characteristic.update", clause_code=CLAUSE_GATE, fields=fields,
        reason=reason, check=_characteristic_check,
    )  # fmt: skip


def characteristic_void(*, actor: User, obj: Characteristic, reason: str) -> Characteristic:
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]


# --- suppliers and the approved-supplier list (§6 e), §6 i)) -------------------------------


@transaction.atomic
def supplier_create(*, actor: User, code: str, name: str, **fields: Any) -> Supplier:
    """A new supplier starts as a candidate: receipts from it are refused until it is approved
    (``supplier_approve``), a decision the CQO may veto."""
    _only(fields, SUPPLIER_FIELDS)
    require(actor, "masterdata.add_supplier", clause=CLAUSE_GATE)
    fields["credit_code"] = _credit_code(fields.get("credit_code"))
    supplier = Supplier(status=SupplierStatus.CANDIDATE)
    _assign(supplier, {"code": code, "name": name, **fields})
    return _create(
        actor=actor, obj=supplier, perm="masterdata.add_supplier",
        action="masterdata.supplier.create", clause_code=CLAUSE_GATE,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def supplier_update(
    *, actor: User, supplier: Supplier, reason: str = "", **fields: Any
) -> Supplier:
    """Names, code, credit code and contact; the status changes through ``supplier_approve`` and
    ``supplier_status_set``."""
    _only(fields, SUPPLIER_FIELDS)
    require(actor, "masterdata.change_supplier", supplier, clause=CLAUSE_GATE)
    if "credit_code" in fields:
        fields["credit_code"] = _credit_code(fields["credit_code"])
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=supplier, perm="masterdata.change_supplier",
        action="masterdata.supplier.update", clause_code=CLAUSE_GATE, fields=fields,
        reason=reason,
    )  # fmt: skip


def supplier_void(*, actor: User, obj: Supplier, reason: str) -> Supplier:
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]


def supplier_creator_id(supplier: Supplier) -> int | None:
    """Who created the supplier (its first history row, stamped by the audit event)."""
    row = (
        supplier.history.filter(history_type="+")  # type: ignore[attr-defined]
        .order_by("history_date")
        .values_list("history_user_id", flat=True)
        .first()
    )
    return row


@transaction.atomic
def supplier_approve(
    *, actor: User, supplier: Supplier, reason: str, conditional: bool = False
) -> Supplier:
    """Approve a candidate supplier (qualified, or conditional): a business decision the CQO may
    veto (§6 i)). Whoever created the candidate does not approve it."""
    require(actor, "masterdata.approve_supplier", supplier, clause=CLAUSE_GATE)
    veto_refuse_if_active(supplier)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say on what grounds the supplier is approved.")})
    sod_check(actor=actor, raised_by=supplier_creator_id(supplier), clause=CLAUSE_GATE)
    status = SupplierStatus.CONDITIONAL if conditional else SupplierStatus.QUALIFIED
    with audited_change(
        actor=actor, obj=supplier, action="masterdata.supplier.approve", clause=CLAUSE_GATE,
        reason=reason, update_fields=["status"],
    ) as locked:  # fmt: skip
        _not_voided(locked)
        if locked.status != SupplierStatus.CANDIDATE:
            raise ValidationError(
                {"status": _("Only a supplier awaiting approval can be approved; this one is "
                             "“%(status)s”.") % {"status": locked.get_status_display()}}
            )  # fmt: skip
        locked.status = status
    return locked


# Where a supplier's status may go by ``supplier_status_set``; a candidate is approved instead.
STATUS_SETTABLE = (
    SupplierStatus.QUALIFIED,
    SupplierStatus.CONDITIONAL,
    SupplierStatus.SUSPENDED,
    SupplierStatus.DISQUALIFIED,
)


@transaction.atomic
def supplier_status_set(*, actor: User, supplier: Supplier, status: str, reason: str) -> Supplier:
    """Suspend, disqualify, make conditional or reinstate an approved supplier. A suspended or
    disqualified supplier's receipts are refused at the incoming gate (§6 e))."""
    require(actor, "masterdata.set_status_supplier", supplier, clause=CLAUSE_GATE)
    if status not in STATUS_SETTABLE:
        raise ValidationError({"status": _("Choose a status from the list.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change of status.")})
    if status in (SupplierStatus.QUALIFIED, SupplierStatus.CONDITIONAL):
        # Going back to qualified moves the supplier forward again: a veto on it still holds.
        veto_refuse_if_active(supplier)
    with audited_change(
        actor=actor, obj=supplier, action="masterdata.supplier.status", clause=CLAUSE_GATE,
        reason=reason, update_fields=["status"],
    ) as locked:  # fmt: skip
        _not_voided(locked)
        if locked.status == SupplierStatus.CANDIDATE and status in (
            SupplierStatus.QUALIFIED,
            SupplierStatus.CONDITIONAL,
        ):
            raise ValidationError(
                {"status": _("A supplier awaiting approval is approved through its approval "
                             "(the CQO may veto it, §6 i)).")}
            )  # fmt: skip
        if locked.status == status:
            raise ValidationError(
                {"status": _("The supplier is already “%(status)s”.")
                 % {"status": locked.get_status_display()}}
            )  # fmt: skip
        locked.status = status
    return locked


@transaction.atomic
def approved_supplier_add(
    *,
    actor: User,
    item: Item,
    supplier: Supplier,
    since: datetime.date | None = None,
    note: str = "",
) -> ApprovedSupplier:
    """Put a supplier on the approved-supplier list of an item."""
    require(actor, "masterdata.add_approvedsupplier", clause=CLAUSE_GATE)
    _not_voided(item, "item")
    _not_voided(supplier, "supplier")
    entry = ApprovedSupplier(item=item, supplier=supplier, since=since, note=_tidy(note or ""))
    return _create(
        actor=actor, obj=entry, perm="masterdata.add_approvedsupplier",
        action="masterdata.approvedsupplier.create", clause_code=CLAUSE_GATE,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def approved_supplier_update(
    *,
    actor: User,
    approved: ApprovedSupplier,
    reason: str = "",
    **fields: Any,
) -> ApprovedSupplier:
    """Change the date since when (``since``), or the ``note`` of, an entry of the
    approved-supplier list."""
    _only(fields, ("since", "note"))
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=approved, perm="masterdata.change_approvedsupplier",
        action="masterdata.approvedsupplier.update", clause_code=CLAUSE_GATE,
        fields=fields, reason=reason,
    )  # fmt: skip


def approved_supplier_remove(
    *, actor: User, approved: ApprovedSupplier, reason: str
) -> ApprovedSupplier:
    """Take a supplier off an item's list: the entry is voided with the reason, kept."""
    return _void(actor=actor, obj=approved, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]


approved_supplier_void = approved_supplier_remove


# --- customers, work centres and operations ----------------------------------------------


@transaction.atomic
def customer_create(*, actor: User, code: str, name: str, **fields: Any) -> Customer:
    _only(fields, CUSTOMER_FIELDS)
    require(actor, "masterdata.add_customer", clause=CLAUSE_GATE)
    fields["credit_code"] = _credit_code(fields.get("credit_code"))
    customer = Customer()
    _assign(customer, {"code": code, "name": name, **fields})
    return _create(
        actor=actor, obj=customer, perm="masterdata.add_customer",
        action="masterdata.customer.create", clause_code=CLAUSE_GATE,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def customer_update(
    *, actor: User, customer: Customer, reason: str = "", **fields: Any
) -> Customer:
    _only(fields, CUSTOMER_FIELDS)
    require(actor, "masterdata.change_customer", customer, clause=CLAUSE_GATE)
    if "credit_code" in fields:
        fields["credit_code"] = _credit_code(fields["credit_code"])
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=customer, perm="masterdata.change_customer",
        action="masterdata.customer.update", clause_code=CLAUSE_GATE, fields=fields,
        reason=reason,
    )  # fmt: skip


def customer_void(*, actor: User, obj: Customer, reason: str) -> Customer:
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]


@transaction.atomic
def work_centre_create(*, actor: User, code: str, name: str, **fields: Any) -> WorkCentre:
    require(actor, "masterdata.add_workcentre", clause=CLAUSE_GATE)
    _only(fields, WORK_CENTRE_FIELDS)
    wc = WorkCentre()
    _assign(wc, {"code": code, "name": name, **fields})
    _not_voided(wc.unit, "unit")
    return _create(
        actor=actor, obj=wc, perm="masterdata.add_workcentre",
        action="masterdata.workcentre.create", clause_code=CLAUSE_GATE,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def work_centre_update(
    *, actor: User, work_centre: WorkCentre, reason: str = "", **fields: Any
) -> WorkCentre:
    require(actor, "masterdata.change_workcentre", work_centre, clause=CLAUSE_GATE)
    _only(fields, WORK_CENTRE_FIELDS)
    _not_voided(fields.get("unit"), "unit")
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=work_centre, perm="masterdata.change_workcentre",
        action="masterdata.workcentre.update", clause_code=CLAUSE_GATE, fields=fields,
        reason=reason,
    )  # fmt: skip


def work_centre_void(*, actor: User, obj: WorkCentre, reason: str) -> WorkCentre:
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]


@transaction.atomic
def operation_create(
    *, actor: User, item: Item, sequence: Any, name: str, work_centre: WorkCentre, **fields: Any
) -> Operation:
    _only(fields, OPERATION_FIELDS)
    require(actor, "masterdata.add_operation", clause=CLAUSE_GATE)
    _not_voided(item, "item")
    if work_centre is None:
        raise ValidationError({"work_centre": _("Choose the work centre of the operation.")})
    _not_voided(work_centre, "work_centre")
    op = Operation(item=item, work_centre=work_centre)
    _assign(op, {"sequence": sequence, "name": name, **fields})
    return _create(
        actor=actor, obj=op, perm="masterdata.add_operation",
        action="masterdata.operation.create", clause_code=CLAUSE_GATE,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def operation_update(
    *, actor: User, operation: Operation, reason: str = "", **fields: Any
) -> Operation:
    require(actor, "masterdata.change_operation", operation, clause=CLAUSE_GATE)
    _only(fields, OPERATION_FIELDS)
    _not_voided(fields.get("work_centre"), "work_centre")
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=operation, perm="masterdata.change_operation",
        action="masterdata.operation.update", clause_code=CLAUSE_GATE, fields=fields,
        reason=reason,
    )  # fmt: skip


def operation_void(*, actor: User, obj: Operation, reason: str) -> Operation:
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]


# --- measuring instruments (§7.2.2.1) ---------------------------------------------------


def _instrument_check(instrument: Instrument) -> None:
    low = _decimal_or_none(instrument.range_low, "range_low")
    high = _decimal_or_none(instrument.range_high, "range_high")
    if low is not None and high is not None and low >= high:
        raise ValidationError({"range_high": _("The end of the range must be above its start.")})
    resolution = _decimal_or_none(instrument.resolution, "resolution")
    if resolution is not None and resolution <= 0:
        raise ValidationError({"resolution": _("The resolution must be greater than zero.")})


@transaction.atomic
def instrument_create(
    *, actor: User, number: str, name: str, instrument_type: str, **fields: Any
) -> Instrument:
    _only(fields, INSTRUMENT_FIELDS)
    require(actor, "masterdata.add_instrument", clause=CLAUSE_METROLOGY)
    instrument = Instrument()
    _assign(
        instrument, {"number": number, "name": name, "instrument_type": instrument_type, **fields}
    )
    _not_voided(instrument.owner_unit, "owner_unit")
    _instrument_check(instrument)
    return _create(
        actor=actor, obj=instrument, perm="masterdata.add_instrument",
        action="masterdata.instrument.create", clause_code=CLAUSE_METROLOGY,
    )  # type: ignore[return-value]  # fmt: skip


@transaction.atomic
def instrument_update(
    *, actor: User, instrument: Instrument, reason: str = "", **fields: Any
) -> Instrument:
    require(actor, "masterdata.change_instrument", instrument, clause=CLAUSE_METROLOGY)
    _only(fields, INSTRUMENT_FIELDS)
    _not_voided(fields.get("owner_unit"), "owner_unit")
    return _update(  # type: ignore[no-any-return]
        actor=actor, obj=instrument, perm="masterdata.change_instrument",
        action="masterdata.instrument.update", clause_code=CLAUSE_METROLOGY, fields=fields,
        reason=reason, check=_instrument_check,
    )  # fmt: skip


def instrument_void(*, actor: User, obj: Instrument, reason: str) -> Instrument:
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_METROLOGY)  # type: ignore[no-any-return]


# --- lots (§6 e)) ------------------------------------------------------------------------

LOT_PREFIX: dict[str, str] = {LotOrigin.RECEIPT: "RC", LotOrigin.PRODUCTION: "PR"}
_NUMBER_TAIL = re.compile(r"-(\d+)$")


def _quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"quantity": _("Give the quantity as a number.")}) from None
    if not quantity.is_finite():
        raise ValidationError({"quantity": _("Give the quantity as a number.")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be greater than zero.")})
    return quantity


def lot_number_next(origin: str, on: datetime.date) -> str:
    """The next free number of the day: ``RC-20261206-0001`` for a receipt, ``PR-…`` for
    production."""
    prefix = f"{LOT_PREFIX.get(origin, 'LT')}-{on:%Y%m%d}-"
    last = (
        Lot.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    match = _NUMBER_TAIL.search(last or "")
    return f"{prefix}{(int(match.group(1)) + 1 if match else 1):04d}"


def supplier_blocked_message(supplier: Supplier) -> str:
    """Why a receipt from ``supplier`` is refused at the incoming gate, or ""."""
    if supplier.status not in SUPPLIER_BLOCKED:
        return ""
    if supplier.status == SupplierStatus.CANDIDATE:
        return _(
            "Receipts from %(supplier)s are refused: the supplier has not been approved yet "
            "(%(clause)s)."
        ) % {"supplier": supplier, "clause": CLAUSE_GATE}
    return _("Receipts from %(supplier)s are refused: the supplier is %(status)s (%(clause)s).") % {
        "supplier": supplier,
        "status": supplier.get_status_display(),
        "clause": CLAUSE_GATE,
    }


def lot_receipt_problems(
    *, item: Item, supplier: Supplier, supplier_batch: str = "", exclude_pk: Any = None
) -> dict[str, str]:
    """What refuses a receipt of ``item`` from ``supplier`` at the incoming gate, by field: a
    blocked supplier, one not on the item's approved-supplier list, a batch already received.
    Shared by ``lot_create`` and the lot import, which checks every row before writing any."""
    problems: dict[str, str] = {}
    if supplier.voided_at is not None:
        problems["supplier"] = _(
            "“%(record)s” has been voided; it can no longer be used or changed."
        ) % {"record": supplier}
        return problems
    blocked = supplier_blocked_message(supplier)
    if blocked:
        problems["supplier"] = blocked
    elif not ApprovedSupplier.objects.filter(
        item=item, supplier=supplier, voided_at__isnull=True
    ).exists():
        problems["supplier"] = _(
            "%(supplier)s is not on the approved-supplier list of %(item)s (%(clause)s)."
        ) % {"supplier": supplier, "item": item, "clause": CLAUSE_GATE}
    batch = (supplier_batch or "").strip()
    if batch:
        earlier = (
            Lot.objects.filter(
                supplier=supplier, item=item, supplier_batch=batch, voided_at__isnull=True
            )
            .exclude(pk=exclude_pk)
            .values_list("number", flat=True)
            .first()
        )
        if earlier:
            problems["supplier_batch"] = _(
                "Batch %(batch)s of %(item)s from %(supplier)s was already received as lot %(lot)s."
            ) % {"batch": batch, "item": item, "supplier": supplier, "lot": earlier}
    return problems


@transaction.atomic
def lot_create(
    *,
    actor: User,
    item: Item,
    quantity: Any,
    origin: str,
    arrived_on: datetime.date,
    supplier: Supplier | None = None,
    supplier_batch: str = "",
    order_number: str = "",
    operation: Operation | None = None,
    work_centre: WorkCentre | None = None,
    number: str = "",
) -> Lot:
    """Record a lot at a gate (§6 e)): a receipt from a supplier, or a lot made on a line. It
    waits in quarantine until inspection decides. A receipt is refused from a supplier that is
    awaiting approval, suspended or disqualified, or not on the item's approved-supplier list,
    and a supplier batch is received once."""
    require(actor, "masterdata.add_lot", clause=CLAUSE_GATE)
    if item is None:
        raise ValidationError({"item": _("Choose the item.")})
    _not_voided(item, "item")
    if origin not in LotOrigin.values:
        raise ValidationError({"origin": _("Choose where the lot comes from.")})
    qty = _quantity(quantity)
    if not isinstance(arrived_on, datetime.date):
        raise ValidationError({"arrived_on": _("Give the date.")})
    supplier_batch = (supplier_batch or "").strip()
    if origin == LotOrigin.RECEIPT:
        if supplier is None:
            raise ValidationError({"supplier": _("A receipt names its supplier.")})
        # The status as it stands now, not as the caller last read it: a supplier suspended a
        # moment ago is refused.
        supplier = Supplier.objects.get(pk=supplier.pk)
        problems = lot_receipt_problems(item=item, supplier=supplier, supplier_batch=supplier_batch)
        if problems:
            raise ValidationError(problems)
    elif supplier is not None:
        raise ValidationError({"supplier": _("A lot made in production has no supplier.")})
    if operation is not None:
        _not_voided(operation, "operation")
        if operation.item_id != item.pk:
            raise ValidationError(
                {"operation": _("The operation belongs to another item's routing.")}
            )
        work_centre = work_centre or operation.work_centre
    _not_voided(work_centre, "work_centre")
    number = (number or "").strip()
    if number and Lot.objects.filter(number=number).exists():
        raise ValidationError({"number": _("A lot with this number already exists.")})
    lot = Lot(
        item=item,
        origin=origin,
        quantity=qty,
        supplier=supplier,
        supplier_batch=supplier_batch,
        order_number=(order_number or "").strip(),
        operation=operation,
        work_centre=work_centre,
        arrived_on=arrived_on,
        created_by=actor,
    )
    if number:
        lot.number = number
        _clean_and_save(lot)
    else:
        _save_numbered(lot)
    audit_record(
        actor=actor, action="masterdata.lot.create", obj=lot, after=snapshot(lot),
        clause=CLAUSE_GATE,
    )  # fmt: skip
    return lot


def _save_numbered(lot: Lot, attempts: int = 5) -> None:
    """Give the lot the day's next number; a number taken meanwhile by another receipt is
    retried with the one after it."""
    day = lot.arrived_on if isinstance(lot.arrived_on, datetime.date) else timezone.localdate()
    for attempt in range(attempts):
        lot.number = lot_number_next(lot.origin, day)
        lot.full_clean(exclude=["number"])
        try:
            with transaction.atomic():
                lot.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            lot.pk = None


def lot_void(*, actor: User, obj: Lot, reason: str) -> Lot:
    """A lot recorded by mistake: voided with the reason, kept, its supplier batch free again."""
    return _void(actor=actor, obj=obj, reason=reason, clause_code=CLAUSE_GATE)  # type: ignore[no-any-return]
