"""Reading tabular input (CSV, whitespace text, .xlsx) for the methods and ``cqo stats``.

Row numbers in errors are spreadsheet rows: the header is row 1, the first data row is row 2, so a
user can go straight to the cell in Excel or a text editor. Blank lines (CSV) and blank rows (.xlsx)
are skipped but still counted, so every kept row keeps the number it has in the file.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .errors import MethodsInputError

_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n"}


@dataclass(frozen=True)
class Table:
    """A header plus columns of raw text cells, all of equal length.

    ``row_numbers`` are the spreadsheet row numbers of the data rows (1-based, counting the header
    and any skipped blank rows); None means the rows follow the header without gaps, data row i
    (0-based) being row ``header_row + 1 + i``.
    """

    header: tuple[str, ...]
    cells: dict[str, list[str]]
    # Not compared: == on two arrays has no single truth value.
    row_numbers: npt.NDArray[np.int64] | None = field(default=None, compare=False)
    header_row: int = 1

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.cells.values()))) if self.cells else 0

    def row(self, i: int) -> int:
        """The spreadsheet row number of data row ``i`` (0-based), for error messages."""
        if self.row_numbers is None:
            return self.header_row + 1 + int(i)
        return int(self.row_numbers[int(i)])

    def rows(self) -> npt.NDArray[np.int64]:
        """The spreadsheet row numbers of all data rows."""
        if self.row_numbers is None:
            return np.arange(self.header_row + 1, self.header_row + 1 + self.n_rows, dtype=np.int64)
        return np.asarray(self.row_numbers, dtype=np.int64)

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
                    cell, row=self.row(i), column=column, allow_missing=allow_missing
                )
        if not allow_missing:
            bad = np.flatnonzero(~np.isfinite(values))
            if bad.size:
                i = int(bad[0])
                raise MethodsInputError(
                    f"'{raw[i]}' is not a finite number", row=self.row(i), column=column
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
                    f"'{cell}' is not TRUE/FALSE, true/false or 1/0",
                    row=self.row(i),
                    column=column,
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


def table_from_rows(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    row_numbers: Sequence[int] | None = None,
    header_row: int = 1,
) -> Table:
    """A table from a header and data rows; ``row_numbers`` are the rows' numbers in the file
    (default: consecutive after ``header_row``), used in every error message."""
    names = tuple(str(h).strip() for h in header)
    if not names or any(n == "" for n in names):
        raise MethodsInputError("the header row has an empty column name", row=header_row)
    if len(set(names)) != len(names):
        raise MethodsInputError("the header row names a column twice", row=header_row)
    if not rows:
        raise MethodsInputError("the input has a header but no data rows")
    numbers: npt.NDArray[np.int64] | None = None
    if row_numbers is not None:
        if len(row_numbers) != len(rows):
            raise ValueError("row_numbers must have one entry per data row")
        numbers = np.asarray(row_numbers, dtype=np.int64)
        if numbers[0] == header_row + 1 and numbers[-1] - numbers[0] == numbers.size - 1:
            numbers = None  # no blank row skipped: store nothing, as in the common case
    table = Table(header=names, cells={}, row_numbers=numbers, header_row=header_row)
    width = len(names)
    if any(len(row) != width for row in rows):
        i, row = next((i, row) for i, row in enumerate(rows) if len(row) != width)
        raise MethodsInputError(f"expected {width} cells, found {len(row)}", row=table.row(i))
    # One comprehension per column is several times faster than appending cell by cell.
    cells: dict[str, list[str]] = {}
    for j, name in enumerate(names):
        raw = [row[j] for row in rows]
        if all(type(v) is str for v in raw):
            cells[name] = raw  # type: ignore[assignment]
        else:
            cells[name] = ["" if v is None else str(v) for v in raw]
    return Table(header=names, cells=cells, row_numbers=numbers, header_row=header_row)


def read_text(text: str, *, whitespace: bool = False) -> Table:
    """Parse CSV or whitespace-separated text; blank lines are skipped but keep their numbers."""
    all_lines = text.splitlines()
    lines = [line for line in all_lines if line.strip()]
    if not lines:
        raise MethodsInputError("the input is empty")
    # numbers[j] is the 1-based line (spreadsheet row) of kept line j; only computed when a blank
    # line was skipped, since a million ints cost time.
    numbers: list[int] | range
    if len(lines) == len(all_lines):
        numbers = range(1, len(all_lines) + 1)
    else:
        numbers = [i for i, line in enumerate(all_lines, start=1) if line.strip()]
    quoted = not whitespace and '"' in text
    joined = "\n".join(all_lines) if quoted else ""
    # Dropped before a million row lists are built: the garbage collector would walk it each
    # time, which costs a quarter of the parse on a big file.
    del all_lines
    if whitespace:
        rows = [line.split() for line in lines]
    else:
        sample = lines[0]
        dialect = ";" if sample.count(";") > sample.count(",") else ","
        if quoted:
            # A quoted cell may span lines: number the records as a spreadsheet does (one row
            # per record, blank records counted), which is the line number when none does.
            rows, numbers = [], []
            reader = csv.reader(io.StringIO(joined), delimiter=dialect)
            number = 0
            try:
                for number, record in enumerate(reader, start=1):
                    # Skip what the unquoted path skips: empty and whitespace-only lines.
                    if len(record) > 1 or (record and record[0].strip()):
                        rows.append(record)
                        numbers.append(number)
            except csv.Error as exc:
                raise MethodsInputError(f"cannot read the CSV: {exc}", row=number + 1) from None
            if not rows:
                raise MethodsInputError("the input is empty")
        else:
            # Without quotes the csv module splits exactly like str.split, only slower.
            rows = [line.split(dialect) for line in lines]
    header, body = rows[0], rows[1:]
    header = [h.strip().strip('"') for h in header]
    if isinstance(numbers, range):  # no blank line: rows 1, 2, 3, ... without a million ints
        return table_from_rows(header, body)
    return table_from_rows(header, body, row_numbers=numbers[1:], header_row=numbers[0])


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
    # From row 1, so that the position in the list is the sheet's row number (openpyxl fills the
    # rows missing from the file with empty ones).
    numbered = [
        (number, list(r))
        for number, r in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
    ]
    wb.close()
    numbered = [
        (number, r)
        for number, r in numbered
        if any(c is not None and str(c).strip() != "" for c in r)
    ]
    if not numbered:
        raise MethodsInputError(f"the workbook's first sheet is empty: {path}")
    header_row, header = numbered[0]
    while header and header[-1] is None:
        header = header[:-1]
    body = [r[: len(header)] + [None] * (len(header) - len(r)) for _, r in numbered[1:]]
    return table_from_rows(
        [("" if h is None else h) for h in header],
        body,
        row_numbers=[number for number, _ in numbered[1:]],
        header_row=header_row,
    )
