from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cqo.methods import gage
from cqo.methods.errors import MethodsInputError
from cqo.methods.io import read_table, read_text

FIXTURES = Path(__file__).parent / "fixtures"
ORACLE = json.loads((FIXTURES / "oracle_other_methods.json").read_text(encoding="utf-8"))


def _oracle_result(**kwargs: float) -> gage.GageRRResult:
    table = read_table(FIXTURES / "gage_rr_5x3x3.csv")
    return gage.gage_rr_from_table(table, "part", "operator", "value", **kwargs)


def test_it_reproduces_the_aiag_anova_gage_study_from_spc_for_excel() -> None:
    case = ORACLE["gage_rr"]
    result = _oracle_result()
    assert result.interaction_pooled is True
    assert round(result.interaction_p, 4) == 0.9964
    assert round(result.variance["repeatability"], 4) == case["var_repeatability"]
    assert round(result.variance["operator"], 4) == case["var_operator"]
    assert round(result.variance["part"], 4) == case["var_part"]
    assert round(result.variance["gage_rr"], 4) == case["var_gage_rr"]
    assert round(result.variance["total"], 4) == case["var_total"]
    assert round(result.percent_study_var["gage_rr"], 2) == case["pct_study_var_gage_rr"]
    assert result.ndc == case["ndc"]
    assert result.variance["interaction"] == 0.0
    assert result.variance["reproducibility"] == result.variance["operator"]


def test_percent_contribution_of_gage_and_part_adds_up_to_100() -> None:
    result = _oracle_result()
    pc = result.percent_contribution
    assert pc["gage_rr"] + pc["part"] == pytest.approx(100.0)
    assert pc["repeatability"] + pc["reproducibility"] == pytest.approx(pc["gage_rr"])


def test_percent_tolerance_is_six_sigma_over_the_tolerance() -> None:
    result = _oracle_result(lsl=1.0, usl=5.0)
    assert result.percent_tolerance is not None
    expected = 6 * math.sqrt(result.variance["gage_rr"]) / 4.0 * 100
    assert result.percent_tolerance["gage_rr"] == pytest.approx(expected)
    assert _oracle_result().percent_tolerance is None


def _interaction_data() -> tuple[list[str], list[str], list[float]]:
    # Operator B reads part 2 high and part 3 low: a clear part × operator interaction.
    cells = {
        ("1", "A"): [10.0, 10.1],
        ("1", "B"): [10.05, 10.0],
        ("2", "A"): [12.0, 12.1],
        ("2", "B"): [13.0, 13.05],
        ("3", "A"): [14.0, 14.05],
        ("3", "B"): [13.1, 13.0],
    }
    parts, ops, values = [], [], []
    for (p, o), ys in cells.items():
        for y in ys:
            parts.append(p)
            ops.append(o)
            values.append(y)
    return parts, ops, values


def test_a_significant_interaction_is_kept_and_estimated_from_the_textbook_formulas() -> None:
    parts, ops, values = _interaction_data()
    result = gage.gage_rr(parts, ops, values)
    assert result.interaction_pooled is False
    assert result.interaction_p < 0.05
    # Computational formulas with totals (Montgomery, Design and Analysis of Experiments §13.2).
    y = np.array(values).reshape(3, 2, 2)
    p, o, r = y.shape
    n = y.size
    cf = y.sum() ** 2 / n
    ss_p = (y.sum(axis=(1, 2)) ** 2).sum() / (o * r) - cf
    ss_o = (y.sum(axis=(0, 2)) ** 2).sum() / (p * r) - cf
    ss_cells = (y.sum(axis=2) ** 2).sum() / r - cf
    ss_po = ss_cells - ss_p - ss_o
    ss_e = (y**2).sum() - cf - ss_cells
    ms_p, ms_o = ss_p / (p - 1), ss_o / (o - 1)
    ms_po, ms_e = ss_po / ((p - 1) * (o - 1)), ss_e / (p * o * (r - 1))
    assert result.variance["repeatability"] == pytest.approx(ms_e)
    assert result.variance["interaction"] == pytest.approx((ms_po - ms_e) / r)
    assert result.variance["operator"] == pytest.approx(max(0.0, (ms_o - ms_po) / (p * r)))
    assert result.variance["part"] == pytest.approx((ms_p - ms_po) / (o * r))
    assert result.variance["reproducibility"] == pytest.approx(
        result.variance["operator"] + result.variance["interaction"]
    )


def test_a_negative_operator_component_is_clamped_to_zero() -> None:
    parts, ops, values = _interaction_data()
    result = gage.gage_rr(parts, ops, values)
    y = np.array(values).reshape(3, 2, 2)
    ms_o = 6 * ((y.mean(axis=(0, 2)) - y.mean()) ** 2).sum() / 1
    ms_po = next(row.ms for row in result.anova if row.source == "part_x_operator")
    assert ms_o < ms_po
    assert result.variance["operator"] == 0.0


def test_an_unbalanced_design_names_the_missing_cell() -> None:
    table = read_text("part,op,y\n1,A,1\n1,A,2\n1,B,1\n1,B,2\n2,A,3\n2,A,3.1\n")
    with pytest.raises(MethodsInputError, match="part '2' was not measured by operator 'B'"):
        gage.gage_rr_from_table(table, "part", "op", "y")


def test_an_unequal_number_of_trials_names_the_cell() -> None:
    table = read_text("part,op,y\n1,A,1\n1,A,2\n1,B,1\n1,B,2\n2,A,3\n2,A,3.1\n2,B,3\n")
    with pytest.raises(MethodsInputError, match="part '2' by operator 'B' has 1 measurements"):
        gage.gage_rr_from_table(table, "part", "op", "y")


@pytest.mark.parametrize(
    ("csv", "kwargs", "words"),
    [
        ("part,op,y\n1,A,1\n1,A,2\n2,A,1\n2,A,2\n", {}, "at least 2 operators"),
        ("part,op,y\n1,A,1\n1,B,2\n", {}, "at least 2 parts"),
        ("part,op,y\n1,A,1\n1,B,2\n2,A,1\n2,B,2\n", {}, "at least twice"),
        ("part,op,y\n1,A,x\n", {}, "row 2, column 'y'"),
        ("part,op,y\n1,,1\n", {}, "row 2, column 'op': the operator is empty"),
        ("part,op,y\n1,A,1\n1,A,2\n1,B,1\n1,B,2\n2,A,3\n2,A,3.1\n2,B,3\n2,B,3\n",
         {"lsl": 5.0, "usl": 1.0}, "lsl .* must be smaller than usl"),
        ("part,op,y\n1,A,1\n1,A,2\n1,B,1\n1,B,2\n2,A,3\n2,A,3.1\n2,B,3\n2,B,3\n",
         {"lsl": 5.0}, "both lsl and usl"),
        ("part,op,y\n1,A,1\n1,A,1\n1,B,1\n1,B,1\n2,A,1\n2,A,1\n2,B,1\n2,B,1\n",
         {}, "no variation"),
    ],
)  # fmt: skip
def test_bad_input_gives_an_error_naming_the_problem(
    csv: str, kwargs: dict[str, float], words: str
) -> None:
    with pytest.raises(MethodsInputError, match=words):
        gage.gage_rr_from_table(read_text(csv), "part", "op", "y", **kwargs)


def _labels(p: int, o: int, r: int) -> tuple[list[str], list[str]]:
    parts = [str(i) for i in range(p) for _ in range(o) for _ in range(r)]
    ops = [chr(65 + j) for _ in range(p) for j in range(o) for _ in range(r)]
    return parts, ops


study = st.tuples(st.integers(2, 6), st.integers(2, 4), st.integers(2, 3)).flatmap(
    lambda shape: st.tuples(
        st.just(shape),
        arrays(np.float64, shape[0] * shape[1] * shape[2], elements=st.floats(-100, 100)),
    )
)


@settings(max_examples=60, deadline=None)
@given(data=study, shift=st.floats(-1e3, 1e3), scale=st.floats(0.1, 10))
def test_components_are_non_negative_and_follow_shift_and_scale(
    data: tuple[tuple[int, int, int], np.ndarray], shift: float, scale: float
) -> None:
    (p, o, r), values = data
    parts, ops = _labels(p, o, r)
    if np.ptp(values) < 1e-6:
        return
    base = gage.gage_rr(parts, ops, values)
    assert all(v >= 0 for v in base.variance.values())
    assert base.variance["total"] == pytest.approx(base.variance["gage_rr"] + base.variance["part"])
    moved = gage.gage_rr(parts, ops, values * scale + shift)
    for key, v in base.variance.items():
        assert moved.variance[key] == pytest.approx(v * scale**2, rel=1e-6, abs=1e-9 * scale**2)


@settings(max_examples=30, deadline=None)
@given(data=study, seed=st.integers(0, 2**32 - 1))
def test_the_result_does_not_depend_on_row_order(
    data: tuple[tuple[int, int, int], np.ndarray], seed: int
) -> None:
    (p, o, r), values = data
    parts, ops = _labels(p, o, r)
    if np.ptp(values) < 1e-6:
        return
    order = np.random.default_rng(seed).permutation(values.size)
    shuffled = gage.gage_rr([parts[i] for i in order], [ops[i] for i in order], values[order])
    base = gage.gage_rr(parts, ops, values)
    for key, v in base.variance.items():
        assert shuffled.variance[key] == pytest.approx(v, rel=1e-9, abs=1e-12)
