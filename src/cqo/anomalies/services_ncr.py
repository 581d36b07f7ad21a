"""Every write of the NCR core (§6 c)): raising an NCR by hand or from another domain's event,
its containment (holds on the affected lots through the gate, §6 e)), sorting results,
customer notices, its status, closure and voiding.

Keyword-only, ``actor`` first, the permission checked first, one transaction, one audit event
per change. The system raises an NCR from ``masterdata.events`` (a rejected lot, an SPC alarm, a
request from another domain) without a permission check of its own: the event is the authority,
and the NCR records who (if anyone) caused it.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.exceptions import ConflictError
from cqo.core.permissions import require
from cqo.core.sod import sod_check
from cqo.core.uploads import file_sha256, upload_check
from cqo.masterdata import stock
from cqo.masterdata.models import DefectClass, Item, Lot, StockStatus

from . import signals
from .closure import closure_obstacle_register, closure_obstacles
from .models_ncr import (
    OPEN_STATUSES,
    Anomaly,
    AnomalyDefect,
    AnomalyLot,
    AnomalyNotice,
    AnomalyPhoto,
    AnomalySource,
    AnomalyStatus,
    DefectCode,
    FoundAt,
)

CLAUSE_NCR = clause("§6 c)")
CLAUSE_GATE = clause("§6 e)")
HOLD_SOURCE = "anomalies:"
CLASS_RANK: dict[str, int] = {"CR": 0, "MA": 1, "MI": 2}
PHOTO_KINDS = ("png", "jpeg", "pdf")
MAX_PHOTOS = 10


# --- parsing -------------------------------------------------------------------------------------


def _quantity(value: Any, *, field: str, allow_zero: bool = True) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_zero:
            return Decimal(0)
        raise ValidationError({field: _("Enter a quantity (%(clause)s).") % {"clause": CLAUSE_NCR}})
    try:
        amount = Decimal(str(value).strip().replace("，", ".").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("Enter a number (%(clause)s).") % {"clause": CLAUSE_NCR}}
        ) from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(
            {field: _("Enter a quantity greater than zero (%(clause)s).") % {"clause": CLAUSE_NCR}}
        )
    if amount >= Decimal("1e11") or amount.as_tuple().exponent < -3:  # type: ignore[operator]
        raise ValidationError(
            {field: _("Enter at most 11 digits and 3 decimals (%(clause)s).")
             % {"clause": CLAUSE_NCR}}
        )  # fmt: skip
    return amount


def _text(value: Any, *, field: str, required: bool = False, limit: int = 0) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError(
            {field: _("This field is required (%(clause)s).") % {"clause": CLAUSE_NCR}}
        )
    if limit and len(text) > limit:
        raise ValidationError(
            {
                field: _("At most %(n)d characters (%(clause)s).")
                % {"n": limit, "clause": CLAUSE_NCR}
            }
        )
    return text


def worst_class(classes: Iterable[str]) -> str:
    """The worst defect class among ``classes`` (CR before MA before MI), or ""."""
    ranked = sorted((c for c in classes if c in CLASS_RANK), key=lambda c: CLASS_RANK[c])
    return str(ranked[0]) if ranked else ""


@dataclass(frozen=True)
class LotLine:
    lot: Lot
    quantity: Decimal | None = None


@dataclass(frozen=True)
class DefectLine:
    defect: DefectCode
    quantity: Decimal = Decimal(0)


# --- raising -------------------------------------------------------------------------------------


def _number_set(anomaly: Anomaly) -> None:
    anomaly.number = f"NCR-{anomaly.raised_at:%Y}-{anomaly.pk:06d}"
    Anomaly.objects.filter(pk=anomaly.pk).update(number=anomaly.number)


def _lots_checked(lots: Sequence[LotLine], item: Item | None) -> list[LotLine]:
    seen: set[int] = set()
    checked = []
    for index, line in enumerate(lots, start=1):
        lot = line.lot
        if lot.voided_at is not None:
            raise ValidationError(
                {"lots": _("Lot %(lot)s was voided: an NCR cannot be raised on it (%(clause)s).")
                 % {"lot": lot.number, "clause": CLAUSE_NCR}}
            )  # fmt: skip
        if lot.pk in seen:
            raise ValidationError(
                {"lots": _("Lot %(lot)s is named twice (line %(n)d).")
                 % {"lot": lot.number, "n": index}}
            )  # fmt: skip
        if item is not None and lot.item_id != item.pk:
            raise ValidationError(
                {"lots": _("Lot %(lot)s is not a lot of item %(item)s (%(clause)s).")
                 % {"lot": lot.number, "item": item.part_number, "clause": CLAUSE_NCR}}
            )  # fmt: skip
        quantity = line.quantity if line.quantity is not None else lot.quantity
        if quantity > lot.quantity:
            raise ValidationError(
                {"lots": _("Lot %(lot)s holds %(has)s; %(asked)s is more (%(clause)s).")
                 % {"lot": lot.number, "has": lot.quantity.normalize(),
                    "asked": quantity.normalize(), "clause": CLAUSE_NCR}}
            )  # fmt: skip
        seen.add(lot.pk)
        checked.append(LotLine(lot=lot, quantity=quantity))
    return checked


def _defects_checked(defects: Sequence[DefectLine], item: Item | None) -> list[DefectLine]:
    seen: set[int] = set()
    for line in defects:
        if line.defect.voided_at is not None:
            raise ValidationError(
                {"defects": _("Defect %(code)s was voided from the catalogue (%(clause)s).")
                 % {"code": line.defect.code, "clause": CLAUSE_NCR}}
            )  # fmt: skip
        if item is not None and item.family and line.defect.family != item.family:
            raise ValidationError(
                {"defects": _("Defect %(code)s is not in the catalogue of the family %(family)s "
                              "of item %(item)s (%(clause)s).")
                 % {"code": line.defect.code, "family": item.family, "item": item.part_number,
                    "clause": CLAUSE_NCR}}
            )  # fmt: skip
        if line.defect.pk in seen:
            raise ValidationError(
                {"defects": _("Defect %(code)s is named twice.") % {"code": line.defect.code}}
            )
        seen.add(line.defect.pk)
    return list(defects)


def _raise(
    *,
    actor: Any,
    title: str,
    description: str = "",
    source: str = AnomalySource.MANUAL,
    source_ref: str = "",
    source_url: str = "",
    item: Item | None = None,
    supplier: Any = None,
    customer: Any = None,
    work_centre: Any = None,
    unit: Any = None,
    found_at: str = FoundAt.OTHER,
    found_on: datetime.date | None = None,
    found_by: Any = None,
    quantity: Any = None,
    defect_class: str = "",
    owner: Any = None,
    lots: Sequence[LotLine] = (),
    defects: Sequence[DefectLine] = (),
    photos: Sequence[Any] = (),
    raised_at: datetime.datetime | None = None,
) -> Anomaly:
    """The one way an NCR comes to be, after the caller's permission check: validates every
    input (nothing written on a bad one), then the NCR, its lots, defects and photos and one
    audit event."""
    title = _text(title, field="title", required=True, limit=200)
    description = _text(description, field="description")
    if source not in AnomalySource.values:
        raise ValidationError({"source": _("Choose a source from the list.")})
    if found_at not in FoundAt.values:
        raise ValidationError({"found_at": _("Choose where it was found from the list.")})
    if item is not None and item.voided_at is not None:
        raise ValidationError(
            {"item": _("Item %(item)s was voided (%(clause)s).")
             % {"item": item.part_number, "clause": CLAUSE_NCR}}
        )  # fmt: skip
    checked_lots = _lots_checked(lots, item)
    if item is None and checked_lots:
        item = checked_lots[0].lot.item
        checked_lots = _lots_checked(lots, item)
    if supplier is None and checked_lots:
        supplier = checked_lots[0].lot.supplier
    if work_centre is None and checked_lots:
        work_centre = checked_lots[0].lot.work_centre
    checked_defects = _defects_checked(defects, item)
    amount = _quantity(quantity, field="quantity")
    if quantity in (None, "") and checked_lots:
        amount = sum((line.quantity or Decimal(0) for line in checked_lots), Decimal(0))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos at once.") % {"n": MAX_PHOTOS}})
    for photo in photos:
        upload_check(photo, field="photos", allowed=PHOTO_KINDS)
    classes = [line.defect.defect_class for line in checked_defects]
    if defect_class:
        if defect_class not in DefectClass.values:
            raise ValidationError({"defect_class": _("Choose a defect class from the list.")})
        classes.append(defect_class)
    now = raised_at or timezone.now()
    anomaly = Anomaly(
        number=f"TMP-{uuid.uuid4().hex[:24]}",
        title=title,
        description=description,
        source=source,
        source_ref=_text(source_ref, field="source_ref", limit=80),
        source_url=_text(source_url, field="source_url", limit=300),
        item=item,
        supplier=supplier,
        customer=customer,
        work_centre=work_centre,
        unit=unit,
        found_at=found_at,
        found_on=found_on or timezone.localdate(now),
        found_by=found_by,
        quantity=amount,
        defect_class=worst_class(classes),
        status=AnomalyStatus.OPEN,
        owner=owner,
        raised_by=actor,
        raised_at=now,
    )
    anomaly.save()
    _number_set(anomaly)
    lot_rows = [
        AnomalyLot(
            anomaly=anomaly,
            lot=line.lot,
            quantity=line.quantity or Decimal(0),
            # A rejected lot is already stopped at the gate: its quantity is quarantined.
            quarantined=line.quantity or Decimal(0)
            if line.lot.stock_status in (StockStatus.REJECTED, StockStatus.QUARANTINE)
            else Decimal(0),
        )
        for line in checked_lots
    ]
    AnomalyLot.objects.bulk_create(lot_rows)
    AnomalyDefect.objects.bulk_create(
        [
            AnomalyDefect(
                anomaly=anomaly,
                defect=line.defect,
                quantity=line.quantity,
                defect_class=line.defect.defect_class,
                recorded_at=now,
            )
            for line in checked_defects
        ]
    )
    stored = [_photo_save(actor, anomaly, photo) for photo in photos]
    audit_record(
        actor=actor,
        action="anomalies.anomaly.raise",
        obj=anomaly,
        after={
            **snapshot(anomaly),
            "lots": [line.lot.number for line in checked_lots],
            "defects": [line.defect.code for line in checked_defects],
            "photos": [p.sha256 for p in stored],
        },
        clause=CLAUSE_NCR,
    )
    # The other parts hear of it (CAPA looks for a repeat of a closed CAPA's defect).
    signals.anomaly_raised.send(sender=None, anomaly=anomaly, actor=actor)
    return anomaly


def _photo_save(actor: Any, anomaly: Anomaly, photo: Any) -> AnomalyPhoto:
    name = str(getattr(photo, "name", "") or "photo")[:200]
    row = AnomalyPhoto(
        anomaly=anomaly,
        file=photo,
        name=name,
        sha256=file_sha256(photo),
        uploaded_by=actor,
    )
    row.save()
    return row


@transaction.atomic
def anomaly_raise(
    *,
    actor: Any,
    title: str,
    description: str = "",
    item: Item | None = None,
    supplier: Any = None,
    customer: Any = None,
    work_centre: Any = None,
    unit: Any = None,
    found_at: str = FoundAt.OTHER,
    found_on: datetime.date | None = None,
    quantity: Any = None,
    defect_class: str = "",
    owner: Any = None,
    lots: Sequence[LotLine] = (),
    defects: Sequence[DefectLine] = (),
    photos: Sequence[Any] = (),
) -> Anomaly:
    """Raise an NCR by hand (anyone, on a phone, with photos): the item, the lots with their
    affected quantities, the defects from the item family's catalogue, where and when found. A
    voided lot is refused, naming the field and the clause."""
    require(actor, "anomalies.add_anomaly", clause=CLAUSE_NCR)
    if found_on is not None and found_on > timezone.localdate():
        raise ValidationError(
            {"found_on": _("The date it was found cannot be in the future (%(clause)s).")
             % {"clause": CLAUSE_NCR}}
        )  # fmt: skip
    return _raise(
        actor=actor,
        title=title,
        description=description,
        source=AnomalySource.MANUAL,
        item=item,
        supplier=supplier,
        customer=customer,
        work_centre=work_centre,
        unit=unit,
        found_at=found_at,
        found_on=found_on,
        found_by=actor,
        quantity=quantity,
        defect_class=defect_class,
        owner=owner,
        lots=lots,
        defects=defects,
        photos=photos,
    )


def _existing(source: str, source_ref: str) -> Anomaly | None:
    if not source_ref:
        return None
    return (
        Anomaly.objects.filter(source=source, source_ref=source_ref, voided_at__isnull=True)
        .order_by("id")
        .first()
    )


def _raise_once(source: str, source_ref: str, **fields: Any) -> Anomaly:
    """Raise from another record once: hearing the event twice gives the same NCR."""
    found = _existing(source, source_ref)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _raise(source=source, source_ref=source_ref, **fields)
    except IntegrityError:
        found = _existing(source, source_ref)
        if found is None:
            raise
        return found


# --- raised by the system from other domains' events (masterdata.events) ------------------------


def _gate_found_at(gate: str) -> str:
    return gate if gate in (FoundAt.IQC, FoundAt.IPQC, FoundAt.OQC) else FoundAt.OTHER


def lot_rejected_receiver(
    sender: Any, *, inspection_lot: Any, lot: Lot, actor: Any = None, **kwargs: Any
) -> Anomaly:
    """A usage decision rejected a lot at a gate (§6 e)): one NCR per rejected inspection lot,
    its source the inspection lot, item, supplier and quantity from the lot and the inspection;
    its class the worst class that failed."""
    failed = [
        s.defect_class
        for s in inspection_lot.samplings.all()
        if s.nonconforming and s.nonconforming >= s.re
    ]
    number = str(inspection_lot.number)
    note = str(getattr(inspection_lot, "decision_note", "") or "")
    description = _("Rejected at inspection %(number)s: %(nc)d nonconforming units in the "
                    "sample.") % {"number": number, "nc": inspection_lot.nonconforming or 0}  # fmt: skip
    if note:
        description = f"{description}\n{note}"
    return _raise_once(
        AnomalySource.LOT_REJECTED,
        number,
        actor=actor,
        title=_("Lot %(lot)s rejected at inspection") % {"lot": lot.number},
        description=description,
        source_url=_inspection_url(inspection_lot),
        item=lot.item,
        supplier=inspection_lot.supplier or lot.supplier,
        work_centre=lot.work_centre,
        found_at=_gate_found_at(str(inspection_lot.gate)),
        found_on=timezone.localdate(inspection_lot.decided_at or timezone.now()),
        found_by=getattr(inspection_lot, "inspector", None) or actor,
        quantity=lot.quantity,
        defect_class=worst_class(failed),
        lots=[LotLine(lot=lot, quantity=lot.quantity)],
    )


def _inspection_url(inspection_lot: Any) -> str:
    getter = getattr(inspection_lot, "get_absolute_url", None)
    try:
        return str(getter()) if getter else ""
    except Exception:  # a record without a page of its own: the reference says enough
        return ""


def spc_alarm_receiver(sender: Any, *, alarm: Any, characteristic: Any, **kwargs: Any) -> Anomaly:
    """A run rule fired on a monitored chart: an NCR on the characteristic's item, found in
    process, one per alarm."""
    ilot = getattr(alarm, "inspection_lot", None)
    lot = getattr(ilot, "lot", None) if ilot is not None else None
    return _raise_once(
        AnomalySource.SPC_ALARM,
        f"SPC-{alarm.pk}",
        actor=None,
        title=_("SPC alarm on %(code)s: %(rules)s")
        % {"code": characteristic.code, "rules": alarm.rules},
        description=_("Point %(point)s of characteristic %(code)s %(name)s broke %(rules)s.")
        % {
            "point": alarm.point_label,
            "code": characteristic.code,
            "name": characteristic.name,
            "rules": alarm.rules,
        },
        item=characteristic.item,
        work_centre=getattr(lot, "work_centre", None),
        found_at=FoundAt.IPQC,
        defect_class=str(characteristic.defect_class or ""),
        quantity=Decimal(0),
        lots=[LotLine(lot=lot, quantity=Decimal(0))]
        if lot is not None and lot.voided_at is None
        else [],
    )


REQUESTABLE = (
    AnomalySource.COMPLAINT,
    AnomalySource.AUDIT,
    AnomalySource.INCIDENT,
    AnomalySource.MANUAL,
)


def anomaly_requested_receiver(
    sender: Any,
    *,
    source: str,
    source_ref: str = "",
    title: str,
    actor: Any = None,
    **kwargs: Any,
) -> Anomaly:
    """Another domain asks for an NCR (``masterdata.events.anomaly_requested``): answered with
    the NCR, the same one for the same ``source`` and ``source_ref``."""
    if source not in REQUESTABLE:
        raise ValidationError({"source": _("Choose a source from the list.")})
    lots = [
        item if isinstance(item, LotLine) else LotLine(lot=item)
        for item in kwargs.pop("lots", ()) or ()
    ]
    allowed = {
        "description", "source_url", "item", "supplier", "customer", "work_centre", "unit",
        "found_at", "found_on", "quantity", "defect_class", "owner",
    }  # fmt: skip
    fields = {k: v for k, v in kwargs.items() if k in allowed and v is not None}
    return _raise_once(
        source,
        str(source_ref or ""),
        actor=actor,
        title=title,
        found_by=actor,
        lots=lots,
        **fields,
    )


# --- containment (§6 c), holds through the gate §6 e)) -----------------------------------------


def _locked(anomaly: Anomaly) -> Anomaly:
    return Anomaly._base_manager.select_for_update().get(pk=anomaly.pk)


def _refuse_if_closed(anomaly: Anomaly) -> None:
    if anomaly.voided_at is not None:
        raise ConflictError(
            _("This NCR was voided (%(clause)s).") % {"clause": CLAUSE_NCR}, clause=CLAUSE_NCR
        )
    if anomaly.status == AnomalyStatus.CLOSED:
        raise ConflictError(
            _("This NCR is closed (%(clause)s).") % {"clause": CLAUSE_NCR}, clause=CLAUSE_NCR
        )


def hold_source(anomaly: Anomaly) -> str:
    return f"{HOLD_SOURCE}{anomaly.number}"


@transaction.atomic
def anomaly_lot_add(*, actor: Any, anomaly: Anomaly, lot: Lot, quantity: Any = None) -> AnomalyLot:
    """Add an affected lot to an open NCR (another lot of the item found suspect)."""
    require(actor, "anomalies.contain_anomaly", anomaly, clause=CLAUSE_NCR)
    locked = _locked(anomaly)
    _refuse_if_closed(locked)
    amount = None if quantity in (None, "") else _quantity(quantity, field="quantity")
    (line,) = _lots_checked([LotLine(lot=lot, quantity=amount)], locked.item)
    if AnomalyLot.objects.filter(anomaly=locked, lot=lot, voided_at__isnull=True).exists():
        raise ValidationError({"lot": _("This lot is already on the NCR.")})
    row = AnomalyLot(anomaly=locked, lot=lot, quantity=line.quantity or Decimal(0))
    row.save()
    audit_record(
        actor=actor, action="anomalies.anomaly.lot_add", obj=locked,
        after={"lot": lot.number, "quantity": str(row.quantity)}, clause=CLAUSE_NCR,
    )  # fmt: skip
    return row


@transaction.atomic
def containment_hold(
    *, actor: Any, anomaly: Anomaly, lots: Sequence[AnomalyLot] | None = None, reason: str = ""
) -> list[AnomalyLot]:
    """Hold the NCR's lots at the gate (§6 e)) so none can be released while it is open: each
    hold placed through ``masterdata.stock.lot_hold_place`` with the source ``anomalies:<NCR>``.
    Lots already held by this NCR are left as they are. The NCR becomes contained."""
    require(actor, "anomalies.contain_anomaly", anomaly, clause=CLAUSE_NCR)
    locked = _locked(anomaly)
    _refuse_if_closed(locked)
    rows = list(
        AnomalyLot.objects.filter(anomaly=locked, voided_at__isnull=True)
        .select_related("lot", "hold")
        .order_by("id")
    )
    if lots is not None:
        wanted = {row.pk for row in lots}
        rows = [row for row in rows if row.pk in wanted]
    if not rows:
        raise ValidationError(
            {"lots": _("The NCR has no lots to hold (%(clause)s).") % {"clause": CLAUSE_GATE}}
        )
    text = _text(reason, field="reason") or _(
        "Held by nonconformance report %(number)s: %(title)s"
    ) % {"number": locked.number, "title": locked.title}
    held = []
    for row in rows:
        if row.hold_id and row.hold is not None and row.hold.lifted_at is None:
            continue
        if row.lot.voided_at is not None:
            raise ValidationError(
                {"lots": _("Lot %(lot)s was voided (%(clause)s).")
                 % {"lot": row.lot.number, "clause": CLAUSE_GATE}}
            )  # fmt: skip
        hold = stock.lot_hold_place(
            actor=actor,
            lot=row.lot,
            reason=text,
            clause=CLAUSE_GATE,
            source=hold_source(locked),
        )
        row.hold = hold
        row.quarantined = row.quantity or row.lot.quantity
        row.save(update_fields=["hold", "quarantined"])
        held.append(row)
    before = snapshot(locked)
    if locked.status == AnomalyStatus.OPEN:
        locked.status = AnomalyStatus.CONTAINED
    if locked.contained_at is None:
        locked.contained_at = timezone.now()
    locked.save(update_fields=["status", "contained_at"])
    audit_record(
        actor=actor, action="anomalies.anomaly.contain", obj=locked, before=before,
        after={**snapshot(locked), "held": [row.lot.number for row in held]},
        reason=text, clause=CLAUSE_GATE,
    )  # fmt: skip
    return held


@transaction.atomic
def containment_lift(*, actor: Any, anomaly_lot: AnomalyLot, reason: str) -> AnomalyLot:
    """Lift the NCR's hold on one lot, with a reason (sorted, dispositioned, or found good)."""
    anomaly = anomaly_lot.anomaly
    require(actor, "anomalies.contain_anomaly", anomaly, clause=CLAUSE_NCR)
    locked = _locked(anomaly)
    if locked.voided_at is not None:
        _refuse_if_closed(locked)
    row = (
        AnomalyLot.objects.select_for_update(of=("self",))
        .select_related("hold", "lot")
        .get(pk=anomaly_lot.pk)
    )
    if row.hold is None or row.hold.lifted_at is not None:
        raise ValidationError(
            {"hold": _("This NCR holds no open hold on lot %(lot)s (%(clause)s).")
             % {"lot": row.lot.number, "clause": CLAUSE_GATE}}
        )  # fmt: skip
    text = _text(reason, field="reason", required=True)
    stock.lot_hold_lift(actor=actor, hold=row.hold, reason=text)
    audit_record(
        actor=actor, action="anomalies.anomaly.hold_lift", obj=locked,
        after={"lot": row.lot.number, "hold": row.hold_id}, reason=text, clause=CLAUSE_GATE,
    )  # fmt: skip
    return row


@transaction.atomic
def sorting_record(
    *, actor: Any, anomaly_lot: AnomalyLot, sorted_quantity: Any, bad_quantity: Any, note: str = ""
) -> AnomalyLot:
    """Record what sorting an affected lot found: how many were sorted, how many bad. The bad
    quantity cannot exceed the sorted one, nor the sorted one the lot."""
    anomaly = anomaly_lot.anomaly
    require(actor, "anomalies.contain_anomaly", anomaly, clause=CLAUSE_NCR)
    locked = _locked(anomaly)
    _refuse_if_closed(locked)
    row = AnomalyLot.objects.select_for_update().select_related("lot").get(pk=anomaly_lot.pk)
    if row.voided_at is not None or row.anomaly_id != locked.pk:
        raise ValidationError({"lot": _("This lot is not on the NCR.")})
    sorted_amount = _quantity(sorted_quantity, field="sorted_quantity", allow_zero=False)
    bad = _quantity(bad_quantity, field="bad_quantity")
    if sorted_amount > row.lot.quantity:
        raise ValidationError(
            {"sorted_quantity": _("Lot %(lot)s holds %(has)s; %(asked)s sorted is more "
                                  "(%(clause)s).")
             % {"lot": row.lot.number, "has": row.lot.quantity.normalize(),
                "asked": sorted_amount.normalize(), "clause": CLAUSE_NCR}}
        )  # fmt: skip
    if bad > sorted_amount:
        raise ValidationError(
            {"bad_quantity": _("The bad quantity cannot exceed the quantity sorted (%(clause)s).")
             % {"clause": CLAUSE_NCR}}
        )  # fmt: skip
    before = snapshot(row)
    row.sorted_quantity = sorted_amount
    row.bad_quantity = bad
    row.sorting_note = _text(note, field="note")
    row.sorted_at = timezone.now()
    row.sorted_by = actor
    row.save(
        update_fields=["sorted_quantity", "bad_quantity", "sorting_note", "sorted_at", "sorted_by"]
    )
    audit_record(
        actor=actor, action="anomalies.anomaly.sort", obj=locked,
        before={"lot": row.lot.number, **before},
        after={"lot": row.lot.number, **snapshot(row)}, clause=CLAUSE_NCR,
    )  # fmt: skip
    return row


@transaction.atomic
def anomaly_photos_add(
    *, actor: Any, anomaly: Anomaly, photos: Sequence[Any]
) -> list[AnomalyPhoto]:
    """Add photos (or PDFs) to an open NCR; each file's content is checked, whatever its name."""
    require(actor, "anomalies.add_anomaly", clause=CLAUSE_NCR)
    locked = _locked(anomaly)
    _refuse_if_closed(locked)
    if not photos or len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos at once.") % {"n": MAX_PHOTOS}})
    for photo in photos:
        upload_check(photo, field="photos", allowed=PHOTO_KINDS)
    stored = [_photo_save(actor, locked, photo) for photo in photos]
    audit_record(
        actor=actor, action="anomalies.anomaly.photo_add", obj=locked,
        after={"photos": [p.sha256 for p in stored]}, clause=CLAUSE_NCR,
    )  # fmt: skip
    return stored


@transaction.atomic
def customer_notify(
    *, actor: Any, anomaly: Anomaly, customer: Any, note: str, shipment: Any = None
) -> AnomalyNotice:
    """Record that a customer who received product of an affected lot was told."""
    require(actor, "anomalies.contain_anomaly", anomaly, clause=CLAUSE_NCR)
    locked = _locked(anomaly)
    _refuse_if_closed(locked)
    text = _text(note, field="note", required=True)
    if shipment is not None and shipment.customer_id != customer.pk:
        raise ValidationError(
            {"shipment": _("Shipment %(number)s went to another customer.")
             % {"number": shipment.number}}
        )  # fmt: skip
    notice = AnomalyNotice(
        anomaly=locked,
        customer=customer,
        shipment=shipment,
        note=text,
        notified_at=timezone.now(),
        notified_by=actor,
    )
    notice.save()
    audit_record(
        actor=actor, action="anomalies.anomaly.notify", obj=locked,
        after={"customer": customer.code, "shipment": getattr(shipment, "number", "")},
        reason=text, clause=CLAUSE_NCR,
    )  # fmt: skip
    return notice


# --- status, owner, closure, void ----------------------------------------------------------------

TRANSITIONS = {
    AnomalyStatus.OPEN: (AnomalyStatus.CONTAINED, AnomalyStatus.REVIEW),
    AnomalyStatus.CONTAINED: (AnomalyStatus.REVIEW,),
    AnomalyStatus.REVIEW: (AnomalyStatus.DISPOSITIONED,),
    AnomalyStatus.DISPOSITIONED: (AnomalyStatus.REVIEW,),
    AnomalyStatus.CLOSED: (),
}


def anomaly_status_set(*, actor: Any, anomaly: Anomaly, status: str, reason: str = "") -> Anomaly:
    """Move an open NCR along open → contained → review → dispositioned (closure is
    ``anomaly_close``). The review board's part sets ``dispositioned`` when the whole quantity is
    dispositioned."""
    require(actor, "anomalies.change_anomaly", anomaly, clause=CLAUSE_NCR)
    with audited_change(
        actor=actor,
        obj=anomaly,
        action="anomalies.anomaly.status",
        clause=CLAUSE_NCR,
        reason=(reason or "").strip(),
        update_fields=["status"],
    ) as locked:
        _refuse_if_closed(locked)
        if status == locked.status:
            return locked
        if status not in TRANSITIONS.get(AnomalyStatus(locked.status), ()):
            raise ValidationError(
                {"status": _("An NCR that is %(now)s cannot become %(next)s (%(clause)s).")
                 % {"now": AnomalyStatus(locked.status).label,
                    "next": AnomalyStatus(status).label if status in AnomalyStatus.values
                    else status,
                    "clause": CLAUSE_NCR}}
            )  # fmt: skip
        locked.status = status
    return locked


def anomaly_assign(*, actor: Any, anomaly: Anomaly, owner: Any) -> Anomaly:
    """Name the quality engineer responsible for the NCR."""
    require(actor, "anomalies.change_anomaly", anomaly, clause=CLAUSE_NCR)
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("Choose an active user.")})
    with audited_change(
        actor=actor,
        obj=anomaly,
        action="anomalies.anomaly.assign",
        clause=CLAUSE_NCR,
        update_fields=["owner"],
    ) as locked:
        _refuse_if_closed(locked)
        locked.owner = owner
    return locked


def containment_obstacles(anomaly: Anomaly) -> list[str]:
    """The NCR core's own closure condition: no hold it placed is still open."""
    open_lots = list(
        AnomalyLot.objects.filter(
            anomaly=anomaly,
            voided_at__isnull=True,
            hold__isnull=False,
            hold__lifted_at__isnull=True,
            hold__voided_at__isnull=True,
        )
        .select_related("lot")
        .order_by("id")
        .values_list("lot__number", flat=True)
    )
    if not open_lots:
        return []
    return [
        _("Containment: the hold on lot(s) %(lots)s is still open (%(clause)s).")
        % {"lots": ", ".join(open_lots), "clause": CLAUSE_GATE}
    ]


closure_obstacle_register("containment", containment_obstacles)


def anomaly_close(*, actor: Any, anomaly: Anomaly, note: str = "") -> Anomaly:
    """Close the NCR: only when no registered condition objects (the whole quantity
    dispositioned and done, every CAPA closed with its effectiveness checked, no hold open), and
    never by whoever raised or owns it."""
    require(actor, "anomalies.close_anomaly", anomaly, clause=CLAUSE_NCR)
    with audited_change(
        actor=actor,
        obj=anomaly,
        action="anomalies.anomaly.close",
        clause=CLAUSE_NCR,
        reason=(note or "").strip(),
        update_fields=["status", "closed_at", "closed_by", "closure_note"],
    ) as locked:
        _refuse_if_closed(locked)
        sod_check(
            actor=actor,
            raised_by=locked.raised_by_id,
            subject_people=[locked.owner_id] if locked.owner_id else [],
            clause=CLAUSE_NCR,
        )
        held = containment_obstacles(locked)
        if held:
            # A lot still held by the NCR is a state, not a form error: the API answers 409.
            raise ConflictError(" ".join(held), clause=CLAUSE_GATE)
        found = closure_obstacles(locked)
        if found:
            raise ValidationError({"status": found})
        locked.status = AnomalyStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.closure_note = (note or "").strip()
    return locked


@transaction.atomic
def anomaly_void(*, actor: Any, anomaly: Anomaly, reason: str) -> Anomaly:
    """Void an NCR raised in error, with a reason; its open holds are lifted with it."""
    require(actor, "anomalies.void_anomaly", anomaly, clause=CLAUSE_NCR)
    if anomaly.status == AnomalyStatus.CLOSED:
        raise ConflictError(
            _("A closed NCR is not voided (%(clause)s).") % {"clause": CLAUSE_NCR},
            clause=CLAUSE_NCR,
        )
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Give a reason for voiding this record.")})
    for row in AnomalyLot.objects.filter(
        anomaly=anomaly, voided_at__isnull=True, hold__lifted_at__isnull=True, hold__isnull=False
    ).select_related("hold"):
        if row.hold is not None:
            stock.lot_hold_lift(actor=actor, hold=row.hold, reason=text)
    voided = record_void(
        actor=actor, record=anomaly, reason=text, perm="anomalies.void_anomaly", clause=CLAUSE_NCR
    )
    assert isinstance(voided, Anomaly)
    return voided


def open_statuses() -> tuple[str, ...]:
    return tuple(str(s) for s in OPEN_STATUSES)
