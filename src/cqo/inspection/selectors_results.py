"""Reads of the results part, scoped to the user: results, concessions, dispositions and the
grid an inspector types into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from cqo.masterdata.models import Characteristic, CharacteristicKind, Instrument, InstrumentStatus

from .models import (
    Concession,
    Disposition,
    InspectionAttachment,
    InspectionLot,
    Measurement,
)
from .services_results import LotSheet, lot_sheet, lot_tally

__all__ = [
    "Column",
    "Grid",
    "attachments_of",
    "concessions_visible",
    "dispositions_visible",
    "grid_of",
    "lot_tally",
    "lots_visible",
    "measurements_visible",
    "results_of",
]


def lots_visible(user: Any) -> QuerySet[InspectionLot]:
    if not user.has_perm("inspection.view_inspectionlot"):
        return InspectionLot.objects.none()
    return InspectionLot.objects.select_related("lot", "item", "supplier", "plan")


def measurements_visible(user: Any) -> QuerySet[Measurement]:
    if not user.has_perm("inspection.view_measurement"):
        return Measurement.objects.none()
    return Measurement.objects.select_related("characteristic", "instrument", "inspection_lot")


def concessions_visible(user: Any) -> QuerySet[Concession]:
    if not user.has_perm("inspection.view_concession"):
        return Concession.objects.none()
    return Concession.objects.select_related(
        "inspection_lot__lot", "inspection_lot__item", "approval", "raised_by"
    )


def dispositions_visible(user: Any) -> QuerySet[Disposition]:
    if not user.has_perm("inspection.view_disposition"):
        return Disposition.objects.none()
    return Disposition.objects.select_related("inspection_lot__lot", "decided_by")


def results_of(inspection_lot: InspectionLot, *, voided: bool = False) -> QuerySet[Measurement]:
    qs = Measurement.objects.filter(inspection_lot=inspection_lot).select_related(
        "characteristic", "instrument", "recorded_by", "voided_by"
    )
    return qs.filter(voided_at__isnull=not voided)


def attachments_of(inspection_lot: InspectionLot) -> QuerySet[InspectionAttachment]:
    return InspectionAttachment.objects.filter(
        inspection_lot=inspection_lot, voided_at__isnull=True
    ).select_related("uploaded_by")


@dataclass
class Column:
    characteristic: Characteristic
    n: int
    instruments: list[Instrument] = field(default_factory=list)
    instrument_id: int | None = None

    @property
    def variable(self) -> bool:
        return self.characteristic.kind == CharacteristicKind.VARIABLE


@dataclass
class Cell:
    column: Column
    value: str = ""
    defect_type: str = ""
    conforming: bool | None = None
    measurement: int | None = None
    enabled: bool = True
    initial: str = ""
    initial_defect_type: str = ""


@dataclass
class Grid:
    sheet: LotSheet
    columns: list[Column]
    rows: list[tuple[int, list[Cell]]]


def grid_of(inspection_lot: InspectionLot) -> Grid:
    """The results grid: one row per sample unit (1..the largest n), one column per
    characteristic of the plan, with its instrument choices (those of its instrument type in
    use, the last one used first) and what is already recorded."""
    sheet = lot_sheet(inspection_lot)
    types = {c.instrument_type for c in sheet.characteristics if c.instrument_type}
    in_use = list(
        Instrument.objects.filter(
            voided_at__isnull=True, status=InstrumentStatus.IN_USE, instrument_type__in=types
        ).order_by("number")
    )
    recorded = list(
        Measurement.objects.filter(inspection_lot=inspection_lot, voided_at__isnull=True).values(
            "pk", "characteristic_id", "sample_no", "value", "defects", "defect_type",
            "conforming", "instrument_id",
        )
    )  # fmt: skip
    by_key = {(m["characteristic_id"], m["sample_no"]): m for m in recorded}
    last_instrument: dict[int, int] = {}
    for m in recorded:
        if m["instrument_id"]:
            last_instrument[m["characteristic_id"]] = m["instrument_id"]
    columns = []
    for c in sheet.characteristics:
        choices = [i for i in in_use if i.instrument_type == c.instrument_type]
        default = last_instrument.get(c.pk) or (choices[0].pk if choices else None)
        columns.append(Column(c, sheet.n_for(c) or 0, choices, default))
    rows = []
    for no in range(1, sheet.rows + 1):
        cells = []
        for col in columns:
            found = by_key.get((col.characteristic.pk, no))
            if found is None:
                cells.append(Cell(col, enabled=no <= col.n))
                continue
            m = found
            shown = _plain(m["value"]) if col.variable else str(m["defects"])
            cells.append(
                Cell(col, shown, m["defect_type"], m["conforming"], m["pk"], True, shown,
                     m["defect_type"])
            )  # fmt: skip
        rows.append((no, cells))
    return Grid(sheet, columns, rows)


def grid_overlay(grid: Grid, rows: Any) -> None:
    """Put the cells a refused post typed back into the grid, so nothing typed is lost."""
    if not isinstance(rows, list):
        return
    index = {(cell.column.characteristic.pk, no): cell for no, cells in grid.rows for cell in cells}
    for row in rows:
        if not isinstance(row, dict):
            continue
        try:
            key = (int(str(row.get("characteristic_id"))), int(str(row.get("sample_no"))))
        except (TypeError, ValueError):
            continue
        cell = index.get(key)
        if cell is None:
            continue
        typed = row.get("value", row.get("defects", row.get("conforming", "")))
        cell.value = "" if typed is None else str(typed)
        cell.defect_type = str(row.get("defect_type") or "")
        cell.conforming = None


def _plain(value: Any) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
