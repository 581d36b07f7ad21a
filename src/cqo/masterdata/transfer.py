"""Excel import and export of every master-data list.

Export: one sheet per list, written through ``cqo.core.exports`` (a text that looks like a formula
stays text), headers in the reader's language. The template is the same sheet without rows, and
a second sheet that says what each column takes.

Import is all or nothing. The whole workbook is read first; every cell is parsed and every
reference (an item's part number, a supplier's code, a unit's code) looked up, and each row is
then applied through the same service as the pages (so the same permission, checks and audit
event), inside one transaction. Every problem is collected with its row number and column name
in the reader's language; if there is any, the transaction is rolled back and nothing is
written.

A row whose key (part number, supplier code, …) already exists **updates** that record, through
the record's update service: the change is audited and kept in its history, with the file name
as the reason. A row that changes nothing is left alone (re-importing an export writes nothing).
A key twice in one file is an error. Unknown columns are ignored and named in the result; a
column the file leaves out keeps its values. A supplier's status is exported but not imported:
a new supplier is a candidate until it is approved, a decision the CQO may veto (§6 i)).

Large files run in the request (the platform has no job-progress facility yet); a file is
limited to ``MAX_ROWS`` rows and to the upload size limit.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cqo.accounts.models import User
from cqo.core.exceptions import ConflictError
from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.permissions import require
from cqo.core.texts import stored
from cqo.core.uploads import max_bytes

from . import selectors as sel
from . import services as S
from .models import (
    ApprovedSupplier,
    Characteristic,
    CharacteristicKind,
    Customer,
    DefectClass,
    GateBehaviour,
    Instrument,
    InstrumentStatus,
    Item,
    ItemKind,
    Lot,
    Operation,
    Supplier,
    SupplierStatus,
    WorkCentre,
)

MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"

# --- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list's sheet. ``key`` is the service's field name (an error on that field
    is shown in this column); ``kind`` says how a cell is read."""

    key: str
    label: Promise | str
    kind: str = "text"  # text, decimal, int, bool, date, choice, item, supplier, unit, workcentre
    required: bool = False
    choices: Any = None
    imported: bool = True
    get: Callable[[Any], Any] | None = None
    aliases: tuple[str, ...] = ()

    def value_of(self, obj: Any) -> Any:
        if self.get is not None:
            return self.get(obj)
        value = getattr(obj, self.key)
        if self.kind == "choice":
            return value
        if self.kind == "bool":
            return bool(value)
        return value


def _code(attr: str) -> Callable[[Any], Any]:
    def get(obj: Any) -> Any:
        target = obj
        for part in attr.split("."):
            target = getattr(target, part, None) if target is not None else None
        return target if target is not None else ""

    return get


@dataclass(frozen=True)
class Sheet:
    key: str
    label: Promise | str
    model: type[models.Model]
    columns: tuple[Column, ...]
    keys: tuple[str, ...]
    clause: str
    rows: Callable[[Any], Any]
    find: Callable[[dict[str, Any]], Any]
    create: Callable[..., Any]
    update: Callable[..., Any]

    @property
    def perm_add(self) -> str:
        return f"masterdata.add_{self.model._meta.model_name}"

    @property
    def perm_change(self) -> str:
        return f"masterdata.change_{self.model._meta.model_name}"

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def _active(model: type[models.Model], **lookup: Any) -> Any:
    return model._default_manager.filter(voided_at__isnull=True, **lookup).first()  # type: ignore[attr-defined]


def _plural(model: type[models.Model]) -> Any:
    return capfirst(model._meta.verbose_name_plural)


def _f(model: type[models.Model], name: str) -> Any:
    """A column headed by the model field's own name, in the reader's language."""
    model_field: Any = model._meta.get_field(name)
    return capfirst(model_field.verbose_name)


def _fields(values: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in drop}


ITEM_COLUMNS = (
    Column("part_number", _f(Item, "part_number"), required=True),
    Column("name", _f(Item, "name"), required=True),
    Column("name_en", _f(Item, "name_en")),
    Column("kind", _f(Item, "kind"), "choice", required=True, choices=ItemKind),
    Column("drawing_number", _f(Item, "drawing_number")),
    Column("revision", _f(Item, "revision")),
    Column("uom", _f(Item, "uom")),
    Column("gate_iqc", _f(Item, "gate_iqc"), "choice", choices=GateBehaviour),
    Column("gate_ipqc", _f(Item, "gate_ipqc"), "choice", choices=GateBehaviour),
    Column("gate_oqc", _f(Item, "gate_oqc"), "choice", choices=GateBehaviour),
)

CHARACTERISTIC_COLUMNS = (
    Column("item", _f(Item, "part_number"), "item", required=True,
           get=_code("item.part_number"), aliases=("part_number",)),
    Column("code", gettext_lazy("Characteristic code"), required=True),
    Column("name", _f(Characteristic, "name"), required=True),
    Column("name_en", _f(Characteristic, "name_en")),
    Column("kind", _f(Characteristic, "kind"), "choice", required=True, choices=CharacteristicKind),
    Column("defect_class", _f(Characteristic, "defect_class"), "choice", choices=DefectClass),
    Column("nominal", _f(Characteristic, "nominal"), "decimal"),
    Column("lsl", _f(Characteristic, "lsl"), "decimal"),
    Column("usl", _f(Characteristic, "usl"), "decimal"),
    Column("unit", _f(Characteristic, "unit")),
    Column("method", _f(Characteristic, "method")),
    Column("instrument_type", _f(Characteristic, "instrument_type")),
    Column("special", _f(Characteristic, "special"), "bool"),
    Column("sequence", _f(Characteristic, "sequence"), "int"),
)  # fmt: skip

SUPPLIER_COLUMNS = (
    Column("code", gettext_lazy("Supplier code"), required=True),
    Column("name", _f(Supplier, "name"), required=True),
    Column("name_en", _f(Supplier, "name_en")),
    Column("credit_code", _f(Supplier, "credit_code")),
    Column("contact", _f(Supplier, "contact")),
    Column("status", _f(Supplier, "status"), "choice", choices=SupplierStatus, imported=False),
)

ASL_COLUMNS = (
    Column("item", _f(Item, "part_number"), "item", required=True,
           get=_code("item.part_number"), aliases=("part_number",)),
    Column("supplier", gettext_lazy("Supplier code"), "supplier", required=True,
           get=_code("supplier.code"), aliases=("supplier_code",)),
    Column("since", _f(ApprovedSupplier, "since"), "date"),
    Column("note", _f(ApprovedSupplier, "note")),
)  # fmt: skip

CUSTOMER_COLUMNS = (
    Column("code", gettext_lazy("Customer code"), required=True),
    Column("name", _f(Customer, "name"), required=True),
    Column("name_en", _f(Customer, "name_en")),
    Column("credit_code", _f(Customer, "credit_code")),
    Column("contact", _f(Customer, "contact")),
)

WORK_CENTRE_COLUMNS = (
    Column("code", gettext_lazy("Work centre code"), required=True),
    Column("name", _f(WorkCentre, "name"), required=True),
    Column("name_en", _f(WorkCentre, "name_en")),
    Column(
        "unit", gettext_lazy("Unit code"), "unit", get=_code("unit.code"), aliases=("unit_code",)
    ),
)

OPERATION_COLUMNS = (
    Column("item", _f(Item, "part_number"), "item", required=True,
           get=_code("item.part_number"), aliases=("part_number",)),
    Column("sequence", _f(Operation, "sequence"), "int", required=True),
    Column("name", _f(Operation, "name"), required=True),
    Column("name_en", _f(Operation, "name_en")),
    Column("work_centre", gettext_lazy("Work centre code"), "workcentre", required=True,
           get=_code("work_centre.code"), aliases=("work_centre_code",)),
)  # fmt: skip

INSTRUMENT_COLUMNS = (
    Column("number", _f(Instrument, "number"), required=True),
    Column("name", _f(Instrument, "name"), required=True),
    Column("name_en", _f(Instrument, "name_en")),
    Column("instrument_type", _f(Instrument, "instrument_type"), required=True),
    Column("range_low", _f(Instrument, "range_low"), "decimal"),
    Column("range_high", _f(Instrument, "range_high"), "decimal"),
    Column("unit", _f(Instrument, "unit")),
    Column("resolution", _f(Instrument, "resolution"), "decimal"),
    Column("location", _f(Instrument, "location")),
    Column(
        "owner_unit",
        gettext_lazy("Owner unit code"),
        "unit",
        get=_code("owner_unit.code"),
        aliases=("owner_unit_code",),
    ),
    Column("status", _f(Instrument, "status"), "choice", choices=InstrumentStatus),
)

LOT_COLUMNS = (
    Column("number", _f(Lot, "number"), imported=False),
    Column("item", _f(Item, "part_number"), "item", imported=False,
           get=_code("item.part_number")),
    Column("origin", _f(Lot, "origin"), imported=False, get=lambda o: o.get_origin_display()),
    Column("supplier", gettext_lazy("Supplier code"), imported=False, get=_code("supplier.code")),
    Column("supplier_batch", _f(Lot, "supplier_batch"), imported=False),
    Column("order_number", _f(Lot, "order_number"), imported=False),
    Column("quantity", _f(Lot, "quantity"), "decimal", imported=False),
    Column("arrived_on", _f(Lot, "arrived_on"), "date", imported=False),
    Column("stock_status", _f(Lot, "stock_status"), imported=False,
           get=lambda o: o.get_stock_status_display()),
)  # fmt: skip


def _item_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.item_create(actor=actor, **v)


def _item_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.item_update(actor=actor, item=obj, reason=reason, **v)


def _ch_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.characteristic_create(actor=actor, **v)


def _ch_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.characteristic_update(
        actor=actor, characteristic=obj, reason=reason, **_fields(v, "item")
    )


def _supplier_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.supplier_create(actor=actor, **v)


def _supplier_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.supplier_update(actor=actor, supplier=obj, reason=reason, **v)


def _asl_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.approved_supplier_add(actor=actor, **v)


def _asl_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.approved_supplier_update(
        actor=actor, approved=obj, reason=reason, **_fields(v, "item", "supplier")
    )


def _customer_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.customer_create(actor=actor, **v)


def _customer_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.customer_update(actor=actor, customer=obj, reason=reason, **v)


def _wc_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.work_centre_create(actor=actor, **v)


def _wc_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.work_centre_update(actor=actor, work_centre=obj, reason=reason, **v)


def _op_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.operation_create(actor=actor, **v)


def _op_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.operation_update(actor=actor, operation=obj, reason=reason, **_fields(v, "item"))


def _instrument_create(actor: User, v: dict[str, Any], reason: Any) -> Any:
    return S.instrument_create(actor=actor, **v)


def _instrument_update(actor: User, obj: Any, v: dict[str, Any], reason: Any) -> Any:
    return S.instrument_update(actor=actor, instrument=obj, reason=reason, **v)


def _read_only(*args: Any, **kwargs: Any) -> Any:
    raise PermissionDenied(_("This list is exported only."))


SHEETS: dict[str, Sheet] = {
    s.key: s
    for s in (
        Sheet(
            "items", _plural(Item), Item, ITEM_COLUMNS, ("part_number",), S.CLAUSE_GATE,
            lambda user: sel.items_visible(user),
            lambda v: _active(Item, part_number=v["part_number"]),
            _item_create, _item_update,
        ),
        Sheet(
            "characteristics", _plural(Characteristic), Characteristic,
            CHARACTERISTIC_COLUMNS, ("item", "code"), S.CLAUSE_GATE,
            lambda user: sel.characteristics_visible(user).order_by(
                "item__part_number", "sequence", "code"
            ),
            lambda v: _active(Characteristic, item=v["item"], code=v["code"]),
            _ch_create, _ch_update,
        ),
        Sheet(
            "suppliers", _plural(Supplier), Supplier, SUPPLIER_COLUMNS, ("code",),
            S.CLAUSE_GATE, lambda user: sel.suppliers_visible(user),
            lambda v: _active(Supplier, code=v["code"]),
            _supplier_create, _supplier_update,
        ),
        Sheet(
            "asl", _plural(ApprovedSupplier), ApprovedSupplier, ASL_COLUMNS,
            ("item", "supplier"), S.CLAUSE_GATE,
            lambda user: sel.approved_suppliers_visible(user).order_by(
                "item__part_number", "supplier__code"
            ),
            lambda v: _active(ApprovedSupplier, item=v["item"], supplier=v["supplier"]),
            _asl_create, _asl_update,
        ),
        Sheet(
            "customers", _plural(Customer), Customer, CUSTOMER_COLUMNS, ("code",),
            S.CLAUSE_GATE, lambda user: sel.customers_visible(user),
            lambda v: _active(Customer, code=v["code"]),
            _customer_create, _customer_update,
        ),
        Sheet(
            "work-centres", _plural(WorkCentre), WorkCentre, WORK_CENTRE_COLUMNS,
            ("code",), S.CLAUSE_GATE, lambda user: sel.work_centres_visible(user),
            lambda v: _active(WorkCentre, code=v["code"]),
            _wc_create, _wc_update,
        ),
        Sheet(
            "operations", _plural(Operation), Operation, OPERATION_COLUMNS,
            ("item", "sequence"), S.CLAUSE_GATE,
            lambda user: sel.operations_visible(user).order_by("item__part_number", "sequence"),
            lambda v: _active(Operation, item=v["item"], sequence=v["sequence"]),
            _op_create, _op_update,
        ),
        Sheet(
            "instruments", _plural(Instrument), Instrument,
            INSTRUMENT_COLUMNS, ("number",), S.CLAUSE_METROLOGY,
            lambda user: sel.instruments_visible(user),
            lambda v: _active(Instrument, number=v["number"]),
            _instrument_create, _instrument_update,
        ),
        Sheet(
            "lots", _plural(Lot), Lot, LOT_COLUMNS, ("number",), S.CLAUSE_GATE,
            lambda user: sel.lots_visible(user),
            lambda v: None, _read_only, _read_only,
        ),
    )
}  # fmt: skip

IMPORTABLE = tuple(k for k, s in SHEETS.items() if any(c.imported for c in s.columns))


# --- export ----------------------------------------------------------------------------------


def _cell(column: Column, obj: Any) -> Any:
    value = column.value_of(obj)
    if column.kind == "choice" and column.choices is not None and value:
        return str(dict(column.choices.choices).get(value, value))
    if column.kind == "bool":
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        # A number stays a number in the sheet; the trailing zeros of the column's scale go.
        normal = value.normalize()
        return int(normal) if normal == normal.to_integral_value() else float(normal)
    if isinstance(value, Promise):
        return str(value)
    return value


def _header(sheet: Sheet) -> list[str]:
    return [str(c.label) + (" *" if c.required and c.imported else "") for c in sheet.columns]


def export_xlsx(sheet: Sheet, rows: Iterable[Any]) -> bytes:
    wb = workbook_new()
    ws = wb.active
    ws.title = str(sheet.label)[:31]
    sheet_append(ws, _header(sheet))
    for obj in rows:
        sheet_append(ws, [_cell(c, obj) for c in sheet.columns])
    return xlsx_bytes(wb)


def template_xlsx(sheet: Sheet) -> bytes:
    """The sheet's header and, on a second sheet, what each column takes."""
    wb = workbook_new()
    ws = wb.active
    ws.title = str(sheet.label)[:31]
    sheet_append(ws, _header(sheet))
    notes = wb.create_sheet(_("Notes")[:31])
    sheet_append(notes, [_("Column"), _("Required"), _("What it takes")])
    for column in sheet.columns:
        if not column.imported:
            what = _("Exported only; ignored on import.")
        else:
            what = _describe(column)
        sheet_append(notes, [str(column.label), _("Yes") if column.required else "", what])
    sheet_append(notes, [])
    sheet_append(
        notes,
        [_("A row whose key already exists updates that record; the change is kept in its "
           "history. Nothing is written if any row has a problem.")],
    )  # fmt: skip
    return xlsx_bytes(wb)


def _describe(column: Column) -> str:
    if column.kind == "choice" and column.choices is not None:
        return " / ".join(str(label) for _value, label in column.choices.choices)
    return str(
        {
            "decimal": _("A number."),
            "int": _("A whole number."),
            "bool": _("Yes or No."),
            "date": _("A date (YYYY-MM-DD)."),
            "item": _("The part number of an existing item."),
            "supplier": _("The code of an existing supplier."),
            "unit": _("The code of an existing unit of the organisation."),
            "workcentre": _("The code of an existing work centre."),
        }.get(column.kind, _("Text."))
    )


# --- import ----------------------------------------------------------------------------------


@dataclass
class ImportProblem:
    row: int  # the spreadsheet's row number (1 is the header); 0 for the file as a whole
    column: str
    message: str


@dataclass
class ImportResult:
    sheet: Sheet
    problems: list[ImportProblem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(text: Any) -> str:
    return "".join(str(text or "").replace("*", "").split()).casefold()


def _column_names(column: Column) -> set[str]:
    names = {_norm(column.key), *(_norm(a) for a in column.aliases)}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.add(_norm(str(column.label)))
    return names


def _choice(column: Column, raw: str) -> str:
    wanted = _norm(raw)
    for value, label in column.choices.choices:
        names = {_norm(value)}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(_norm(str(label)))
        if wanted in names:
            return str(value)
    raise ValidationError(
        _("“%(value)s” is not one of: %(choices)s.")
        % {"value": raw, "choices": " / ".join(str(lbl) for _v, lbl in column.choices.choices)}
    )


YES = {"yes", "y", "true", "1", "是", "★", "x", "✓"}
NO = {"no", "n", "false", "0", "否"}


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def _parse(column: Column, raw: Any, refs: _Refs) -> Any:
    """The cell as the service takes it; blank is "" (text) or None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise ValidationError(_("This column must be filled in."))
        if column.kind in ("text",):
            return ""
        if column.kind == "bool":
            return False
        if column.kind == "choice":
            return None
        return None
    kind = column.kind
    if kind == "text":
        return _text(raw)
    if kind == "decimal":
        try:
            value = Decimal(_text(raw))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw}) from None
        if not value.is_finite():
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw})
        return value
    if kind == "int":
        text = _text(raw)
        if not text.isdigit():
            raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": raw})
        return int(text)
    if kind == "bool":
        text = _norm(raw)
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValidationError(_("Write Yes or No, not “%(value)s”.") % {"value": raw})
    if kind == "date":
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        try:
            return datetime.date.fromisoformat(_text(raw))
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw}
            ) from None
    if kind == "choice":
        return _choice(column, _text(raw))
    return refs.find(kind, _text(raw))


class _Refs:
    """Looks up the records a sheet names by code, each code once."""

    MESSAGES = {
        "item": gettext_noop("There is no item with part number “%(code)s”."),
        "supplier": gettext_noop("There is no supplier with code “%(code)s”."),
        "unit": gettext_noop("There is no unit with code “%(code)s”."),
        "workcentre": gettext_noop("There is no work centre with code “%(code)s”."),
    }

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], Any] = {}

    def find(self, kind: str, code: str) -> Any:
        key = (kind, code)
        if key not in self.cache:
            self.cache[key] = self._lookup(kind, code)
        found = self.cache[key]
        if found is None:
            raise ValidationError(_(self.MESSAGES[kind]) % {"code": code})
        if isinstance(found, str):
            raise ValidationError(found)
        return found

    def _lookup(self, kind: str, code: str) -> Any:
        if kind == "item":
            return _active(Item, part_number=code)
        if kind == "supplier":
            return _active(Supplier, code=code)
        if kind == "workcentre":
            return _active(WorkCentre, code=code)
        if kind == "unit":
            from cqo.organisation.models import Unit

            units = list(Unit.objects.filter(code=code, voided_at__isnull=True)[:2])
            if len(units) > 1:
                return _("More than one unit has the code “%(code)s”.") % {"code": code}
            return units[0] if units else None
        raise KeyError(kind)


def _open(file: Any) -> Any:
    """The workbook's first sheet, or a ValidationError naming the file."""
    wb = _open_book(file)
    return wb.worksheets[0] if wb.worksheets else None


def _open_book(file: Any) -> Any:
    """The workbook (read-only), or a ValidationError naming the file."""
    from openpyxl import load_workbook

    size = getattr(file, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": max(1, max_bytes() // 2**20)}
        )
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head != XLSX_MAGIC:
        raise ValidationError(_("Upload an Excel workbook (.xlsx)."))
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from None
    return wb


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, models.Model) or isinstance(new, models.Model):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except (InvalidOperation, ValueError):
            return False
    return bool(old == new)


def import_xlsx(*, actor: User, sheet: Sheet, file: Any, file_name: str = "") -> ImportResult:
    """Import one list from a workbook, all or nothing (see the module's docstring)."""
    require(actor, "masterdata.import_masterdata", clause=sheet.clause)
    require(actor, sheet.perm_add, clause=sheet.clause)
    require(actor, sheet.perm_change, clause=sheet.clause)
    result = ImportResult(sheet=sheet)
    if not any(c.imported for c in sheet.columns):
        raise PermissionDenied(_("This list is exported only."))
    try:
        ws = _open(file)
    except ValidationError as exc:
        result.problems.append(ImportProblem(0, "", " ".join(exc.messages)))
        return result
    rows = ws.iter_rows(values_only=True) if ws is not None else iter(())
    header = next(rows, None)
    if not header:
        result.problems.append(ImportProblem(1, "", _("The first row must name the columns.")))
        return result
    positions: dict[str, int] = {}
    by_name = {name: c for c in sheet.columns if c.imported for name in _column_names(c)}
    for index, title in enumerate(header):
        if title is None or not str(title).strip():
            continue
        column = by_name.get(_norm(title))
        if column is None:
            result.ignored_columns.append(str(title))
        elif column.key in positions:
            result.problems.append(
                ImportProblem(1, str(column.label), _("This column appears twice."))
            )
        else:
            positions[column.key] = index
    for column in sheet.columns:
        if column.required and column.imported and column.key not in positions:
            result.problems.append(
                ImportProblem(1, str(column.label), _("This column is missing."))
            )
    if result.problems:
        return result

    refs = _Refs()
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, values in enumerate(rows, start=2):
        if values is None or all(
            v is None or (isinstance(v, str) and not v.strip()) for v in values
        ):
            continue
        if len(parsed) >= MAX_ROWS:
            result.problems.append(
                ImportProblem(number, "", _("A file may hold at most %(n)d rows; split it.")
                              % {"n": MAX_ROWS})
            )  # fmt: skip
            break
        row: dict[str, Any] = {}
        ok = True
        for key, index in positions.items():
            column = sheet.column(key)
            assert column is not None
            raw = values[index] if index < len(values) else None
            try:
                row[key] = _parse(column, raw, refs)
            except ValidationError as exc:
                ok = False
                for message in exc.messages:
                    result.problems.append(ImportProblem(number, str(column.label), message))
        if not ok:
            continue
        identity = tuple(getattr(row[k], "pk", row[k]) for k in sheet.keys)
        if identity in seen:
            labels = ", ".join(str(sheet.column(k).label) for k in sheet.keys)  # type: ignore[union-attr]
            result.problems.append(
                ImportProblem(number, labels, _("The same key is already in row %(row)d.")
                              % {"row": seen[identity]})
            )  # fmt: skip
            continue
        seen[identity] = number
        parsed.append((number, row))
    # The rows that parsed are still tried (and rolled back), so one answer lists every problem.

    name = file_name or str(getattr(file, "name", "") or "Excel")
    reason = stored(gettext_noop("Imported from %(file)s"), file=name[:100])
    with transaction.atomic():
        for number, row in parsed:
            try:
                with transaction.atomic():
                    _apply(actor, sheet, row, reason, result)
            except ValidationError as exc:
                _problems_from(result, sheet, number, exc)
            except (PermissionDenied, ConflictError) as exc:
                result.problems.append(
                    ImportProblem(number, "", str(getattr(exc, "message", "") or exc))
                )
            except IntegrityError:
                result.problems.append(
                    ImportProblem(number, "", _("The row clashes with a record already kept."))
                )
        if result.problems:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result


def _apply(
    actor: User, sheet: Sheet, row: dict[str, Any], reason: Any, result: ImportResult
) -> None:
    existing = sheet.find(row)
    if existing is None:
        values = {k: v for k, v in row.items() if v is not None or k in sheet.keys}
        sheet.create(actor, values, reason)
        result.created += 1
        return
    # A blank choice keeps what the record has (the model's default stands for it).
    changed = {
        k: v
        for k, v in row.items()
        if not _same(getattr(existing, k), v)
        and not (v is None and getattr(sheet.column(k), "kind", "") == "choice")
    }
    for key in sheet.keys:
        changed.pop(key, None)
    if not changed:
        result.unchanged += 1
        return
    sheet.update(actor, existing, changed, reason)
    result.updated += 1


def _problems_from(result: ImportResult, sheet: Sheet, number: int, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            column = sheet.column(key)
            label = str(column.label) if column is not None else ""
            for error in errors:
                for message in error.messages:
                    result.problems.append(ImportProblem(number, label, message))
    else:
        for message in exc.messages:
            result.problems.append(ImportProblem(number, "", message))


def xlsx_file(content: bytes, name: str = "upload.xlsx") -> Any:
    """Bytes as an uploaded file (for the API and tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
