"""Excel in and out for the NCR core: the NCR list as a workbook (formula-safe, through
``cqo.core.exports``) and the defect catalogue read from one (all or nothing, each problem named
by row and column)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.uploads import max_bytes
from cqo.masterdata.models import DefectClass

from .models_ncr import Anomaly

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 5_000
# The export stops here: beyond it, filter the list (the analysis pages summarise a year).
EXPORT_LIMIT = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str


DEFECT_COLUMNS: tuple[Column, ...] = (
    Column("family", gettext_lazy("Item family")),
    Column("code", gettext_lazy("Defect code")),
    Column("name", gettext_lazy("Name")),
    Column("name_en", gettext_lazy("Name (English)")),
    Column("defect_class", gettext_lazy("Defect class")),
    Column("description", gettext_lazy("Description")),
)


def _label_keys(columns: tuple[Column, ...]) -> dict[str, str]:
    """Header text (the key, or the label in English or Chinese) → column key."""
    found: dict[str, str] = {}
    for col in columns:
        found[col.key.lower()] = col.key
        for language in ("en", "zh-hans"):
            with translation.override(language):
                found[str(col.label).strip().lower()] = col.key
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def workbook_rows(file: Any, columns: tuple[Column, ...]) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column key: cell text}) for each non-blank row of the first sheet, or a
    ValidationError on ``file`` saying what is wrong with the workbook."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError({"file": _("The file is too large.")})
    head = file.read(4)
    file.seek(0)
    if head != XLSX_MAGIC:
        raise ValidationError({"file": _("Upload an Excel workbook (.xlsx).")})
    from openpyxl import load_workbook

    try:
        wb = load_workbook(file, read_only=True, data_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
    except Exception:  # openpyxl raises many types for a broken file
        raise ValidationError({"file": _("The workbook could not be read.")}) from None
    keys = _label_keys(columns)
    header_at = next((i for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), None)
    if header_at is None:
        raise ValidationError({"file": _("The workbook's first sheet is empty.")})
    header = [
        keys.get(str(c).strip().lower(), "") if c is not None else "" for c in rows[header_at]
    ]
    missing = [c for c in columns if c.key in ("family", "code", "name") and c.key not in header]
    if missing:
        raise ValidationError(
            {"file": _("The workbook has no column “%(column)s”.") % {"column": missing[0].label}}
        )
    body = rows[header_at + 1 :]
    if len(body) > MAX_ROWS:
        raise ValidationError({"file": _("At most %(n)d rows in one file.") % {"n": MAX_ROWS}})
    out = []
    for offset, raw in enumerate(body):
        if not any(c not in (None, "") for c in raw):
            continue
        cells = {key: _text(raw[i]) for i, key in enumerate(header) if key and i < len(raw)}
        out.append((header_at + 2 + offset, cells))
    return out


def _class_code(text: str) -> str:
    """A defect class given by its code (CR) or its label in English or Chinese."""
    wanted = text.strip().lower()
    for code, label in DefectClass.choices:
        if wanted == str(code).lower():
            return str(code)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                if wanted == str(label).strip().lower():
                    return str(code)
    return text.strip()


def defect_rows(file: Any) -> list[tuple[int, dict[str, Any]]]:
    """The catalogue's rows from a workbook, ready for ``defect_codes_import``."""
    rows = workbook_rows(file, DEFECT_COLUMNS)
    for _row, cells in rows:
        cells["defect_class"] = _class_code(cells.get("defect_class", ""))
    return rows


def defect_template_xlsx() -> bytes:
    wb = workbook_new()
    ws = wb.active
    ws.title = str(_("Defect codes"))[:31]
    sheet_append(ws, [str(c.label) for c in DEFECT_COLUMNS])
    sheet_append(ws, ["valve", "D001", "外径超差", "Outside diameter out of tolerance", "MA", ""])
    return xlsx_bytes(wb)


# --- the NCR list as a workbook ---------------------------------------------------------------


def _header() -> list[str]:
    return [
        str(_("NCR number")), str(_("Title")), str(_("Status")), str(_("Source")),
        str(_("Source reference")), str(_("Part number")), str(_("Item")), str(_("Supplier")),
        str(_("Where found")), str(_("Found on")), str(_("Quantity")), str(_("Defect class")),
        str(_("Quality engineer")), str(_("Raised at")), str(_("Days open")),
        str(_("Closed at")),
    ]  # fmt: skip


def ncr_rows(anomalies: Iterable[Anomaly]) -> Iterable[list[Any]]:
    now = timezone.now()
    for a in anomalies:
        end = a.closed_at or now
        yield [
            a.number,
            a.title,
            a.get_status_display(),
            a.get_source_display(),
            a.source_ref,
            a.item.part_number if a.item_id and a.item else "",
            a.item.name if a.item_id and a.item else "",
            f"{a.supplier.code} {a.supplier.name}" if a.supplier_id and a.supplier else "",
            a.get_found_at_display(),
            a.found_on,
            float(a.quantity),
            a.defect_class,
            str(a.owner) if a.owner_id and a.owner else "",
            timezone.localtime(a.raised_at).replace(tzinfo=None),
            (end - a.raised_at).days,
            timezone.localtime(a.closed_at).replace(tzinfo=None) if a.closed_at else None,
        ]


def ncr_list_xlsx(anomalies: Iterable[Anomaly]) -> bytes:
    """The NCRs as a workbook; text that a spreadsheet would read as a formula stays text."""
    wb = workbook_new()
    ws = wb.active
    ws.title = str(_("Nonconformance reports"))[:31]
    sheet_append(ws, _header())
    for row in ncr_rows(anomalies):
        sheet_append(ws, row)
    return xlsx_bytes(wb)
