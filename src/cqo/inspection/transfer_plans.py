"""Excel import and export of inspection plans, and the reading of an uploaded workbook that the
receipt import shares.

One row per plan and defect class: part number, gate, supplier (only for a supplier's own plan),
the class and its sampling (GB/T 2828.1 level and AQL, a fixed n and Ac, or 100 %), the
characteristics checked (codes, separated by commas) and, in process, first article / patrol /
last piece. Rows of one item × gate × supplier make one plan.

Import is all or nothing: every row is read and checked, then each plan is written as a draft
through the same services as the pages (a new version when one is in force), inside one
transaction; any problem, named by row and column, rolls back everything. Plans are approved
one by one from their pages (§6 c)): an import never puts a plan in force.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.accounts.models import User
from cqo.audit.services import audit_record
from cqo.core.clauses import clause
from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.permissions import require
from cqo.core.uploads import max_bytes
from cqo.masterdata.models import Characteristic, DefectClass, Gate, Item, Supplier

from . import selectors_plans as sel
from . import services_plans as services
from .models import InspectionPlan, PlanStatus, SamplingMethod

CLAUSE_GATE = clause("§6 e)")
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"
TRUE = {"1", "true", "yes", "y", "是", "x", "√", "✓"}
FALSE = {"", "0", "false", "no", "n", "否"}


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    imported: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("part_number", capfirst(gettext_lazy("part number"))),
    Column("gate", gettext_lazy("Gate")),
    Column("supplier", gettext_lazy("Supplier code")),
    Column("version", capfirst(gettext_lazy("version")), imported=False),
    Column("status", gettext_lazy("Status"), imported=False),
    Column("defect_class", gettext_lazy("Defect class")),
    Column("method", gettext_lazy("Sampling")),
    Column("level", gettext_lazy("Inspection level")),
    Column("aql", gettext_lazy("AQL")),
    Column("fixed_n", gettext_lazy("Sample size")),
    Column("fixed_ac", gettext_lazy("Acceptance number")),
    Column("characteristics", gettext_lazy("Characteristics checked")),
    Column("first_article", gettext_lazy("First article required")),
    Column("patrol_interval_minutes", gettext_lazy("Patrol every (minutes)")),
    Column("last_piece", gettext_lazy("Last piece required")),
    Column("note", gettext_lazy("Note")),
)


# --- reading a workbook ---------------------------------------------------------------------


def _label_keys(columns: tuple[Any, ...]) -> dict[str, str]:
    """Header text (the key, or the label in English or Chinese) → column key."""
    found: dict[str, str] = {}
    for col in columns:
        found[col.key.lower()] = col.key
        for language in ("en", "zh-hans"):
            with translation.override(language):
                found[str(col.label).strip().lower()] = col.key
    return found


def workbook_rows(file: Any, columns: tuple[Any, ...]) -> Iterator[tuple[int, dict[str, str]]]:
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
    body = rows[header_at + 1 :]
    if len(body) > MAX_ROWS:
        raise ValidationError({"file": _("At most %(n)d rows in one file.") % {"n": MAX_ROWS}})
    for offset, raw in enumerate(body):
        if not any(c not in (None, "") for c in raw):
            continue
        cells = {key: _text(raw[i]) for i, key in enumerate(header) if key and i < len(raw)}
        yield header_at + 2 + offset, cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


class RowErrors:
    """Problems named by row and column, in the reader's language."""

    def __init__(self, columns: tuple[Any, ...]) -> None:
        self.labels = {c.key: c.label for c in columns}
        self.messages: list[str] = []

    def add(self, row: int, key: str | None, message: Any) -> None:
        label = self.labels.get(key or "", "")
        if label:
            self.messages.append(
                _("Row %(row)d, column “%(column)s”: %(message)s")
                % {"row": row, "column": label, "message": message}
            )
        else:
            self.messages.append(_("Row %(row)d: %(message)s") % {"row": row, "message": message})

    def add_validation(
        self, row: int, exc: ValidationError, aliases: dict[str, str] | None = None
    ) -> None:
        aliases = aliases or {}
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for message in errors:
                    self.add(row, aliases.get(field, field), message)
        else:
            for message in exc.messages:
                self.add(row, None, message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError({"file": self.messages[:200]})


def choice(value: str, choices: Any) -> str | None:
    """A choice given by its code or its label in English or Chinese."""
    text = value.strip().lower()
    for code, label in choices.choices:
        if text == str(code).lower():
            return str(code)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                if text == str(label).strip().lower():
                    return str(code)
    return None


def boolean(value: str) -> bool | None:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return None


# --- export -----------------------------------------------------------------------------------


def plans_export(user: Any) -> bytes:
    wb = workbook_new()
    ws = wb.active
    ws.title = str(_("Inspection plans"))[:31]
    sheet_append(ws, [str(c.label) for c in COLUMNS])
    plans = (
        sel.plans_visible(user)
        .exclude(status=PlanStatus.SUPERSEDED)
        .prefetch_related("samplings", "characteristics__characteristic")
        .order_by("item__part_number", "gate", "supplier_id", "-version")
    )
    for plan in plans:
        codes = ", ".join(
            pc.characteristic.code
            for pc in sorted(plan.characteristics.all(), key=lambda r: (r.sequence, r.pk))
            if pc.voided_at is None
        )
        samplings: list[Any] = [s for s in plan.samplings.all() if s.voided_at is None] or [None]
        for s in samplings:
            sheet_append(
                ws,
                [
                    plan.item.part_number, plan.gate, plan.supplier.code if plan.supplier else "",
                    plan.version, str(plan.get_status_display()),
                    s.defect_class if s else "", s.method if s else "", s.level if s else "",
                    s.aql if s else "", s.fixed_n if s and s.fixed_n is not None else "",
                    s.fixed_ac if s and s.fixed_ac is not None else "", codes,
                    "1" if plan.first_article else "0", plan.patrol_interval_minutes or "",
                    "1" if plan.last_piece else "0", plan.note,
                ],
            )  # fmt: skip
    return xlsx_bytes(wb)


# --- import ----------------------------------------------------------------------------------


@dataclass
class _PlanRows:
    item: Item
    gate: str
    supplier: Supplier | None
    first_row: int
    fields: dict[str, Any]
    characteristics: list[Characteristic]
    samplings: list[tuple[int, dict[str, Any]]]


SPLIT = re.compile(r"[,，;；、\s]+")


def _parse(file: Any, errors: RowErrors) -> list[_PlanRows]:
    items = {i.part_number: i for i in Item.objects.filter(voided_at__isnull=True)}
    suppliers = {s.code: s for s in Supplier.objects.filter(voided_at__isnull=True)}
    plans: dict[tuple[int, str, int | None], _PlanRows] = {}
    for row, cells in workbook_rows(file, COLUMNS):
        part = cells.get("part_number", "")
        item = items.get(part)
        if item is None:
            errors.add(row, "part_number", _("No item with part number “%(v)s”.") % {"v": part})
            continue
        gate = choice(cells.get("gate", ""), Gate)
        if gate is None:
            errors.add(row, "gate", _("Choose the incoming, in-process or outgoing gate."))
            continue
        code = cells.get("supplier", "")
        supplier = suppliers.get(code) if code else None
        if code and supplier is None:
            errors.add(row, "supplier", _("No supplier with code “%(v)s”.") % {"v": code})
            continue
        key = (item.pk, gate, supplier.pk if supplier else None)
        group = plans.get(key)
        if group is None:
            flags: dict[str, Any] = {}
            for name in ("first_article", "last_piece"):
                flag = boolean(cells.get(name, ""))
                if flag is None:
                    errors.add(row, name, _("Write 1 or 0 (yes or no)."))
                flags[name] = bool(flag)
            chars: list[Characteristic] = []
            by_code = {c.code: c for c in item.characteristics.filter(voided_at__isnull=True)}
            for ch_code in [c for c in SPLIT.split(cells.get("characteristics", "")) if c]:
                ch = by_code.get(ch_code)
                if ch is None:
                    errors.add(
                        row, "characteristics",
                        _("%(item)s has no characteristic “%(code)s”.")
                        % {"item": item.part_number, "code": ch_code},
                    )  # fmt: skip
                else:
                    chars.append(ch)
            group = _PlanRows(
                item=item, gate=gate, supplier=supplier, first_row=row, characteristics=chars,
                samplings=[],
                fields={**flags, "patrol_interval_minutes": cells.get("patrol_interval_minutes") or None,
                        "note": cells.get("note", "")},
            )  # fmt: skip
            plans[key] = group
        cls = cells.get("defect_class", "").upper()
        if not cls:
            continue
        if cls not in DefectClass.values:
            errors.add(row, "defect_class", _("Choose the defect class CR, MA or MI."))
            continue
        if any(s[1]["defect_class"] == cls for s in group.samplings):
            errors.add(row, "defect_class", _("This class is given twice for the plan."))
            continue
        method = choice(cells.get("method", "") or SamplingMethod.GBT2828, SamplingMethod)
        if method is None:
            errors.add(row, "method", _("Choose how this class is sampled."))
            continue
        try:
            values = services.sampling_check(
                method=method, level=cells.get("level", ""), aql=cells.get("aql", ""),
                fixed_n=cells.get("fixed_n") or None, fixed_ac=cells.get("fixed_ac") or None,
            )  # fmt: skip
        except ValidationError as exc:
            errors.add_validation(row, exc)
            continue
        group.samplings.append((row, {"defect_class": cls, "method": method, **values}))
    return list(plans.values())


def plans_import(*, actor: User, file: Any) -> list[InspectionPlan]:
    """Draft every plan of the workbook, all or nothing (see the module docstring)."""
    require(actor, "inspection.add_inspectionplan", clause=CLAUSE_GATE)
    errors = RowErrors(COLUMNS)
    groups = _parse(file, errors)
    errors.raise_if_any()
    if not groups:
        raise ValidationError({"file": _("The workbook has no plans.")})
    done: list[InspectionPlan] = []
    with transaction.atomic():
        for group in groups:
            try:
                plan = _draft_for(actor, group)
                services.plan_update(actor=actor, plan=plan, **group.fields)
                services.plan_characteristics_set(
                    actor=actor, plan=plan, characteristics=group.characteristics
                )
                for row, values in group.samplings:
                    try:
                        services.plan_sampling_set(actor=actor, plan=plan, **values)
                    except ValidationError as exc:
                        errors.add_validation(row, exc)
                done.append(plan)
            except ValidationError as exc:
                errors.add_validation(group.first_row, exc, {"item": "part_number"})
            except PermissionDenied as exc:
                errors.add(group.first_row, None, str(exc))
        if errors.messages:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor, action="inspection.plan.import", obj=done[0],
                after={"plans": [p.pk for p in done], "file": str(getattr(file, "name", ""))[:200]},
                clause=CLAUSE_GATE,
            )  # fmt: skip
    errors.raise_if_any()
    return done


def _draft_for(actor: User, group: _PlanRows) -> InspectionPlan:
    versions = InspectionPlan.objects.filter(
        item=group.item, gate=group.gate, supplier=group.supplier, voided_at__isnull=True
    ).order_by("-version")
    latest = versions.first()
    if latest is None:
        return services.plan_create(
            actor=actor, item=group.item, gate=group.gate, supplier=group.supplier
        )
    if latest.status in services.EDITABLE:
        return latest
    return services.plan_version_new(actor=actor, plan=latest)
