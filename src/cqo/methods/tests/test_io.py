"""Row numbers in error messages are the rows a user sees in the file, blank rows included."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from cqo.methods import cli
from cqo.methods.capability import capability_from_table
from cqo.methods.charts import chart_from_table
from cqo.methods.errors import MethodsInputError
from cqo.methods.gage import gage_rr_from_table
from cqo.methods.io import read_table, read_text
from cqo.methods.pareto import pareto_from_table
from cqo.methods.sampling import load_plan_table


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def test_a_bad_cell_after_a_blank_line_is_reported_on_the_line_it_is_on(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("x\n1\n\n2\nabc\n", encoding="utf-8")
    code, out, err = run(["chart", "imr", "--input", str(path), "--value", "x"])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert "row 5, column 'x': 'abc' is not a number" in err


def test_rows_after_several_blank_lines_keep_their_line_numbers() -> None:
    table = read_text("x,y\n\n1,a\n   \n\n2b,b\n3,c\n\n")
    assert table.n_rows == 3
    assert [table.row(i) for i in range(3)] == [3, 6, 7]
    assert table.rows().tolist() == [3, 6, 7]
    with pytest.raises(MethodsInputError, match=r"row 6, column 'x': '2b' is not a number"):
        table.numeric("x")


def test_without_blank_lines_data_row_i_is_row_i_plus_2() -> None:
    table = read_text("x\n1\n2\n3\n")
    assert table.row_numbers is None
    assert table.rows().tolist() == [2, 3, 4]


def test_leading_blank_lines_move_the_header_and_the_rows_down() -> None:
    table = read_text("\n\nx\n1\nabc\n")
    assert table.header_row == 3
    with pytest.raises(MethodsInputError, match=r"row 5, column 'x'"):
        table.numeric("x")


def test_quoted_csv_keeps_the_row_numbers_across_blank_lines() -> None:
    table = read_text('x,y\n1,"a"\n\n2,"b, c"\n"abc",d\n')
    assert table.text("y")[1] == "b, c"
    with pytest.raises(MethodsInputError, match=r"row 5, column 'x': 'abc' is not a number"):
        table.numeric("x")


def test_a_short_line_after_a_blank_line_is_reported_on_its_own_line() -> None:
    with pytest.raises(MethodsInputError, match=r"row 4: expected 2 cells, found 1"):
        read_text("x,y\n1,2\n\n3\n")


def test_a_bad_cell_after_blank_rows_in_excel_is_reported_on_its_sheet_row(
    tmp_path: Path,
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "x"
    ws["A2"] = 1
    # rows 3 and 4 left blank
    ws["A5"] = 2
    ws["A6"] = "abc"
    path = tmp_path / "blank.xlsx"
    wb.save(path)
    table = read_table(path)
    assert table.rows().tolist() == [2, 5, 6]
    code, _, err = run(["chart", "imr", "--input", str(path), "--value", "x"])
    assert code == 2
    assert "row 6, column 'x': 'abc' is not a number" in err


def test_an_excel_header_below_blank_rows_keeps_its_sheet_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A3"] = "x"
    ws["A4"] = "abc"
    path = tmp_path / "low.xlsx"
    wb.save(path)
    with pytest.raises(MethodsInputError, match=r"row 4, column 'x'"):
        read_table(path).numeric("x")


BLANK = "\n\n"  # two blank lines after the header: data row i is on line i + 4


@pytest.mark.parametrize(
    ("csv", "kind", "options", "where"),
    [
        ("x,n\n" + BLANK + "1,10\n-1,10\n", "p", {"size": "n"}, "row 5, column 'x'"),
        ("x,n\n" + BLANK + "1,10\n11,10\n", "np", {"size": "n"}, "row 5, column 'x'"),
        ("x,n\n" + BLANK + "1,10\n1,0\n", "u", {"size": "n"}, "row 5, column 'n'"),
        ("x,n\n" + BLANK + "1,10\n1,2.5\n", "p", {"size": "n"}, "row 5, column 'n'"),
        ("x,p\n" + BLANK + "1,TRUE\n2,maybe\n", "imr", {"phase1": "p"}, "row 5, column 'p'"),
        ("x,g\n" + BLANK + "1,a\n2,b\n3,b\n", "r", {"group": "g"}, "subgroup 'a' (row 4)"),
    ],
)
def test_every_chart_error_names_the_row_the_user_sees(
    csv: str, kind: str, options: dict[str, str], where: str
) -> None:
    table = read_text(csv)
    with pytest.raises(MethodsInputError, match=where.replace("(", r"\(").replace(")", r"\)")):
        chart_from_table(table, kind, value="x", **options)  # type: ignore[arg-type]


def test_capability_names_the_sheet_row_of_a_single_value_subgroup_after_blank_lines() -> None:
    table = read_text("x,g,p\n1,a,TRUE\n\n9,z,FALSE\n2,a,TRUE\n\n3,b,TRUE\n")
    with pytest.raises(MethodsInputError, match=r"subgroup 'b' \(row 7\)"):
        capability_from_table(table, value="x", group="g", phase1="p", lsl=0, usl=10)


def test_gage_and_pareto_errors_name_the_row_after_blank_lines() -> None:
    gage = read_text("part,op,y\n1,A,1\n\n ,A,2\n")
    with pytest.raises(MethodsInputError, match=r"row 4, column 'part'"):
        gage_rr_from_table(gage, "part", "op", "y")
    pareto = read_text("c,n\nscratch,1\n\ndent,-1\n")
    with pytest.raises(MethodsInputError, match=r"row 4, column 'n'"):
        pareto_from_table(pareto, "c", "n")


def test_an_imported_plan_table_names_the_row_after_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "reduced.csv"
    path.write_text("code,aql,n,ac,re\nA,6.5,2,0,1\n\nB,6.5,2,1,1\n", encoding="utf-8")
    with pytest.raises(MethodsInputError, match=r"row 4, column 're'"):
        load_plan_table(path)


def test_a_line_of_empty_cells_is_a_row_with_empty_cells_with_or_without_quotes() -> None:
    for text in ("x,y\n1,2\n,\n", 'x,y\n1,"2"\n,\n'):
        with pytest.raises(MethodsInputError, match=r"row 3, column 'x': the cell is empty"):
            read_text(text).numeric("x")


def test_a_broken_quoted_csv_is_an_input_error_not_a_traceback() -> None:
    # The csv module refuses a cell longer than its field limit (131,072 characters).
    with pytest.raises(MethodsInputError, match="row 3: cannot read the CSV: field larger"):
        read_text('x,y\n1,"a"\n2,"' + "b" * 200_000 + '"\n')
