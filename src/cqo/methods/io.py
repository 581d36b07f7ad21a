"""Reading tabular input (CSV, whitespace text, .xlsx) for the methods and ``cqo stats``.

Row numbers in errors are spreadsheet rows: the header is row 1, the first data row is row 2, so a
user can go straight to the cell in Excel or a text editor.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import MethodsInputError

_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n"}


@dataclass(frozen=True)
class Table:
    """A header plus columns of raw text cells, all of equal length."""

    header: tuple[str, ...]
    cells: dict[str, list[str]]

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.cells.values()))) if self.cells else 0

    def _require(self, column: str) -> list[str]:
        if column not in self.cells:
            known = ", ".join(self.header)
            raise MethodsInputError(f"no column '{column}' in the input (columns: {known})")
        return self.cells[column]

    def text(self, column: str) -> list[str]:
        return list(self._require(column))

    def numeric(self, column: str, *, allow_missing: bool = False) -> np.ndarray:
        """The column as float64; a non-numeric or non-finite cell is an error naming its row."""
        raw = self._require(column)
        try:
            values = np.array(raw, dtype=np.float64)
        except ValueError:
            values = np.empty(len(raw), dtype=np.float64)
            for i, cell in enumerate(raw):
                values[i] = _parse_float(
                    cell, row=i + 2, column=column, allow_missing=allow_missing
                )
        if not allow_missing:
            bad = np.flatnonzero(~np.isfinite(values))
            if bad.size:
                i = int(bad[0])
                raise MethodsInputError(
                    f"'{raw[i]}' is not a finite number", row=i + 2, column=column
                )
        return values

    def boolean(self, column: str) -> np.ndarray:
        raw = self._require(column)
        out = np.empty(len(raw), dtype=bool)
        for i, cell in enumerate(raw):
            key = cell.strip().lower()
            if key in _TRUE:
                out[i] = True
            elif key in _FALSE:
                out[i] = False
            else:
                raise MethodsInputError(
                    f"'{cell}' is not TRUE/FALSE, true/false or 1/0", row=i + 2, column=column
                )
        return out


def _parse_float(cell: str, *, row: int, column: str, allow_missing: bool) -> float:
    text = cell.strip()
    if text == "" or text.upper() in {"NA", "NAN"}:
        if allow_missing:
            return math.nan
        raise MethodsInputError("the cell is empty", row=row, column=column)
    try:
        value = float(text)
    except ValueError:
        raise MethodsInputError(f"'{cell}' is not a number", row=row, column=column) from None
    if not math.isfinite(value):
        raise MethodsInputError(f"'{cell}' is not a finite number", row=row, column=column)
    return value


def table_from_rows(header: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    names = tuple(str(h).strip() for h in header)
    if not names or any(n == "" for n in names):
        raise MethodsInputError("the header row has an empty column name", row=1)
    if len(set(names)) != len(names):
        raise MethodsInputError("the header row names a column twice", row=1)
    if not rows:
        raise MethodsInputError("the input has a header but no data rows")
    width = len(names)
    if any(len(row) != width for row in rows):
        r, row = next((r, row) for r, row in enumerate(rows, start=2) if len(row) != width)
        raise MethodsInputError(f"expected {width} cells, found {len(row)}", row=r)
    # One comprehension per column is several times faster than appending cell by cell.
    cells: dict[str, list[str]] = {}
    for j, name in enumerate(names):
        raw = [row[j] for row in rows]
        if all(type(v) is str for v in raw):
            cells[name] = raw  # type: ignore[assignment]
        else:
            cells[name] = ["" if v is None else str(v) for v in raw]
    return Table(header=names, cells=cells)


def read_text(text: str, *, whitespace: bool = False) -> Table:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise MethodsInputError("the input is empty")
    if whitespace:
        rows = [line.split() for line in lines]
    else:
        sample = lines[0]
        dialect = ";" if sample.count(";") > sample.count(",") else ","
        if '"' in text:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=dialect))
        else:
            # Without quotes the csv module splits exactly like str.split, only slower.
            rows = [line.split(dialect) for line in lines]
    header, body = rows[0], rows[1:]
    header = [h.strip().strip('"') for h in header]
    return table_from_rows(header, body)


def read_table(path: str | Path) -> Table:
    """Read CSV (comma or semicolon), whitespace-separated .txt/.dat, or .xlsx (first sheet)."""
    p = Path(path)
    if not p.exists():
        raise MethodsInputError(f"file not found: {p}")
    suffix = p.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(p)
    raw = p.read_bytes()
    if not raw.strip():
        raise MethodsInputError(f"the file is empty: {p}")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise MethodsInputError(f"cannot decode {p} as UTF-8 or GB18030")
    first = text.lstrip().splitlines()[0]
    whitespace = suffix in {".txt", ".dat"} and "," not in first and ";" not in first
    return read_text(text, whitespace=whitespace)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise MethodsInputError(f"cannot read {path} as an Excel workbook: {exc}") from None
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    rows = [r for r in rows if any(c is not None and str(c).strip() != "" for c in r)]
    if not rows:
        raise MethodsInputError(f"the workbook's first sheet is empty: {path}")
    header = rows[0]
    while header and header[-1] is None:
        header = header[:-1]
    body = [r[: len(header)] + [None] * (len(header) - len(r)) for r in rows[1:]]
    return table_from_rows([("" if h is None else h) for h in header], body)
