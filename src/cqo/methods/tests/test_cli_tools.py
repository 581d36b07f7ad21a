from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from cqo.methods import cli, cli_tools
from cqo.methods.errors import MethodsInputError

FIXTURES = Path(__file__).parent / "fixtures"
ORACLE = json.loads((FIXTURES / "oracle_other_methods.json").read_text(encoding="utf-8"))


GAGE_ARGS = ["gage-rr", "--input", str(FIXTURES / "gage_rr_5x3x3.csv"), "--part", "part"]
GAGE_ARGS += ["--operator", "operator", "--value", "value"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cqo stats")
    subparsers = parser.add_subparsers(dest="command", required=True)
    cli_tools.register(subparsers)
    return parser


def run(argv: list[str]) -> dict[str, Any]:
    args = _parser().parse_args(argv)
    result = args.handler(args)
    # The contract: plain JSON, no numpy types, no NaN.
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == result
    return result  # type: ignore[no-any-return]


def run_like_a_user(argv: list[str]) -> tuple[int, str, str]:
    """What `cqo stats ...` does with a handler: JSON on stdout, or the message and exit 2."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = _parser().parse_args(argv)
            print(json.dumps(args.handler(args), ensure_ascii=False))
            code = 0
        except MethodsInputError as exc:
            print(f"error: {exc}", file=err)
            code = 2
        except SystemExit as exc:  # argparse's own usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_sampling_plan_gives_the_code_letter_and_plan() -> None:
    result = run(["sampling-plan", "--lot-size", "1000", "--level", "II", "--aql", "1.0"])
    assert result == {"code": "J", "n": 80, "ac": 2, "re": 3, "inspect_all": False}
    tightened = run(
        ["sampling-plan", "--lot-size", "1000", "--aql", "1.0", "--severity", "tightened"]
    )
    assert (tightened["n"], tightened["ac"], tightened["re"]) == (80, 1, 2)


def test_sampling_plan_reports_100_percent_inspection_for_a_small_lot() -> None:
    result = run(["sampling-plan", "--lot-size", "10", "--level", "II", "--aql", "0.65"])
    assert result == {"code": "B", "n": 10, "ac": 0, "re": 1, "inspect_all": True}


def test_sampling_plan_reduced_reads_the_imported_table(tmp_path: Path) -> None:
    table = tmp_path / "table2c.csv"
    table.write_text("code,aql,n,ac,re\nJ,1.0,32,1,2\n", encoding="utf-8")
    argv = ["sampling-plan", "--lot-size", "1000", "--aql", "1.0", "--severity", "reduced"]
    result = run([*argv, "--reduced-table", str(table)])
    assert (result["n"], result["ac"], result["re"]) == (32, 1, 2)
    code, _, err = run_like_a_user(argv)
    assert code == 2
    assert "licensed" in err


def test_oc_reproduces_the_nist_curve_and_reports_aoq_and_aoql() -> None:
    result = run(["oc", "--n", "52", "--ac", "3", "--p", "0.01,0.02,0.03,0.04,0.05"])
    case = ORACLE["nist_oc_6_2_3_2"]
    assert [round(pt["pa"], 3) for pt in result["points"]] == case["pa_3dp"]
    assert [pt["p"] for pt in result["points"]] == case["p"]
    assert all(set(pt) == {"p", "pa", "aoq"} for pt in result["points"])
    assert result["aoql"] > 0
    small = run(["oc", "--n", "20", "--ac", "1", "--lot-size", "100", "--p", "0.05"])
    assert small["model"] == "hypergeometric"


def test_fmea_ap_reads_the_action_priority_table() -> None:
    assert run(["fmea-ap", "--severity", "9", "--occurrence", "5", "--detection", "2"]) == {
        "ap": "H"
    }


def test_sigma_level_gives_level_and_yield() -> None:
    result = run(["sigma-level", "--dpmo", "66807.201"])
    assert result["sigma_level"] == pytest.approx(3.0, abs=1e-6)
    assert result["yield"] == pytest.approx(0.933192799)


def test_pareto_reads_a_file_with_a_count_column() -> None:
    result = run(
        [
            "pareto",
            "--input",
            str(FIXTURES / "pareto_qcc_vignette.csv"),
            "--category",
            "defect",
            "--count",
            "count",
        ]
    )
    assert [i["category"] for i in result["items"]] == ORACLE["pareto"]["order"]
    assert [round(i["cumulative_percent"], 2) for i in result["items"]] == ORACLE["pareto"][
        "cumulative_percent"
    ]
    assert set(result["items"][0]) == {"category", "count", "percent", "cumulative_percent"}
    assert result["items"][0]["count"] == 94


def test_pareto_reads_an_excel_file(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["缺陷"])
    for name in ["划伤", "尺寸", "划伤"]:
        ws.append([name])
    path = tmp_path / "defects.xlsx"
    wb.save(path)
    result = run(["pareto", "--input", str(path), "--category", "缺陷"])
    assert result["items"][0] == {
        "category": "划伤",
        "count": 2,
        "percent": pytest.approx(200 / 3),
        "cumulative_percent": pytest.approx(200 / 3),
    }


def test_gage_rr_reproduces_the_oracle_study(tmp_path: Path) -> None:
    data = tmp_path / "gage.csv"
    shutil.copy(FIXTURES / "gage_rr_5x3x3.csv", data)
    argv = ["gage-rr", "--input", str(data), "--part", "part", "--operator", "operator"]
    result = run([*argv, "--value", "value", "--lsl", "1", "--usl", "5"])
    keys = {
        "repeatability",
        "reproducibility",
        "operator",
        "interaction",
        "gage_rr",
        "part",
        "total",
    }
    for section in ("variance", "percent_contribution", "percent_study_var", "percent_tolerance"):
        assert set(result[section]) == keys
    case = ORACLE["gage_rr"]
    assert round(result["variance"]["gage_rr"], 4) == case["var_gage_rr"]
    assert round(result["percent_study_var"]["gage_rr"], 2) == case["pct_study_var_gage_rr"]
    assert result["ndc"] == 4
    assert result["interaction_pooled"] is True
    assert round(result["interaction_p"], 4) == 0.9964
    without = run([*argv, "--value", "value"])
    assert without["percent_tolerance"] is None


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["sampling-plan", "--lot-size", "1000", "--aql", "0.3"], "AQL 0.3"),
        (["sampling-plan", "--lot-size", "1000", "--level", "IV", "--aql", "1"], "level 'IV'"),
        (["sampling-plan", "--lot-size", "1", "--aql", "1"], "lot size must be at least 2"),
        (["oc", "--n", "52", "--ac", "3", "--p", "0.1,abc"], "--p must be a number"),
        (["oc", "--n", "x", "--ac", "3", "--p", "0.1"], "--n must be a whole number"),
        (["fmea-ap", "--severity", "11", "--occurrence", "1", "--detection", "1"], "severity"),
        (["sigma-level", "--dpmo", "0"], "dpmo must be greater than 0"),
        (["pareto", "--input", "/nonexistent.csv", "--category", "c"], "file not found"),
        (
            ["pareto", "--input", str(FIXTURES / "pareto_qcc_vignette.csv"), "--category", "x"],
            "no column 'x'",
        ),
        (
            [*GAGE_ARGS, "--lsl", "5", "--usl", "1"],
            "lsl .* must be smaller than usl",
        ),
    ],
)
def test_bad_input_exits_with_code_2_and_a_message_without_traceback(
    argv: list[str], words: str
) -> None:
    code, out, err = run_like_a_user(argv)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert re.search(words, err), err


def test_the_cqo_command_runs_the_tool_subcommands_end_to_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Through the console entry point a user types (``cqo stats ...``), not the parser alone.
    from cqo.cli import main as cqo_main

    assert cqo_main(["stats", "sampling-plan", "--lot-size", "1000", "--aql", "1.0"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == {"code": "J", "n": 80, "ac": 2, "re": 3, "inspect_all": False}
    assert cqo_main(["stats", *GAGE_ARGS]) == 0
    study = json.loads(capsys.readouterr().out)
    assert study == run(GAGE_ARGS)
    assert cqo_main(["stats", "fmea-ap", "--severity", "11", "--occurrence", "1"]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("ac", "words"),
    [
        ("60", r"--ac \(60\) must be less than the sample size --n \(52\)"),
        ("52", r"--ac \(52\) must be less than the sample size --n \(52\)"),
        ("-1", "--ac must be at least 0"),
    ],
)
def test_oc_refuses_an_acceptance_number_at_or_above_the_sample_size_or_below_zero(
    ac: str, words: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["oc", "--n", "52", f"--ac={ac}", "--p", "0.01"])
    assert code == 2
    assert out.getvalue() == ""
    assert "Traceback" not in err.getvalue()
    assert re.search(words, err.getvalue()), err.getvalue()


def test_oc_still_accepts_the_largest_sensible_acceptance_number() -> None:
    doc = run(["oc", "--n", "52", "--ac", "51", "--p", "0.5"])
    assert 0.0 < doc["points"][0]["pa"] < 1.0
