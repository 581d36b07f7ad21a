from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqo.methods import cli
from cqo.methods.charts import chart_from_table, counts_from_rows
from cqo.methods.errors import MethodsInputError
from cqo.methods.io import Table, read_table

FIXTURES = Path(__file__).parent / "fixtures"
ORACLE: dict[str, Any] = json.loads((FIXTURES / "oracle_expected_public.json").read_text("utf-8"))
PISTONRINGS = str(FIXTURES / "qcc_pistonrings.txt")
PISTON_ARGS = ["--input", PISTONRINGS, "--value", "diameter", "--group", "sample"]
PISTON_ARGS += ["--phase1", "trial", "--constants", "table"]


class TtyStringIO(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(argv: list[str], err: io.StringIO | None = None) -> tuple[int, str, str]:
    out = io.StringIO()
    err = err if err is not None else io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def run_json(argv: list[str]) -> dict[str, Any]:
    code, out, err = run(argv)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def assert_limits(doc: dict[str, Any], case: dict[str, Any]) -> None:
    assert doc["center"] == pytest.approx(case["center"], rel=1e-8)
    if "sigma" in case:
        assert doc["sigma"] == pytest.approx(case["sigma"], rel=1e-8)
    for p in doc["points"]:
        assert p["lcl"] == pytest.approx(case["lcl"], rel=1e-8, abs=0 if case["lcl"] else 1e-300)
        assert p["ucl"] == pytest.approx(case["ucl"], rel=1e-8)


def flagged(doc: dict[str, Any]) -> dict[str, list[str]]:
    return {str(i): p["violations"] for i, p in enumerate(doc["points"], 1) if p["violations"]}


# --------------------------------------------------------------------------------------------
# The oracle, typed as a user would


def test_cqo_stats_chart_xbar_on_pistonrings_reproduces_qcc() -> None:
    case = ORACLE["pistonrings_xbar"]
    doc = run_json(["chart", "xbar", *PISTON_ARGS, "--rules", "we1"])
    assert doc["type"] == "xbar"
    assert doc["sigma_method"] == "rbar"
    assert doc["constants"] == "table"
    assert_limits(doc, case)
    assert flagged(doc) == case["flagged"]
    assert [p["label"] for p in doc["points"]][:3] == ["1", "2", "3"]
    assert {p["phase"] for p in doc["points"][25:]} == {"II"}


def test_cqo_stats_chart_xbar_with_pooled_sigma_reproduces_the_oracle() -> None:
    doc = run_json(["chart", "xbar", *PISTON_ARGS, "--sigma-method", "pooled"])
    assert_limits(doc, ORACLE["pistonrings_xbar_pooled"])
    assert doc["sigma_method"] == "pooled"


@pytest.mark.parametrize(("kind", "key"), [("r", "pistonrings_r"), ("s", "pistonrings_s")])
def test_cqo_stats_chart_r_and_s_on_pistonrings_reproduce_qcc(kind: str, key: str) -> None:
    doc = run_json(["chart", kind, *PISTON_ARGS])
    case = ORACLE[key]
    assert doc["center"] == pytest.approx(case["center"], rel=1e-8)
    assert doc["points"][0]["lcl"] == 0.0
    assert doc["points"][0]["ucl"] == pytest.approx(case["ucl"], rel=1e-8)


def test_cqo_stats_chart_p_on_orangejuice_reproduces_qcc() -> None:
    case = ORACLE["orangejuice_p"]
    argv = ["chart", "p", "--input", str(FIXTURES / "qcc_orangejuice.txt"), "--value", "D"]
    doc = run_json([*argv, "--size", "size", "--phase1", "trial", "--rules", "we1"])
    assert_limits(doc, case)
    assert {k: v for k, v in flagged(doc).items() if int(k) <= 30} == case["flagged"]


def test_cqo_stats_chart_p_takes_a_constant_sample_size_too() -> None:
    argv = ["chart", "p", "--input", str(FIXTURES / "qcc_orangejuice.txt"), "--value", "D"]
    doc = run_json([*argv, "--size", "50", "--phase1", "trial", "--rules", "we1"])
    assert doc["center"] == pytest.approx(ORACLE["orangejuice_p"]["center"], rel=1e-8)


def test_cqo_stats_chart_c_on_circuit_reproduces_qcc() -> None:
    case = ORACLE["circuit_c"]
    argv = ["chart", "c", "--input", str(FIXTURES / "qcc_circuit.txt"), "--value", "x"]
    doc = run_json([*argv, "--phase1", "trial", "--rules", "we1"])
    assert_limits(doc, case)
    assert flagged(doc) == case["flagged"]


def test_cqo_stats_chart_u_on_pcmanufact_reproduces_qcc() -> None:
    case = ORACLE["pcmanufact_u"]
    argv = ["chart", "u", "--input", str(FIXTURES / "qcc_pcmanufact.txt"), "--value", "x"]
    doc = run_json([*argv, "--size", "size"])
    assert_limits(doc, case)


def test_cqo_stats_chart_ewma_on_the_nist_example_reproduces_the_handbook() -> None:
    case = ORACLE["nist_ewma"]
    argv = ["chart", "ewma", "--input", str(FIXTURES / "nist_ewma_6_3_2_4.csv"), "--value", "x"]
    argv += ["--center", "50", "--sigma", "2.0539", "--lambda", "0.3", "--width", "3"]
    doc = run_json(argv)
    values = [round(p["value"], 2) for p in doc["points"]]
    assert values == pytest.approx(case["ewma_2dp_from_z0"][1:], abs=1e-9)
    assert doc["asymptotic_lcl"] == pytest.approx(case["asymptotic_lcl"], rel=1e-8)
    assert doc["asymptotic_ucl"] == pytest.approx(case["asymptotic_ucl"], rel=1e-8)
    assert flagged(doc) == case["flagged"]


def test_cqo_stats_chart_cusum_reports_upper_and_lower_sums() -> None:
    argv = ["chart", "cusum", "--input", str(FIXTURES / "montgomery_table_9_1.csv")]
    doc = run_json([*argv, "--value", "x", "--center", "10", "--sigma", "1"])
    p29 = doc["points"][28]
    assert round(p29["upper"], 2) == 5.28
    assert p29["violations"] == ["cusum_upper"]
    assert (p29["lcl"], p29["ucl"]) == (-5.0, 5.0)
    assert all(p["lower"] <= 0 for p in doc["points"])
    assert (doc["k"], doc["h"]) == (0.5, 5.0)


def test_cqo_stats_capability_on_pistonrings_reproduces_qcc() -> None:
    case = ORACLE["pistonrings_capability"]
    argv = ["capability", "--input", PISTONRINGS, "--value", "diameter", "--group", "sample"]
    argv += ["--phase1", "trial", "--lsl", "73.95", "--usl", "74.05", "--target", "74"]
    doc = run_json([*argv, "--constants", "table", "--format", "json"])
    contract = {
        "n", "mean", "sigma_within", "sigma_overall", "cp", "cpl", "cpu", "cpk", "cpm", "pp",
        "ppl", "ppu", "ppk", "expected_below_lsl", "expected_above_usl", "observed_below_lsl",
        "observed_above_usl",
    }  # fmt: skip
    assert contract <= set(doc)
    for key in ("mean", "sigma_within", "sigma_overall", "cp", "cpk", "cpm", "pp", "ppk"):
        assert doc[key] == pytest.approx(case[key], rel=1e-8), key
    assert doc["n"] == 125
    assert doc["observed_below_lsl"] == 0.0


def test_cqo_stats_capability_table_format_lists_the_indices() -> None:
    argv = ["capability", "--input", PISTONRINGS, "--value", "diameter", "--group", "sample"]
    code, out, _ = run([*argv, "--lsl", "73.95", "--usl", "74.05", "--format", "table"])
    assert code == 0
    assert "cpk\t" in out and "cp_ci\t[" in out


# --------------------------------------------------------------------------------------------
# Formats and options


def test_the_streamed_json_is_exactly_what_json_dumps_gives() -> None:
    for kind, extra in [("xbar", []), ("cusum", ["--center", "74", "--sigma", "0.01"])]:
        code, out, _ = run(["chart", kind, *PISTON_ARGS, *extra])
        assert code == 0
        table = read_table(PISTONRINGS)
        result = chart_from_table(
            table,
            kind,
            value="diameter",
            group="sample",
            phase1="trial",
            constants="table",
            center=74.0 if extra else None,
            sigma=0.01 if extra else None,
        )
        assert out == json.dumps(result.as_dict(), ensure_ascii=False) + "\n"


def test_table_format_prints_one_line_per_point() -> None:
    code, out, _ = run(["chart", "xbar", *PISTON_ARGS, "--rules", "we1", "--format", "table"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("type=xbar")
    assert lines[1].split("\t")[:3] == ["label", "phase", "value"]
    assert len(lines) == 42
    assert lines[2 + 36].endswith("we1")


def test_svg_format_draws_the_chart(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    code, out, err = run(
        ["chart", "xbar", *PISTON_ARGS, "--format", "svg", "--output", str(target)]
    )
    assert code == 0, err
    assert out == ""
    assert "<svg" in target.read_text("utf-8")


def test_imr_outputs_the_individuals_chart_and_mr_the_moving_range_chart() -> None:
    argv = ["chart", "imr", "--input", str(FIXTURES / "montgomery_table_9_1.csv"), "--value", "x"]
    i_chart = run_json(argv)
    mr_chart = run_json([*argv, "--mr"])
    assert i_chart["type"] == "imr" and mr_chart["type"] == "mr"
    assert i_chart["sigma"] == mr_chart["sigma"]
    assert mr_chart["points"][0]["value"] is None
    assert i_chart["sigma_method"] == "mr"


def test_exclude_and_label_options_reach_the_chart() -> None:
    argv = ["chart", "c", "--input", str(FIXTURES / "qcc_circuit.txt"), "--value", "x"]
    doc = run_json([*argv, "--phase1", "trial", "--exclude", "6,20", "--label", "sample"])
    assert doc["excluded"] == ["6", "20"]
    assert doc["center"] == pytest.approx(472 / 24)
    assert doc["points"][5]["violations"]


def test_excel_input_works_like_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["x"])
    for v in read_table(FIXTURES / "nist_ewma_6_3_2_4.csv").numeric("x").tolist():
        ws.append([v])
    path = tmp_path / "nist.xlsx"
    wb.save(path)
    doc = run_json(["chart", "imr", "--input", str(path), "--value", "x", "--rules", "none"])
    assert len(doc["points"]) == 20


def test_other_subcommands_are_dispatched_to_their_handlers() -> None:
    doc = run_json(["sigma-level", "--dpmo", "66807.201"])
    assert doc["sigma_level"] == pytest.approx(3.0, abs=1e-6)


def test_the_top_level_cqo_command_hands_stats_to_this_cli() -> None:
    from cqo.cli import main as cqo_main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cqo_main(["stats", "chart", "u", "--input", str(FIXTURES / "qcc_pcmanufact.txt"),
                         "--value", "x", "--size", "size"])  # fmt: skip
    assert code == 0
    assert json.loads(out.getvalue())["center"] == pytest.approx(1.93)


@pytest.mark.slow  # a fresh interpreter
def test_the_installed_cqo_command_charts_an_oracle_file_as_a_user_types_it() -> None:
    # The console script pip installed beside this interpreter: ``cqo stats chart xbar ...``.
    cqo = Path(sys.executable).with_name("cqo")
    assert cqo.exists(), f"the cqo console script is not installed at {cqo}"
    proc = subprocess.run(
        [str(cqo), "stats", "chart", "xbar", *PISTON_ARGS, "--rules", "we1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert_limits(doc, ORACLE["pistonrings_xbar"])
    assert flagged(doc) == ORACLE["pistonrings_xbar"]["flagged"]


@pytest.mark.slow  # a fresh interpreter
def test_python_dash_m_cqo_methods_runs_the_same_command() -> None:
    src = Path(__file__).resolve().parents[3]
    proc = subprocess.run(
        [sys.executable, "-m", "cqo.methods", "chart", "c", "--input",
         str(FIXTURES / "qcc_circuit.txt"), "--value", "x", "--phase1", "trial"],
        capture_output=True, text=True, env={"PYTHONPATH": str(src)}, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["center"] == pytest.approx(19.84615385)


def test_a_progress_bar_is_drawn_on_a_terminal_for_big_files_and_cleared(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rng = np.random.default_rng(0)
    path.write_text(
        "x\n" + "\n".join(f"{v:.3f}" for v in rng.normal(size=60_000)) + "\n", encoding="utf-8"
    )
    tty = TtyStringIO()
    code, out, _ = run(["chart", "imr", "--input", str(path), "--value", "x"], err=tty)
    assert code == 0
    assert len(json.loads(out)["points"]) == 60_000
    drawn = tty.getvalue()
    assert "\r[" in drawn and "%" in drawn
    assert drawn.endswith("\r")
    _, _, quiet = run(["chart", "imr", "--input", str(path), "--value", "x"])
    assert quiet == ""


# --------------------------------------------------------------------------------------------
# Bad input: a message on stderr, exit status 2, no traceback


def expect_error(argv: list[str], *fragments: str) -> None:
    code, out, err = run(argv)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


def test_a_non_numeric_cell_is_reported_with_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("sample,diameter\n1,74.01\n1,74.02\n1,abc\n", encoding="utf-8")
    expect_error(
        ["chart", "xbar", "--input", str(path), "--value", "diameter", "--group", "sample"],
        "row 4",
        "column 'diameter'",
        "'abc' is not a number",
    )


def test_a_missing_column_is_reported_with_the_columns_there_are() -> None:
    expect_error(
        ["chart", "xbar", "--input", PISTONRINGS, "--value", "diam", "--group", "sample"],
        "no column 'diam'",
        "diameter, sample, trial",
    )


def test_a_subgroup_of_one_value_is_refused_for_r_and_s(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("g,x\na,1\na,2\nb,3\n", encoding="utf-8")
    for kind in ("r", "s"):
        expect_error(
            ["chart", kind, "--input", str(path), "--value", "x", "--group", "g"],
            "subgroup 'b' (row 4) has a single value",
        )


def test_counts_larger_than_the_sample_size_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("d,n\n3,50\n51,50\n", encoding="utf-8")
    expect_error(
        ["chart", "p", "--input", str(path), "--value", "d", "--size", "n"],
        "row 3",
        "column 'd'",
        "more than the sample size 50",
    )


def test_negative_counts_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("d\n3\n-2\n", encoding="utf-8")
    expect_error(
        ["chart", "c", "--input", str(path), "--value", "d"], "row 3", "the count -2 is negative"
    )


def test_lsl_at_or_above_usl_is_refused() -> None:
    expect_error(
        ["capability", "--input", PISTONRINGS, "--value", "diameter", "--lsl", "74.05",
         "--usl", "73.95"],
        "LSL (74.05) must be less than USL (73.95)",
    )  # fmt: skip


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    expect_error(["chart", "imr", "--input", str(path), "--value", "x"], "empty")
    header_only = tmp_path / "header.csv"
    header_only.write_text("x\n", encoding="utf-8")
    expect_error(["chart", "imr", "--input", str(header_only), "--value", "x"], "no data rows")


def test_a_missing_file_is_refused() -> None:
    expect_error(["chart", "imr", "--input", "/nonexistent/x.csv", "--value", "x"], "not found")


def test_usage_errors_exit_with_status_two() -> None:
    expect_error(["chart", "pareto-ish", "--input", PISTONRINGS, "--value", "x"], "invalid choice")
    expect_error(["chart", "xbar", "--value", "x"], "--input")
    expect_error(["chart", "imr", "--input", PISTONRINGS, "--value", "diameter", "--k", "abc"],
                 "not a number")  # fmt: skip
    expect_error([], "COMMAND")


def test_options_that_do_not_fit_the_chart_are_explained() -> None:
    expect_error(["chart", "p", "--input", PISTONRINGS, "--value", "diameter"], "sample sizes")
    expect_error(["chart", "xbar", "--input", PISTONRINGS, "--value", "diameter"], "--group")
    expect_error(["chart", "xbar", *PISTON_ARGS, "--mr"], "--mr goes with the imr chart type")
    expect_error(["chart", "xbar", *PISTON_ARGS, "--rules", "we9"], "unknown rule 'we9'")
    expect_error(["chart", "c", "--input", str(FIXTURES / "qcc_circuit.txt"), "--value", "x",
                  "--size", "nope"], "--size is for p, np and u charts")  # fmt: skip


def test_help_exits_with_status_zero() -> None:
    code, out, _ = run(["chart", "--help"])
    assert code == 0
    assert "--sigma-method" in out


# --------------------------------------------------------------------------------------------
# Values too large to chart, fractional counts


HUGE = "x\n1e308\n-1e308\n1e308\n5\n"


@pytest.mark.parametrize("fmt", ["json", "table", "svg"])
def test_finite_values_whose_mean_or_sigma_overflow_are_refused_as_too_large_to_chart(
    tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "huge.csv"
    path.write_text(HUGE, encoding="utf-8")
    code, out, err = run(["chart", "imr", "--input", str(path), "--value", "x", "--format", fmt])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert "values too large to chart" in err


@pytest.mark.parametrize(
    "chart",
    [["xbar", "--group", "g"], ["r", "--group", "g"], ["s", "--group", "g"], ["imr"],
     ["imr", "--mr"], ["ewma"], ["cusum"], ["c"]],
)  # fmt: skip
def test_no_chart_type_reports_an_overflowed_centre_or_limit_as_null(
    tmp_path: Path, chart: list[str]
) -> None:
    path = tmp_path / "huge.csv"
    if chart[0] == "c":  # counts are not negative: the mean count overflows
        path.write_text("x,g\n1e308,1\n1.7e308,1\n1.5e308,2\n1e308,2\n", encoding="utf-8")
    else:
        path.write_text("x,g\n1e308,1\n1.7e308,1\n-1.7e308,2\n1e308,2\n", encoding="utf-8")
    code, out, err = run(["chart", chart[0], "--input", str(path), "--value", "x", *chart[1:]])
    assert code == 2, out[:300]
    assert "values too large to chart" in err


def test_known_limits_with_values_too_large_for_an_axis_give_an_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    path = tmp_path / "huge.csv"
    path.write_text(HUGE, encoding="utf-8")
    argv = ["chart", "imr", "--input", str(path), "--value", "x", "--center", "0", "--sigma", "1"]
    code, out, _ = run(argv)
    assert code == 0  # the numbers are finite and reported
    assert json.loads(out)["center"] == 0.0
    code, out, err = run([*argv, "--format", "svg"])
    assert code == 2
    assert "Traceback" not in err
    assert "values too large to chart" in err


@pytest.mark.parametrize(
    ("kind", "size"),
    [("p", ["--size", "n"]), ("np", ["--size", "n"]), ("c", []), ("u", ["--size", "n"])],
)
def test_a_fractional_count_is_refused_naming_its_row_and_column(
    tmp_path: Path, kind: str, size: list[str]
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("d,n\n1,10\n\n2.5,10\n3,10\n", encoding="utf-8")
    code, out, err = run(["chart", kind, "--input", str(path), "--value", "d", *size])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert "row 4, column 'd': the count 2.5 is not a whole number" in err


def test_a_fractional_count_is_refused_by_the_library_too() -> None:
    with pytest.raises(
        MethodsInputError, match=r"data row 2: the count 2\.5 is not a whole number"
    ):
        counts_from_rows([1, 2.5], [10, 10], kind="c")


svg_values = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 5e307, -4.5e307, 1e-320, 0.0]),
)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(svg_values, min_size=1, max_size=8),
    kind=st.sampled_from(["imr", "mr", "xbar", "ewma", "cusum", "c"]),
)
def test_no_finite_input_crashes_the_svg_chart(values: list[float], kind: str) -> None:
    if kind == "c":
        values = [abs(float(round(v))) if abs(v) < 1e15 else 1e300 for v in values]
    table = Table(
        header=("x", "g"),
        cells={"x": [repr(v) for v in values], "g": [str(i // 2) for i in range(len(values))]},
    )
    try:
        result = chart_from_table(table, kind, value="x", group="g" if kind == "xbar" else None)
        svg = cli.chart_svg(result, "chart")
    except MethodsInputError:
        return
    assert "<svg" in svg
