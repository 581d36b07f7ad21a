"""Results, the usage decision (使用决策), concessions (让步接收) and dispositions (§6 e), §6 c)).

Every write here is one service call: the permission first, then validation that names the row
and field in the user's language, then the change and ONE audit event in one transaction, so a
refused call leaves nothing behind.

Results are written in bulk (a lot of 315 samples × 10 characteristics, an instrument posting
10,000 readings): one event per lot and call, whose ``after["bulk"]`` holds the count and the
SHA-256 digest of the rows written (``cqo.core.bulk``), instead of one event per measurement.

Decisions taken here, and why:

* A result for a sample unit that already has one is refused unless a correction reason is
  given: the old row is then voided with that reason and the new one written in the same event.
  Re-sending an unchanged result is no change and is skipped, so a grid can post all its cells.
* A sample unit beyond the class's n (more units drawn than the plan says) and, at the decision,
  fewer results than n on a characteristic, are allowed only with a reason, which the lot keeps
  in ``sample_count_reason`` (GB/T 2828.1 judges the sample that was drawn).
* A sample unit is nonconforming in a defect class when any characteristic of that class is out
  of its limits or has a defect on it; a class accepts while its count stays below Re.
* The inspector decides accept or reject. Rejecting a lot the numbers accept needs a reason;
  accepting a lot the numbers reject is refused outright: using such a lot is a concession
  (§6 c)), which only the CQO or a delegate approves, never the inspector's own decision.
* A concession is raised on a rejected lot. When the customer's consent is required, its
  reference may be given when raising or recorded later, but it must be on the concession before
  the approver can approve: the approval is refused until then.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cqo.accounts.models import User
from cqo.audit.services import (
    audit_record,
    audited_bulk_create,
    audited_change,
    record_void,
    snapshot,
)
from cqo.authorities.models import ApprovalRequest, ApprovalStatus
from cqo.authorities.services import approval_request_raise
from cqo.core import bulk
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.core.uploads import file_sha256, upload_check
from cqo.masterdata import events, stock
from cqo.masterdata.models import (
    Characteristic as MdCharacteristic,
)
from cqo.masterdata.models import (
    CharacteristicKind,
    DefectClass,
    Instrument,
    InstrumentStatus,
)

from . import signals, switching
from .models import (
    Concession,
    ConcessionStatus,
    Disposition,
    DispositionKind,
    InspectionAttachment,
    InspectionLot,
    InspectionStatus,
    LotSampling,
    Measurement,
    PlanCharacteristic,
    UsageDecision,
)

CLAUSE_GATE = clause("§6 e)")
CLAUSE_CONCESSION = clause("§6 c)")

# The brief named it "inspection_concession"; ApprovalRequest.kind holds 20 characters.
KIND_CONCESSION = "lot_concession"

MAX_ERRORS = 50
VALUE_LIMIT = Decimal(10) ** 12
SIX_PLACES = Decimal("0.000001")
CLASS_ORDER = {c: i for i, c in enumerate(DefectClass.values)}

PASS_WORDS = {"pass", "ok", "y", "yes", "true", "1", "合格", "通过", "是"}
FAIL_WORDS = {"fail", "ng", "n", "no", "false", "0", "不合格", "否"}


# --- parsing one row ----------------------------------------------------------------------------


class _RowError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _id(value: Any) -> int | None:
    """A primary key given by a caller, or None (a database refuses a key beyond 64 bits)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 0 < number < 2**62 else None


def _number(value: Any, field: str) -> Decimal:
    if isinstance(value, bool):
        raise _RowError(field, _("Give a number, not yes or no."))
    try:
        number = Decimal(str(value).strip().replace("，", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise _RowError(
            field, _("“%(value)s” is not a number.") % {"value": str(value)[:40]}
        ) from None
    if not number.is_finite() or abs(number) >= VALUE_LIMIT:
        raise _RowError(field, _("Give a finite number below 10¹² in size."))
    return number.quantize(SIX_PLACES)


def _whole(value: Any, field: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise _RowError(field, _("Give a whole number."))
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _RowError(
            field, _("“%(value)s” is not a whole number.") % {"value": str(value)[:40]}
        ) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise _RowError(field, _("Give a whole number."))
    if number < minimum:
        raise _RowError(field, _("Give a whole number of at least %(min)d.") % {"min": minimum})
    if number > 10**9:
        raise _RowError(field, _("The number is too large."))
    return int(number)


def _pass_fail(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in PASS_WORDS:
        return True
    if word in FAIL_WORDS:
        return False
    raise _RowError(field, _("Say pass or fail."))


@dataclass
class _Row:
    label: str
    characteristic: MdCharacteristic
    sample_no: int
    value: Decimal | None
    defects: int
    conforming: bool
    defect_type: str
    instrument_id: int | None
    measured_at: datetime.datetime | None


def conforms(characteristic: MdCharacteristic, value: Decimal | None, defects: int = 0) -> bool:
    """Whether a result is within the characteristic's limits (variables) or has no defect."""
    if characteristic.kind == CharacteristicKind.ATTRIBUTE:
        return defects == 0
    if value is None:
        return False
    if characteristic.lsl is not None and value < characteristic.lsl:
        return False
    return not (characteristic.usl is not None and value > characteristic.usl)


# --- what a lot is inspected for -------------------------------------------------------------


@dataclass(frozen=True)
class LotSheet:
    """The grid of a lot: the plan's characteristics (columns) and each defect class's n."""

    inspection_lot: InspectionLot
    characteristics: list[MdCharacteristic]
    samplings: dict[str, LotSampling]

    def n_for(self, characteristic: MdCharacteristic) -> int | None:
        sampling = self.samplings.get(characteristic.defect_class)
        return sampling.n if sampling is not None else None

    @property
    def rows(self) -> int:
        """Sample units in the grid: the largest n among the lot's classes."""
        return max((s.n for s in self.samplings.values()), default=0)


def lot_sheet(inspection_lot: InspectionLot) -> LotSheet:
    chars = [
        pc.characteristic
        for pc in PlanCharacteristic.objects.filter(
            plan_id=inspection_lot.plan_id,
            voided_at__isnull=True,
            characteristic__voided_at__isnull=True,
        ).select_related("characteristic")
    ]
    samplings = {
        s.defect_class: s
        for s in LotSampling.objects.filter(inspection_lot=inspection_lot, voided_at__isnull=True)
    }
    return LotSheet(inspection_lot, chars, samplings)


def _lot_quantity_cap(inspection_lot: InspectionLot) -> int:
    try:
        return max(1, int(inspection_lot.lot_size))
    except (TypeError, ValueError, InvalidOperation):
        return 10**9


# --- recording results ----------------------------------------------------------------------


@dataclass
class RecordedResults:
    """What one call wrote on one lot."""

    inspection_lot: InspectionLot
    created: list[Measurement] = field(default_factory=list)
    voided: int = 0
    unchanged: int = 0

    @property
    def nonconforming(self) -> int:
        return sum(1 for m in self.created if not m.conforming)


def _row_label(row: Mapping[str, Any], index: int) -> str:
    label = row.get("_row")
    return str(label) if not _blank(label) else str(index + 1)


def _field_name(row: Mapping[str, Any], field: str) -> str:
    columns = row.get("_columns")
    if isinstance(columns, Mapping) and field in columns:
        return str(columns[field])
    return field


def _error(row: Mapping[str, Any], label: str, field: str, message: str) -> str:
    return _("Row %(row)s, %(field)s: %(message)s") % {
        "row": label,
        "field": _field_name(row, field),
        "message": message,
    }


def _instruments(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[int, Any], dict[str, Any]]:
    ids: set[int] = set()
    numbers: set[str] = set()
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        pk = _id(row.get("instrument_id"))
        if pk is not None:
            ids.add(pk)
        number = row.get("instrument")
        if not _blank(number):
            numbers.add(str(number).strip())
    found = list(
        Instrument.objects.filter(voided_at__isnull=True, pk__in=ids).only("pk", "number", "status")
    ) + list(
        Instrument.objects.filter(voided_at__isnull=True, number__in=numbers).only(
            "pk", "number", "status"
        )
    )
    return {i.pk: i for i in found}, {i.number: i for i in found}


def _parse(
    row: Mapping[str, Any],
    label: str,
    sheet: LotSheet,
    by_id: dict[int, MdCharacteristic],
    by_code: dict[str, MdCharacteristic],
    instruments: tuple[dict[int, Any], dict[str, Any]],
    *,
    extra_units: bool,
) -> _Row:
    # The characteristic: by id (the grid, the API) or by code (Excel, an instrument).
    raw_id, code = row.get("characteristic_id"), row.get("characteristic")
    char: MdCharacteristic | None = None
    if not _blank(raw_id):
        char = by_id.get(_id(raw_id) or 0)
        if char is None:
            raise _RowError(
                "characteristic_id",
                _("Characteristic %(value)s is not checked on this lot.")
                % {"value": str(raw_id)[:40]},
            )
    elif not _blank(code):
        char = by_code.get(str(code).strip())
        if char is None:
            raise _RowError(
                "characteristic",
                _("Characteristic “%(value)s” is not checked on this lot.")
                % {"value": str(code)[:40]},
            )
    else:
        raise _RowError("characteristic", _("Name the characteristic."))
    if _blank(row.get("sample_no")):
        raise _RowError("sample_no", _("Give the sample unit number."))
    sample_no = _whole(row.get("sample_no"), "sample_no", minimum=1)
    n = sheet.n_for(char)
    if n is None:
        raise _RowError(
            "characteristic",
            _("The lot has no sampling for defect class %(cls)s.") % {"cls": char.defect_class},
        )
    if sample_no > _lot_quantity_cap(sheet.inspection_lot):
        raise _RowError(
            "sample_no",
            _("Sample unit %(no)d is beyond the lot size.") % {"no": sample_no},
        )
    if sample_no > n and not extra_units:
        raise _RowError(
            "sample_no",
            _(
                "Sample unit %(no)d is beyond the sample size n = %(n)d of class %(cls)s; give a "
                "reason to record more units than the plan draws."
            )
            % {"no": sample_no, "n": n, "cls": char.defect_class},
        )
    value: Decimal | None = None
    defects = 0
    if char.kind == CharacteristicKind.VARIABLE:
        if _blank(row.get("value")):
            raise _RowError("value", _("Give the measured value."))
        if not _blank(row.get("defects")) and str(row.get("defects")).strip() not in ("0",):
            raise _RowError(
                "defects", _("This characteristic is measured: give its value, not defects.")
            )
        value = _number(row.get("value"), "value")
        conforming = conforms(char, value)
    else:
        if not _blank(row.get("value")):
            raise _RowError(
                "value",
                _("This characteristic is counted: give its number of defects or pass/fail."),
            )
        has_defects = not _blank(row.get("defects"))
        has_verdict = not _blank(row.get("conforming"))
        if not has_defects and not has_verdict:
            raise _RowError("defects", _("Give the number of defects, or pass or fail."))
        if has_defects:
            defects = _whole(row.get("defects"), "defects")
        if has_verdict:
            passed = _pass_fail(row.get("conforming"), "conforming")
            if has_defects and passed != (defects == 0):
                raise _RowError("conforming", _("Pass or fail contradicts the defect count."))
            if not has_defects:
                defects = 0 if passed else 1
        conforming = defects == 0
    defect_type = "" if _blank(row.get("defect_type")) else str(row.get("defect_type")).strip()
    if len(defect_type) > 100:
        raise _RowError("defect_type", _("Name the defect in at most 100 characters."))
    instrument_id: int | None = None
    raw_instrument, number = row.get("instrument_id"), row.get("instrument")
    if not _blank(raw_instrument) or not _blank(number):
        by_pk, by_number = instruments
        instrument = None
        if not _blank(raw_instrument):
            instrument = by_pk.get(_id(raw_instrument) or 0)
            field_name, shown = "instrument_id", str(raw_instrument)
        else:
            instrument = by_number.get(str(number).strip())
            field_name, shown = "instrument", str(number)
        if instrument is None:
            raise _RowError(
                field_name, _("No measuring instrument “%(value)s”.") % {"value": shown[:60]}
            )
        if instrument.status != InstrumentStatus.IN_USE:
            raise _RowError(
                field_name,
                _("Instrument %(number)s is out of service; measure with one in use.")
                % {"number": instrument.number},
            )
        instrument_id = instrument.pk
    measured_at = None
    raw_at = row.get("measured_at")
    if not _blank(raw_at):
        if isinstance(raw_at, datetime.datetime):
            measured_at = raw_at
        else:
            try:
                measured_at = parse_datetime(str(raw_at).strip())
            except ValueError:
                measured_at = None
            if measured_at is None:
                raise _RowError("measured_at", _("Give the time as 2026-03-01T08:30:00+08:00."))
        if timezone.is_naive(measured_at):
            measured_at = timezone.make_aware(measured_at)
        if measured_at > timezone.now() + datetime.timedelta(minutes=5):
            raise _RowError("measured_at", _("A result cannot be measured in the future."))
    return _Row(
        label=label,
        characteristic=char,
        sample_no=sample_no,
        value=value,
        defects=defects,
        conforming=conforming,
        defect_type=defect_type,
        instrument_id=instrument_id,
        measured_at=measured_at,
    )


def _same(existing: Mapping[str, Any], row: _Row) -> bool:
    return (
        existing["value"] == row.value
        and existing["defects"] == row.defects
        and existing["defect_type"] == row.defect_type
        and existing["instrument_id"] == row.instrument_id
    )


def _decided_refusal(ilot: InspectionLot) -> ValidationError:
    return ValidationError(
        {
            "inspection_lot": _(
                "Inspection lot %(number)s has been decided (%(decision)s); its results can no "
                "longer change (%(clause)s)."
            )
            % {
                "number": ilot.number,
                "decision": ilot.get_decision_display(),
                "clause": CLAUSE_GATE,
            }
        }
    )


def _rows_check(
    sheet: LotSheet,
    rows: Sequence[Mapping[str, Any]],
    *,
    extra_units: bool,
    start: int = 0,
) -> tuple[list[_Row], list[str]]:
    by_id = {c.pk: c for c in sheet.characteristics}
    by_code = {c.code: c for c in sheet.characteristics}
    instruments = _instruments(rows)
    parsed: list[_Row] = []
    errors: list[str] = []
    seen: dict[tuple[int, int], str] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors.append(
                _("Row %(row)s: give each result as an object with named fields.")
                % {"row": start + index + 1}
            )
            continue
        label = _row_label(row, start + index)
        try:
            result = _parse(row, label, sheet, by_id, by_code, instruments, extra_units=extra_units)
        except _RowError as exc:
            errors.append(_error(row, label, exc.field, exc.message))
        else:
            key = (result.characteristic.pk, result.sample_no)
            if key in seen:
                errors.append(
                    _error(
                        row,
                        label,
                        "sample_no",
                        _("Sample unit %(no)d of %(code)s is given twice (also row %(other)s).")
                        % {
                            "no": result.sample_no,
                            "code": result.characteristic.code,
                            "other": seen[key],
                        },
                    )
                )
            else:
                seen[key] = label
                parsed.append(result)
        if len(errors) >= MAX_ERRORS:
            errors.append(_("… and more; correct these first."))
            break
    return parsed, errors


def _record_on_lot(
    *,
    actor: User,
    inspection_lot: InspectionLot,
    rows: Sequence[Mapping[str, Any]],
    reason: str,
    correction_reason: str,
    start: int = 0,
) -> tuple[RecordedResults | None, list[str]]:
    """Check and write one lot's rows; (None, errors) when anything is wrong, nothing written."""
    require(actor, "inspection.add_measurement", inspection_lot, clause=CLAUSE_GATE)
    ilot = InspectionLot.objects.select_for_update().get(pk=inspection_lot.pk)
    if ilot.voided_at is not None:
        return None, [_("Inspection lot %(number)s has been voided.") % {"number": ilot.number}]
    if ilot.status == InspectionStatus.DECIDED:
        raise _decided_refusal(ilot)
    reason = (reason or "").strip()
    correction_reason = (correction_reason or "").strip()
    sheet = lot_sheet(ilot)
    parsed, errors = _rows_check(sheet, rows, extra_units=bool(reason), start=start)
    existing: dict[tuple[int, int], dict[str, Any]] = {}
    if parsed:
        for m in Measurement.objects.filter(
            inspection_lot=ilot,
            voided_at__isnull=True,
            characteristic_id__in={r.characteristic.pk for r in parsed},
        ).values("pk", "characteristic_id", "sample_no", "value", "defects", "defect_type",
                 "instrument_id"):  # fmt: skip
            existing[(m["characteristic_id"], m["sample_no"])] = dict(m)
    result = RecordedResults(inspection_lot=ilot)
    to_write: list[_Row] = []
    to_void: list[int] = []
    for row in parsed:
        old = existing.get((row.characteristic.pk, row.sample_no))
        if old is None:
            to_write.append(row)
        elif _same(old, row):
            result.unchanged += 1
        elif correction_reason:
            to_void.append(old["pk"])
            to_write.append(row)
        elif len(errors) < MAX_ERRORS:
            errors.append(
                _("Row %(row)s: sample unit %(no)d of %(code)s already has a result; give a "
                  "reason for the correction to replace it.")
                % {"row": row.label, "no": row.sample_no, "code": row.characteristic.code}
            )  # fmt: skip
    if errors:
        return None, errors
    if not to_write:
        return result, []
    now = timezone.now()
    if to_void:
        Measurement.objects.filter(pk__in=to_void).update(
            voided_at=now, voided_by=actor, void_reason=correction_reason
        )
    objs = [
        Measurement(
            inspection_lot=ilot,
            characteristic=row.characteristic,
            sample_no=row.sample_no,
            value=row.value,
            defects=row.defects,
            conforming=row.conforming,
            defect_type=row.defect_type,
            instrument_id=row.instrument_id,
            measured_at=row.measured_at or now,
            recorded_by=actor,
        )
        for row in to_write
    ]
    result.voided = len(to_void)
    before = snapshot(ilot, ["status", "inspector", "sample_count_reason"])
    changed: list[str] = []
    if ilot.status == InspectionStatus.OPEN:
        ilot.status = InspectionStatus.IN_PROGRESS
        changed.append("status")
    if ilot.inspector_id is None:
        ilot.inspector = actor
        changed.append("inspector")
    beyond = [r for r in to_write if r.sample_no > (sheet.n_for(r.characteristic) or 0)]
    if beyond and reason and reason not in ilot.sample_count_reason:
        ilot.sample_count_reason = "\n".join(x for x in (ilot.sample_count_reason, reason) if x)
        changed.append("sample_count_reason")
    if changed:
        ilot.save(update_fields=changed)
    # The platform's bulk path: the rows in batches, and ONE event whose after["bulk"] holds
    # their count and digest (cqo.core.bulk), however many rows the save carries.
    batch = audited_bulk_create(
        actor=actor,
        obj=ilot,
        action="inspection.results.record",
        model=Measurement,
        rows=objs,
        before=before,
        after={
            **snapshot(ilot, ["status", "inspector", "sample_count_reason"]),
            "out_of_spec": sum(1 for m in objs if not m.conforming),
            "voided": sorted(to_void),
            "characteristics": sorted({r.characteristic.pk for r in to_write}),
        },
        reason=correction_reason or (reason if beyond else ""),
        clause=CLAUSE_GATE,
    )
    result.created = [m for m in batch.rows if isinstance(m, Measurement)]
    char_ids = {r.characteristic.pk for r in to_write}
    transaction.on_commit(
        lambda: signals.results_recorded.send(
            sender=None, inspection_lot=ilot, characteristic_ids=char_ids, actor=actor
        )
    )
    return result, []


def results_record(
    *,
    actor: User,
    inspection_lot: InspectionLot,
    rows: Sequence[Mapping[str, Any]],
    reason: str = "",
    correction_reason: str = "",
) -> RecordedResults:
    """Record results on one inspection lot, all or nothing.

    ``rows``: mappings with ``characteristic_id`` (or ``characteristic``, its code),
    ``sample_no``, ``value`` (variables) or ``defects`` / ``conforming`` (attributes),
    ``instrument_id`` (or ``instrument``, its number), ``defect_type``, ``measured_at``; an
    optional ``_row`` names the row in errors (an Excel row number) and ``_columns`` the column
    of each field. ``reason`` allows sample units beyond n; ``correction_reason`` replaces
    results already recorded."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise ValidationError({"rows": _("Give the results as a list.")})
    if not rows:
        raise ValidationError({"rows": _("Give at least one result.")})
    with transaction.atomic():
        result, errors = _record_on_lot(
            actor=actor,
            inspection_lot=inspection_lot,
            rows=rows,
            reason=reason,
            correction_reason=correction_reason,
        )
        if errors or result is None:
            raise ValidationError({"rows": errors})
    return result


def results_record_bulk(
    *, actor: User, rows: Sequence[Mapping[str, Any]], reason: str = ""
) -> list[RecordedResults]:
    """Results across many inspection lots (an instrument, an MES), all or nothing: each row
    names its lot by ``inspection_lot`` (id) or ``inspection_lot_number``. Errors name the row's
    place in the whole post."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise ValidationError({"rows": _("Give the results as a list.")})
    if not rows:
        raise ValidationError({"rows": _("Give at least one result.")})
    errors: list[str] = []
    ids: set[int] = set()
    numbers: set[str] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            continue
        raw, number = row.get("inspection_lot"), row.get("inspection_lot_number")
        if not _blank(raw):
            pk = _id(raw)
            if pk is None:
                errors.append(
                    _error(row, _row_label(row, index), "inspection_lot",
                           _("“%(value)s” is not an inspection lot.") % {"value": str(raw)[:40]})
                )  # fmt: skip
            else:
                ids.add(pk)
        elif not _blank(number):
            numbers.add(str(number).strip())
    lots = {
        lot.pk: lot
        for lot in InspectionLot.objects.filter(pk__in=ids)
        | InspectionLot.objects.filter(number__in=numbers)
    }
    by_number = {lot.number: lot for lot in lots.values()}
    readable: dict[int, bool] = {}
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors.append(
                _("Row %(row)s: give each result as an object with named fields.")
                % {"row": index + 1}
            )
            continue
        label = _row_label(row, index)
        raw, number = row.get("inspection_lot"), row.get("inspection_lot_number")
        lot = None
        if not _blank(raw):
            if _id(raw) is None:
                continue  # reported above
            lot = lots.get(_id(raw) or 0)
            shown = str(raw)
        elif not _blank(number):
            lot = by_number.get(str(number).strip())
            shown = str(number)
        else:
            errors.append(_error(row, label, "inspection_lot", _("Name the inspection lot.")))
            continue
        if lot is not None and lot.pk not in readable:
            readable[lot.pk] = actor.has_perm("inspection.view_inspectionlot", lot)
        if lot is None or not readable[lot.pk]:
            errors.append(
                _error(row, label, "inspection_lot",
                       _("No inspection lot “%(value)s”.") % {"value": shown[:60]})
            )  # fmt: skip
            continue
        groups[lot.pk].append({**row, "_row": label})
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ValidationError({"rows": errors[:MAX_ERRORS]})
    results: list[RecordedResults] = []
    with transaction.atomic():
        for pk in sorted(groups):
            try:
                result, lot_errors = _record_on_lot(
                    actor=actor,
                    inspection_lot=lots[pk],
                    rows=groups[pk],
                    reason=reason,
                    correction_reason="",
                )
            except ValidationError as exc:
                lot_errors = [f"{lots[pk].number}: {m}" for m in exc.messages]
                result = None
            errors.extend(lot_errors)
            if result is not None:
                results.append(result)
            if len(errors) >= MAX_ERRORS:
                break
        if errors:
            raise ValidationError({"rows": errors[:MAX_ERRORS]})
    return results


def measurement_void(*, actor: User, measurement: Measurement, reason: str) -> Measurement:
    """Void one result with a reason (a correction); the lot must still be undecided."""
    require(actor, "inspection.void_measurement", measurement, clause=CLAUSE_GATE)
    with transaction.atomic():
        ilot = InspectionLot.objects.select_for_update().get(pk=measurement.inspection_lot_id)
        if ilot.status == InspectionStatus.DECIDED:
            raise _decided_refusal(ilot)
        voided = record_void(
            actor=actor,
            record=measurement,
            reason=reason,
            perm="inspection.void_measurement",
            clause=CLAUSE_GATE,
        )
        char_ids = {measurement.characteristic_id}
        transaction.on_commit(
            lambda: signals.results_recorded.send(
                sender=None, inspection_lot=ilot, characteristic_ids=char_ids, actor=actor
            )
        )
    assert isinstance(voided, Measurement)
    return voided


# --- results from an Excel workbook ----------------------------------------------------------

IMPORT_COLUMNS = ("characteristic", "sample_no", "value", "defects", "defect_type", "instrument")


def import_headers() -> list[str]:
    return [
        _("Characteristic code"),
        _("Sample unit"),
        pgettext("measured", "Value"),
        _("Defects"),
        _("Defect type"),
        _("Instrument number"),
    ]


def results_rows_from_xlsx(file: Any) -> list[dict[str, Any]]:
    """The rows of a results workbook (the template's columns, first sheet, header in row 1);
    blank rows and rows with no result are skipped. Each row keeps its Excel row number and
    column letters, so an error names both."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": _("The file is not an Excel workbook (.xlsx).")}) from None
    sheet = workbook.worksheets[0]
    columns = {f: f"{get_column_letter(i + 1)} ({h})"
               for i, (f, h) in enumerate(zip(IMPORT_COLUMNS, import_headers(), strict=True))}  # fmt: skip
    rows: list[dict[str, Any]] = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = list(cells)[: len(IMPORT_COLUMNS)]
        values += [None] * (len(IMPORT_COLUMNS) - len(values))
        row = dict(zip(IMPORT_COLUMNS, values, strict=True))
        if all(_blank(v) for v in values):
            continue
        if _blank(row["value"]) and _blank(row["defects"]):
            continue  # a template row not filled in
        rows.append({**row, "_row": number, "_columns": columns})
        if len(rows) > 100_000:
            raise ValidationError({"file": _("The workbook has more than 100,000 results.")})
    workbook.close()
    if not rows:
        raise ValidationError({"file": _("The workbook holds no results.")})
    return rows


def results_import(
    *,
    actor: User,
    inspection_lot: InspectionLot,
    file: Any,
    reason: str = "",
    correction_reason: str = "",
) -> RecordedResults:
    """Results from an Excel workbook, all or nothing; errors name the row and the column."""
    require(actor, "inspection.add_measurement", inspection_lot, clause=CLAUSE_GATE)
    if file is None:
        raise ValidationError({"file": _("Choose the workbook to import.")})
    rows = results_rows_from_xlsx(file)
    return results_record(
        actor=actor,
        inspection_lot=inspection_lot,
        rows=rows,
        reason=reason,
        correction_reason=correction_reason,
    )


# --- photos and reports -------------------------------------------------------------------------


def attachment_add(
    *, actor: User, inspection_lot: InspectionLot, file: Any, name: str = ""
) -> InspectionAttachment:
    """Keep a photo or a report with the lot as evidence (checked by its content)."""
    require(actor, "inspection.add_inspectionattachment", inspection_lot, clause=CLAUSE_GATE)
    if file is None or file == "":
        raise ValidationError({"file": _("Choose a photo or a report to attach.")})
    upload_check(file, field="file")
    with transaction.atomic():
        ilot = InspectionLot.objects.select_for_update().get(pk=inspection_lot.pk)
        if ilot.voided_at is not None:
            raise ValidationError({"inspection_lot": _("This inspection lot has been voided.")})
        title = (name or "").strip()[:200] or str(file.name).rsplit("/", 1)[-1][:200]
        attachment = InspectionAttachment(
            inspection_lot=ilot, name=title, sha256=file_sha256(file), uploaded_by=actor
        )
        attachment.file.save(str(file.name).rsplit("/", 1)[-1], file, save=False)
        attachment.save()
        audit_record(
            actor=actor,
            action="inspection.attachment.add",
            obj=ilot,
            after={
                "attachment": attachment.pk,
                "name": attachment.name,
                "sha256": attachment.sha256,
            },
            clause=CLAUSE_GATE,
        )
    return attachment


def attachment_void(*, actor: User, attachment: InspectionAttachment, reason: str) -> Any:
    return record_void(
        actor=actor,
        record=attachment,
        reason=reason,
        perm="inspection.void_inspectionattachment",
        clause=CLAUSE_GATE,
    )


# --- the usage decision -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClassTally:
    defect_class: str
    n: int
    ac: int
    re: int
    nonconforming: int

    @property
    def accepted(self) -> bool:
        # Below Re the class accepts (single sampling has Re = Ac + 1).
        return self.nonconforming < self.re

    @property
    def margin(self) -> int:
        return self.nonconforming - self.ac


@dataclass(frozen=True)
class ShortCount:
    characteristic: MdCharacteristic
    recorded: int
    n: int


@dataclass(frozen=True)
class LotTally:
    classes: list[ClassTally]
    short: list[ShortCount]
    results: int
    nonconforming_units: int

    @property
    def proposal(self) -> str:
        if not self.classes:
            return ""
        return (
            UsageDecision.ACCEPT if all(c.accepted for c in self.classes) else UsageDecision.REJECT
        )

    @property
    def failed(self) -> list[ClassTally]:
        return [c for c in self.classes if not c.accepted]

    def governing(self) -> ClassTally | None:
        """The class switching is judged on: the first that failed, else the one closest to
        its acceptance number (CR before MA before MI)."""
        if not self.classes:
            return None
        ordered = sorted(self.classes, key=lambda c: CLASS_ORDER.get(c.defect_class, 9))
        failed = [c for c in ordered if not c.accepted]
        return failed[0] if failed else max(ordered, key=lambda c: (c.margin, -ordered.index(c)))


def lot_tally(inspection_lot: InspectionLot) -> LotTally:
    """Nonconforming sample units per defect class from the lot's results, against the n, Ac and
    Re of its sampling snapshot; and the characteristics with a count other than n."""
    sheet = lot_sheet(inspection_lot)
    live = Measurement.objects.filter(inspection_lot=inspection_lot, voided_at__isnull=True)
    bad: dict[str, set[int]] = defaultdict(set)
    for cls, no in live.filter(conforming=False).values_list(
        "characteristic__defect_class", "sample_no"
    ):
        bad[cls].add(no)
    counts = dict(
        live.values("characteristic_id")
        .annotate(n=Count("id"))
        .values_list("characteristic_id", "n")
    )
    classes = [
        ClassTally(cls, s.n, s.ac, s.re, len(bad.get(cls, ())))
        for cls, s in sorted(sheet.samplings.items(), key=lambda kv: CLASS_ORDER.get(kv[0], 9))
    ]
    short = [
        ShortCount(c, counts.get(c.pk, 0), sheet.n_for(c) or 0)
        for c in sheet.characteristics
        if sheet.n_for(c) is not None and counts.get(c.pk, 0) != sheet.n_for(c)
    ]
    units = set().union(*bad.values()) if bad else set()
    return LotTally(classes, short, sum(counts.values()), len(units))


def _note(note: str | None) -> str:
    return (note or "").strip()


@transaction.atomic
def inspection_lot_decide(
    *,
    actor: User,
    inspection_lot: InspectionLot,
    decision: str,
    note: str = "",
    sample_count_reason: str = "",
) -> InspectionLot:
    """The usage decision: accept or reject, against the numbers only with a reason (and never
    accept what the numbers reject: that is a concession). Moves the switching stream, sets the
    lot's stock status, and tells the other domains (``lot_rejected``, ``inspection_failed``)."""
    require(actor, "inspection.decide_inspectionlot", inspection_lot, clause=CLAUSE_GATE)
    if decision == UsageDecision.CONDITIONAL:
        raise ValidationError(
            {"decision": _("A conditional release is granted through a concession (%(clause)s): "
                           "reject the lot, then raise one.") % {"clause": CLAUSE_CONCESSION}}
        )  # fmt: skip
    if decision not in (UsageDecision.ACCEPT, UsageDecision.REJECT):
        raise ValidationError({"decision": _("Choose to accept or to reject the lot.")})
    note = _note(note)
    count_reason = _note(sample_count_reason)
    with audited_change(
        actor=actor,
        obj=inspection_lot,
        action="inspection.inspectionlot.decide",
        clause=CLAUSE_GATE,
        reason=note,
        save=False,
    ) as ilot:
        if ilot.voided_at is not None:
            raise ValidationError({"inspection_lot": _("This inspection lot has been voided.")})
        if ilot.status == InspectionStatus.DECIDED:
            raise _decided_refusal(ilot)
        tally = lot_tally(ilot)
        if not tally.classes:
            raise ValidationError(
                {"inspection_lot": _("The lot has no sampling to judge its results against.")}
            )
        if tally.results == 0:
            raise ValidationError({"decision": _("Record the results before deciding.")})
        if tally.short and not (count_reason or ilot.sample_count_reason):
            first = tally.short[0]
            raise ValidationError(
                {"sample_count_reason": _(
                    "%(code)s has %(count)d results where the sample size is n = %(n)d; record "
                    "the rest, or give a reason for deciding on another sample count."
                ) % {"code": first.characteristic.code, "count": first.recorded, "n": first.n}}
            )  # fmt: skip
        if decision == UsageDecision.ACCEPT and tally.proposal == UsageDecision.REJECT:
            worst = tally.failed[0]
            raise ValidationError(
                {"decision": _(
                    "Class %(cls)s has %(nc)d nonconforming units, at or above Re = %(re)d: the "
                    "lot cannot be accepted (%(gate)s). Reject it; if it is to be used, raise a "
                    "concession for the CQO to approve (%(concession)s)."
                ) % {"cls": worst.defect_class, "nc": worst.nonconforming, "re": worst.re,
                     "gate": CLAUSE_GATE, "concession": CLAUSE_CONCESSION}}
            )  # fmt: skip
        if decision != tally.proposal and not note:
            raise ValidationError(
                {"note": _("The results say %(proposal)s: give a reason for deciding otherwise.")
                 % {"proposal": UsageDecision(tally.proposal).label}}
            )  # fmt: skip
        for c in tally.classes:
            LotSampling.objects.filter(
                inspection_lot=ilot, defect_class=c.defect_class, voided_at__isnull=True
            ).update(nonconforming=c.nonconforming)
        ilot.status = InspectionStatus.DECIDED
        ilot.decision = decision
        ilot.decision_note = note
        ilot.nonconforming = tally.nonconforming_units
        if count_reason:
            ilot.sample_count_reason = "\n".join(
                x for x in (ilot.sample_count_reason, count_reason) if x
            )
        ilot.decided_by = actor
        ilot.decided_at = timezone.now()
        if ilot.inspector_id is None:
            ilot.inspector = actor
        ilot.save()
    accepted = decision == UsageDecision.ACCEPT
    governing = tally.governing()
    stream = ilot.stream
    if stream is not None and governing is not None:
        switching.stream_record(
            actor=actor,
            stream=stream,
            inspection_lot=ilot,
            accepted=accepted,
            nonconforming=governing.nonconforming,
            ac=governing.ac,
            re=governing.re,
        )
    lot = ilot.lot
    if accepted:
        stock.lot_accept(actor=actor, lot=lot, inspection_ref=ilot.number)
    else:
        stock.lot_reject(
            actor=actor,
            lot=lot,
            inspection_ref=ilot.number,
            reason=note or _("Rejected at inspection %(number)s.") % {"number": ilot.number},
        )
        events.lot_rejected.send(sender=None, inspection_lot=ilot, lot=lot, actor=actor)
    if tally.failed:
        events.inspection_failed.send(sender=None, inspection_lot=ilot, lot=lot, actor=actor)
    signals.lot_decided.send(sender=None, inspection_lot=ilot, actor=actor)
    return ilot


# --- concessions (§6 c)) ---------------------------------------------------------------------


def _quantity(value: Any, field: str = "quantity") -> Decimal:
    if isinstance(value, bool) or _blank(value):
        raise ValidationError({field: _("Give the quantity.")})
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give the quantity as a number.")}) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({field: _("The quantity must be greater than zero.")})
    if quantity >= Decimal(10) ** 11:
        raise ValidationError({field: _("The quantity is too large.")})
    return quantity.quantize(Decimal("0.001"))


def _committed_quantity(ilot: InspectionLot) -> Decimal:
    """What the lot's live dispositions and open or approved concessions already cover."""
    dispositions = Disposition.objects.filter(
        inspection_lot=ilot, voided_at__isnull=True
    ).aggregate(q=Sum("quantity"))["q"] or Decimal(0)
    concessions = Concession.objects.filter(
        inspection_lot=ilot,
        voided_at__isnull=True,
        status__in=(ConcessionStatus.SUBMITTED, ConcessionStatus.APPROVED),
    ).aggregate(q=Sum("quantity"))["q"] or Decimal(0)
    return Decimal(dispositions) + Decimal(concessions)


def _quantity_within_lot(ilot: InspectionLot, quantity: Decimal) -> None:
    lot_quantity = Decimal(ilot.lot.quantity)
    committed = _committed_quantity(ilot)
    if committed + quantity > lot_quantity:
        raise ValidationError(
            {"quantity": _(
                "The lot holds %(lot)s; %(done)s of it is already disposed of or under "
                "concession, so at most %(left)s remains."
            ) % {"lot": _plain(lot_quantity), "done": _plain(committed),
                 "left": _plain(max(lot_quantity - committed, Decimal(0)))}}
        )  # fmt: skip


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def concession_content(concession: Concession) -> dict[str, Any]:
    """What the approver signs about a concession: the concession as raised, and the lot's
    evidence (its sampling, what was found, and a digest of its live results)."""
    ilot = concession.inspection_lot
    live = list(
        Measurement.objects.filter(inspection_lot=ilot, voided_at__isnull=True).order_by("pk")
    )
    return {
        "concession": concession.pk,
        "inspection_lot": ilot.number,
        "lot": ilot.lot.number,
        "quantity": str(concession.quantity),
        "reason": concession.reason,
        "limits": concession.limits,
        "customer_consent_required": concession.customer_consent_required,
        "customer_consent": concession.customer_consent,
        "samplings": [
            {
                "class": s.defect_class,
                "n": s.n,
                "ac": s.ac,
                "re": s.re,
                "nonconforming": s.nonconforming,
            }
            for s in ilot.samplings.filter(voided_at__isnull=True)
        ],
        "results": {"count": len(live), "sha256": bulk.rows_digest(live)},
    }


@transaction.atomic
def concession_raise(
    *,
    actor: User,
    inspection_lot: InspectionLot,
    quantity: Any,
    reason: str,
    limits: str,
    customer_consent_required: bool,
    customer_consent: str = "",
    due: datetime.date | None = None,
    attachments: Iterable[Any] = (),
) -> Concession:
    """Ask the CQO (or a delegate of §6 c)) to let a rejected lot be used within limits: a
    concession and its approval request, with the lot and its results as evidence."""
    require(actor, "inspection.add_concession", inspection_lot, clause=CLAUSE_CONCESSION)
    ilot = InspectionLot.objects.select_for_update().get(pk=inspection_lot.pk)
    if ilot.status != InspectionStatus.DECIDED or ilot.decision != UsageDecision.REJECT:
        raise ValidationError(
            {"inspection_lot": _("A concession is raised on a rejected lot; decide the lot "
                                 "first.")}
        )  # fmt: skip
    if Concession.objects.filter(
        inspection_lot=ilot, voided_at__isnull=True, status=ConcessionStatus.SUBMITTED
    ).exists():
        raise ValidationError(
            {"inspection_lot": _("A concession on this lot is already awaiting approval.")}
        )
    amount = _quantity(quantity)
    reason = _note(reason)
    limits = _note(limits)
    if not reason:
        raise ValidationError({"reason": _("Say why the lot should be used all the same.")})
    if not limits:
        raise ValidationError(
            {"limits": _("Say where, for how long and under what conditions it may be used.")}
        )
    consent = _note(customer_consent)
    if len(consent) > 200:
        raise ValidationError({"customer_consent": _("At most 200 characters.")})
    _quantity_within_lot(ilot, amount)
    concession = Concession(
        inspection_lot=ilot,
        quantity=amount,
        reason=reason,
        limits=limits,
        customer_consent_required=bool(customer_consent_required),
        customer_consent=consent,
        raised_by=actor,
    )
    concession.full_clean(exclude=["approval"])
    concession.save()
    approval = approval_request_raise(
        actor=actor,
        subject=concession,
        kind=KIND_CONCESSION,
        authority="c",
        due=due,
        summary=_("Concession on %(lot)s (%(item)s): use %(quantity)s %(uom)s — %(reason)s")
        % {
            "lot": ilot.lot.number,
            "item": ilot.item.part_number,
            "quantity": _plain(amount),
            "uom": ilot.item.uom,
            "reason": reason[:200],
        },
        attachments=attachments,
    )
    concession.approval = approval
    concession.save(update_fields=["approval"])
    # Recorded once the request is linked, so the event holds every field the row keeps (the
    # record check compares them).
    audit_record(
        actor=actor,
        action="inspection.concession.raise",
        obj=concession,
        after=snapshot(concession),
        clause=CLAUSE_CONCESSION,
    )
    return concession


@transaction.atomic
def concession_consent_record(
    *, actor: User, concession: Concession, customer_consent: str
) -> Concession:
    """Record the customer's consent reference on a concession awaiting approval."""
    require(actor, "inspection.add_concession", concession.inspection_lot, clause=CLAUSE_CONCESSION)
    consent = _note(customer_consent)
    if not consent:
        raise ValidationError({"customer_consent": _("Give the customer's consent reference.")})
    if len(consent) > 200:
        raise ValidationError({"customer_consent": _("At most 200 characters.")})
    with audited_change(
        actor=actor,
        obj=concession,
        action="inspection.concession.consent",
        clause=CLAUSE_CONCESSION,
        update_fields=["customer_consent"],
    ) as locked:
        if locked.status != ConcessionStatus.SUBMITTED or locked.voided_at is not None:
            raise ValidationError(
                {"customer_consent": _("The concession is no longer awaiting approval.")}
            )
        locked.customer_consent = consent
    return locked


def _concession_status(actor: User, concession: Concession, status: str, reason: str) -> None:
    with audited_change(
        actor=actor,
        obj=concession,
        action=f"inspection.concession.{status}",
        clause=CLAUSE_CONCESSION,
        reason=reason,
        update_fields=["status"],
    ) as locked:
        locked.status = status


def concession_approval_decided(
    *, actor: User, request: ApprovalRequest, subject: Concession
) -> None:
    """The ``inspection_concession`` kind's handler, in the approver's transaction: approval
    releases the lot conditionally; rejection leaves it rejected."""
    concession = Concession.objects.select_for_update().get(pk=subject.pk)
    if concession.status != ConcessionStatus.SUBMITTED:
        return
    if request.status != ApprovalStatus.APPROVED:
        _concession_status(actor, concession, ConcessionStatus.REJECTED, request.decision_reason)
        return
    if concession.customer_consent_required and not concession.customer_consent.strip():
        raise ValidationError(
            {"customer_consent": _(
                "The customer's consent is required for this concession and its reference is "
                "not recorded yet; record it on the concession before approving."
            )}
        )  # fmt: skip
    _concession_status(actor, concession, ConcessionStatus.APPROVED, request.decision_reason)
    with audited_change(
        actor=actor,
        obj=concession.inspection_lot,
        action="inspection.inspectionlot.conditional",
        clause=CLAUSE_CONCESSION,
        reason=request.decision_reason,
        update_fields=["decision"],
    ) as ilot:
        ilot.decision = UsageDecision.CONDITIONAL
    stock.lot_accept(actor=actor, lot=ilot.lot, inspection_ref=ilot.number, conditional=True)
    signals.lot_decided.send(sender=None, inspection_lot=ilot, actor=actor)


def concession_approval_withdrawn(
    *, actor: User, request: ApprovalRequest, subject: Concession
) -> None:
    concession = Concession.objects.select_for_update().get(pk=subject.pk)
    if concession.status == ConcessionStatus.SUBMITTED:
        _concession_status(actor, concession, ConcessionStatus.WITHDRAWN, request.decision_reason)


# --- dispositions ---------------------------------------------------------------------------


@transaction.atomic
def disposition_record(
    *,
    actor: User,
    inspection_lot: InspectionLot,
    kind: str,
    quantity: Any,
    note: str = "",
) -> Disposition:
    """What happens to a rejected lot or part of it: return, sort, rework or scrap. Together
    with its concessions it never covers more than the lot holds."""
    require(actor, "inspection.add_disposition", inspection_lot, clause=CLAUSE_GATE)
    ilot = InspectionLot.objects.select_for_update().get(pk=inspection_lot.pk)
    if ilot.decision not in (UsageDecision.REJECT, UsageDecision.CONDITIONAL):
        raise ValidationError({"inspection_lot": _("Only a rejected lot is given a disposition.")})
    if kind not in DispositionKind.values:
        raise ValidationError({"kind": _("Choose return, sort, rework or scrap.")})
    amount = _quantity(quantity)
    _quantity_within_lot(ilot, amount)
    disposition = Disposition(
        inspection_lot=ilot, kind=kind, quantity=amount, note=_note(note), decided_by=actor
    )
    disposition.full_clean()
    disposition.save()
    audit_record(
        actor=actor,
        action="inspection.disposition.create",
        obj=disposition,
        after=snapshot(disposition),
        clause=CLAUSE_GATE,
    )
    return disposition


def disposition_void(*, actor: User, disposition: Disposition, reason: str) -> Any:
    return record_void(
        actor=actor,
        record=disposition,
        reason=reason,
        perm="inspection.void_disposition",
        clause=CLAUSE_GATE,
    )
