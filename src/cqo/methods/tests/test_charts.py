from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cqo.methods import constants as K
from cqo.methods.charts import (
    ChartResult,
    _cusum_side,
    attribute_chart,
    chart_from_table,
    counts_from_rows,
    cusum_chart,
    cusum_loop,
    cusum_statistics,
    estimate_sigma,
    ewma_chart,
    ewma_statistic,
    individuals_chart,
    moving_range_chart,
    r_chart,
    s_chart,
    subgroups_from_matrix,
    subgroups_from_rows,
    xbar_chart,
)
from cqo.methods.errors import MethodsInputError
from cqo.methods.io import Table, read_table

FIXTURES = Path(__file__).parent / "fixtures"
ORACLE: dict[str, Any] = json.loads((FIXTURES / "oracle_expected_public.json").read_text("utf-8"))
TABLE = 1e-8  # relative agreement with qcc in table mode
EXACT = 5e-4  # relative agreement with exact constants


def table(name: str) -> Table:
    return read_table(FIXTURES / name)


def pistonrings(kind: str, constants: str = "table", **kw: Any) -> ChartResult:
    return chart_from_table(
        table("qcc_pistonrings.txt"),
        kind,
        value="diameter",
        group="sample",
        phase1="trial",
        constants=constants,
        rules=kw.pop("rules", "we1"),
        **kw,
    )


def check_limits(result: ChartResult, case: dict[str, Any], rel: float) -> None:
    assert result.center == pytest.approx(case["center"], rel=rel)
    if "sigma" in case:
        assert result.sigma == pytest.approx(case["sigma"], rel=rel)
    for name in ("lcl", "ucl"):
        limits = np.asarray(getattr(result, name))
        expected = case[name]
        if expected == 0.0:
            assert np.all(limits == 0.0)
        else:
            assert limits == pytest.approx(np.full(limits.shape, expected), rel=rel)


def flagged_as_oracle(result: ChartResult) -> dict[str, list[str]]:
    return {str(i): v for i, v in result.flagged().items()}


# --------------------------------------------------------------------------------------------
# The public oracle (R qcc, table constants)


def test_pistonrings_xbar_chart_reproduces_qcc_with_phase_two_points_flagged() -> None:
    case = ORACLE["pistonrings_xbar"]
    result = pistonrings("xbar")
    check_limits(result, case, TABLE)
    assert result.sigma_method == "rbar"
    assert flagged_as_oracle(result) == case["flagged"]
    assert result.phase1.sum() == 25
    assert result.n_points == 40


def test_pistonrings_xbar_chart_with_the_pooled_sd_reproduces_the_minitab_default() -> None:
    case = ORACLE["pistonrings_xbar_pooled"]
    check_limits(pistonrings("xbar", sigma_method="pooled"), case, TABLE)


def test_pistonrings_r_chart_reproduces_qcc() -> None:
    check_limits(pistonrings("r"), ORACLE["pistonrings_r"], TABLE)


def test_pistonrings_s_chart_reproduces_qcc() -> None:
    result = pistonrings("s")
    check_limits(result, ORACLE["pistonrings_s"], TABLE)
    assert result.sigma_method == "sbar"


@pytest.mark.parametrize(
    ("kind", "key", "extra"),
    [
        ("xbar", "pistonrings_xbar", {}),
        ("xbar", "pistonrings_xbar_pooled", {"sigma_method": "pooled"}),
        ("r", "pistonrings_r", {}),
        ("s", "pistonrings_s", {}),
    ],
)
def test_exact_constants_stay_within_five_in_ten_thousand_of_qcc(
    kind: str, key: str, extra: dict[str, Any]
) -> None:
    result = pistonrings(kind, constants="exact", **extra)
    check_limits(result, ORACLE[key], EXACT)
    assert result.constants == "exact"


def test_orangejuice_p_chart_reproduces_qcc_and_flags_samples_15_and_23() -> None:
    case = ORACLE["orangejuice_p"]
    result = chart_from_table(
        table("qcc_orangejuice.txt"), "p", value="D", size="size", phase1="trial", rules="we1"
    )
    check_limits(result, case, TABLE)
    phase1_flags = {k: v for k, v in flagged_as_oracle(result).items() if int(k) <= 30}
    assert phase1_flags == case["flagged"]


def test_orangejuice_phase_two_sample_41_falls_below_the_phase_one_lcl() -> None:
    # The oracle lists phase I only; sample 41 (2 of 50 = 0.04) is below the LCL 0.0524.
    result = chart_from_table(
        table("qcc_orangejuice.txt"), "p", value="D", size="size", phase1="trial", rules="we1"
    )
    assert {k: v for k, v in result.flagged().items() if k > 30} == {41: ["we1"]}
    assert result.value[40] == pytest.approx(0.04)


def test_circuit_c_chart_reproduces_qcc() -> None:
    case = ORACLE["circuit_c"]
    result = chart_from_table(table("qcc_circuit.txt"), "c", value="x", phase1="trial", rules="we1")
    check_limits(result, case, TABLE)
    assert flagged_as_oracle(result) == case["flagged"]


def test_pcmanufact_u_chart_reproduces_qcc() -> None:
    case = ORACLE["pcmanufact_u"]
    result = chart_from_table(table("qcc_pcmanufact.txt"), "u", value="x", size="size")
    check_limits(result, case, TABLE)
    assert result.sigma_method == "poisson"


def test_nist_ewma_example_reproduces_the_handbook() -> None:
    case = ORACLE["nist_ewma"]
    result = chart_from_table(
        table("nist_ewma_6_3_2_4.csv"),
        "ewma",
        value="x",
        center=case["center"],
        sigma=case["sigma"],
        lam=case["lambda"],
        width=case["width"],
    )
    expected = case["ewma_2dp_from_z0"]
    assert expected[0] == case["center"]  # z0 is the centre
    assert np.round(result.value, 2).tolist() == pytest.approx(expected[1:], abs=1e-9)
    assert result.params["asymptotic_lcl"] == pytest.approx(case["asymptotic_lcl"], rel=TABLE)
    assert result.params["asymptotic_ucl"] == pytest.approx(case["asymptotic_ucl"], rel=TABLE)
    assert flagged_as_oracle(result) == case["flagged"]
    # The exact limits start narrow and approach the asymptote from inside.
    assert result.ucl[0] == pytest.approx(50 + 3 * 2.0539 * 0.3)
    assert np.all(np.diff(result.ucl) > 0)
    assert result.ucl[-1] < case["asymptotic_ucl"]


def test_montgomery_cusum_signals_first_at_period_29_with_c_plus_5_28() -> None:
    result = chart_from_table(
        table("montgomery_table_9_1.csv"), "cusum", value="x", center=10, sigma=1, k=0.5, h=5
    )
    assert result.upper is not None and result.lower is not None
    signals = result.flagged()
    assert min(signals) == 29
    assert signals[29] == ["cusum_upper"]
    assert round(float(result.upper[28]), 2) == 5.28
    assert not np.any(result.violations["cusum_lower"])
    assert np.all(result.lower <= 0) and np.all(result.upper >= 0)


# --------------------------------------------------------------------------------------------
# Phases, exclusions, known values, σ methods


def _pistonrings_subgroups(phase_only: bool = False) -> Any:
    t = table("qcc_pistonrings.txt")
    keep = t.boolean("trial")
    x = t.numeric("diameter")
    groups = t.text("sample")
    if phase_only:
        x = x[keep]
        groups = [g for g, k in zip(groups, keep.tolist(), strict=True) if k]
        return subgroups_from_rows(x, groups)
    return subgroups_from_rows(x, groups, phase1=keep)


def test_phase_two_subgroups_do_not_move_the_limits() -> None:
    both = xbar_chart(_pistonrings_subgroups(), constants="table")
    phase1_only = xbar_chart(_pistonrings_subgroups(phase_only=True), constants="table")
    assert both.center == phase1_only.center
    assert both.sigma == phase1_only.sigma
    assert both.ucl[39] == phase1_only.ucl[0]


def test_an_excluded_point_leaves_the_estimate_but_is_still_charted_and_tested() -> None:
    t = table("qcc_circuit.txt")
    full = chart_from_table(t, "c", value="x", phase1="trial", rules="we1")
    revised = chart_from_table(t, "c", value="x", phase1="trial", rules="we1", exclude=["6", "20"])
    # Montgomery's revised limits without samples 6 and 20: c̄ = 19.67.
    assert revised.center == pytest.approx(472 / 24)
    assert revised.center != full.center
    assert revised.n_points == full.n_points
    assert revised.value[5] == 5 and revised.flagged()[6] == ["we1"]
    assert revised.excluded.tolist().count(True) == 2
    assert revised.header()["excluded"] == ["6", "20"]


def test_an_unknown_label_to_exclude_is_an_input_error() -> None:
    with pytest.raises(MethodsInputError, match="no point is labelled '99'"):
        chart_from_table(table("qcc_circuit.txt"), "c", value="x", exclude=["99"])


def test_known_centre_and_sigma_replace_the_estimates() -> None:
    result = pistonrings("xbar", center=74.0, sigma=0.01)
    assert result.center == 74.0
    assert result.sigma == 0.01
    assert result.sigma_method == "known"
    assert result.ucl[0] == pytest.approx(74.0 + 3 * 0.01 / math.sqrt(5))
    r = pistonrings("r", sigma=0.01)
    assert r.center == pytest.approx(0.01 * 2.326)
    assert r.ucl[0] == pytest.approx(0.01 * (2.326 + 3 * 0.8640855))


def test_a_known_p0_sets_the_centre_of_a_p_chart() -> None:
    counts = counts_from_rows([1, 2, 3], 50, kind="p")
    result = attribute_chart("p", counts, center=0.1)
    assert result.center == 0.1
    assert result.ucl[0] == pytest.approx(0.1 + 3 * math.sqrt(0.1 * 0.9 / 50))
    assert result.sigma_method == "known"


def test_unequal_subgroups_average_r_over_d2_of_each_size() -> None:
    values = [1.0, 2.0, 4.0, 1.0, 1.5, 5.0, 0.0, 2.5]
    groups = ["a", "a", "a", "b", "b", "c", "c", "c"]
    data = subgroups_from_rows(values, groups)
    use = np.ones(3, dtype=bool)
    expected_r = np.mean([3.0 / K.d2(3), 0.5 / K.d2(2), 5.0 / K.d2(3)])
    assert estimate_sigma(data, use, "rbar") == pytest.approx(expected_r)
    s = [np.std(values[0:3], ddof=1), np.std(values[3:5], ddof=1), np.std(values[5:], ddof=1)]
    expected_s = np.mean([s[0] / K.c4(3), s[1] / K.c4(2), s[2] / K.c4(3)])
    assert estimate_sigma(data, use, "sbar") == pytest.approx(expected_s)
    pooled = math.sqrt((2 * s[0] ** 2 + 1 * s[1] ** 2 + 2 * s[2] ** 2) / 5) / K.c4(6)
    assert estimate_sigma(data, use, "pooled") == pytest.approx(pooled)
    overall = np.std(values, ddof=1) / K.c4(8)
    assert estimate_sigma(data, use, "sd") == pytest.approx(overall)


def test_unequal_subgroups_give_per_point_limits_on_xbar_r_and_s() -> None:
    values = [1.0, 2.0, 4.0, 1.0, 1.5, 5.0, 0.0, 2.5]
    data = subgroups_from_rows(values, ["a", "a", "a", "b", "b", "c", "c", "c"])
    xbar = xbar_chart(data, rules="none")
    assert xbar.ucl[0] == xbar.ucl[2] != xbar.ucl[1]
    assert xbar.center == pytest.approx(np.mean(values))
    r = r_chart(data)
    assert r.center is None
    assert r.center_line[1] == pytest.approx(K.d2(2) * r.sigma)  # type: ignore[operator]
    s = s_chart(data)
    assert s.center_line[0] == pytest.approx(K.c4(3) * s.sigma)  # type: ignore[operator]


def test_moving_range_sigma_skips_ranges_that_touch_an_excluded_point() -> None:
    x = [10.0, 11.0, 30.0, 12.0, 11.0]
    data = subgroups_from_rows(x)
    exclude = np.array([False, False, True, False, False])
    result = individuals_chart(data, exclude=exclude, rules="none")
    assert result.sigma == pytest.approx(np.mean([1.0, 1.0]) / K.d2(2))
    assert result.center == pytest.approx(np.mean([10.0, 11.0, 12.0, 11.0]))


def test_the_mr_chart_has_no_value_for_the_first_point_and_tests_only_the_limits() -> None:
    x = [10.0, 11.0, 10.5, 12.0, 11.0, 30.0, 11.0]
    result = moving_range_chart(subgroups_from_rows(x), sigma=1.0, rules="nelson")
    assert math.isnan(result.value[0])
    assert result.value[1:].tolist() == [1.0, 0.5, 1.5, 1.0, 19.0, 19.0]
    assert result.center == pytest.approx(K.d2(2))
    assert result.lcl[0] == 0.0
    assert result.ucl[0] == pytest.approx(K.d2(2) + 3 * K.d3(2))
    assert result.rules == ("nelson1",)
    assert result.flagged() == {6: ["nelson1"], 7: ["nelson1"]}
    assert result.as_dict()["points"][0]["value"] is None


def test_the_matrix_fast_path_matches_grouping_by_labels() -> None:
    rng = np.random.default_rng(3)
    m = rng.normal(size=(30, 4))
    groups = np.repeat(np.arange(30), 4).tolist()
    a = subgroups_from_matrix(m)
    b = subgroups_from_rows(m.ravel(), groups)
    for name in ("means", "ranges", "sds", "ss"):
        assert getattr(a, name) == pytest.approx(getattr(b, name), rel=1e-12)
    assert xbar_chart(a).ucl[0] == pytest.approx(xbar_chart(b).ucl[0], rel=1e-12)


def test_rows_of_a_subgroup_need_not_be_adjacent_and_keep_first_appearance_order() -> None:
    data = subgroups_from_rows([1.0, 5.0, 2.0, 6.0], ["b", "a", "b", "a"])
    assert list(data.labels or []) == ["b", "a"]
    assert data.means.tolist() == [1.5, 5.5]


def test_the_label_column_names_the_points() -> None:
    days = ["Mon", "Tue", "Wed", "Thu"]
    t = Table(header=("day", "x"), cells={"day": days, "x": ["1", "2", "3", "5"]})
    result = chart_from_table(t, "imr", value="x", label="day", exclude=["Tue"])
    assert result.label_list() == days
    assert result.excluded.tolist() == [False, True, False, False]
    assert result.sigma == pytest.approx(2.0 / K.d2(2))


def test_chart_json_has_the_contract_keys() -> None:
    out = pistonrings("xbar").as_dict()
    assert {"type", "center", "sigma", "sigma_method", "constants", "points"} <= set(out)
    assert set(out["points"][0]) >= {"label", "phase", "value", "lcl", "ucl", "violations"}
    assert out["points"][36]["violations"] == ["we1"]
    assert out["points"][30]["phase"] == "II"
    cusum = cusum_chart(subgroups_from_rows([1.0, 2.0, 3.0]), center=0, sigma=1).as_dict()
    assert {"upper", "lower"} <= set(cusum["points"][0])
    json.dumps(out, allow_nan=False)


# --------------------------------------------------------------------------------------------
# Bad input


def test_a_subgroup_of_one_value_is_an_error_for_r_and_s_charts() -> None:
    data = subgroups_from_rows([1.0, 2.0, 3.0], ["a", "a", "b"])
    for chart in (r_chart, s_chart):
        with pytest.raises(MethodsInputError, match=r"subgroup 'b' \(row 4\) has a single value"):
            chart(data)


def test_a_subgroup_with_rows_in_both_phases_is_an_error() -> None:
    with pytest.raises(MethodsInputError, match="subgroup 'a' has rows in phase I and in phase II"):
        subgroups_from_rows([1.0, 2.0], ["a", "a"], phase1=[True, False])


def test_counts_larger_than_the_sample_or_negative_are_errors() -> None:
    with pytest.raises(MethodsInputError, match="more than the sample size"):
        counts_from_rows([3, 60], 50, kind="p")
    with pytest.raises(MethodsInputError, match="negative"):
        counts_from_rows([3, -1], None, kind="c")


def test_sigma_does_not_apply_to_attribute_charts_and_p0_must_be_a_fraction() -> None:
    counts = counts_from_rows([1, 2], 10, kind="np")
    with pytest.raises(MethodsInputError, match="--sigma does not apply"):
        attribute_chart("np", counts, sigma=1.0)
    with pytest.raises(MethodsInputError, match="fraction nonconforming"):
        attribute_chart("np", counts, center=2.0)


def test_no_points_left_for_estimation_is_an_error() -> None:
    data = subgroups_from_rows([1.0, 2.0, 3.0], phase1=[False, False, False])
    with pytest.raises(MethodsInputError, match="no points are left"):
        individuals_chart(data)
    # With both standard values given nothing needs estimating.
    assert individuals_chart(data, center=2.0, sigma=1.0).center == 2.0


def test_mr_sigma_is_refused_for_subgroups() -> None:
    data = subgroups_from_rows([1.0, 2.0, 3.0, 4.0], ["a", "a", "b", "b"])
    with pytest.raises(MethodsInputError, match="individual values"):
        xbar_chart(data, sigma_method="mr")


def test_imr_with_real_subgroups_points_to_the_xbar_chart() -> None:
    data = subgroups_from_rows([1.0, 2.0, 3.0], ["a", "a", "b"])
    with pytest.raises(MethodsInputError, match="use an X̄ chart"):
        individuals_chart(data)


# --------------------------------------------------------------------------------------------
# EWMA and CUSUM against their recursions


def _ewma_loop(x: list[float], lam: float, z0: float) -> list[float]:
    out, z = [], z0
    for v in x:
        z = lam * v + (1 - lam) * z
        out.append(z)
    return out


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=50),
    lam=st.floats(0.01, 1.0),
    z0=st.floats(-1e3, 1e3),
)
def test_the_ewma_filter_equals_the_recursion(x: list[float], lam: float, z0: float) -> None:
    assert ewma_statistic(x, lam, z0) == pytest.approx(_ewma_loop(x, lam, z0), rel=1e-9, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    z=st.lists(st.floats(-10, 10), min_size=0, max_size=80),
    k=st.floats(0, 2),
    block=st.integers(1, 9),
)
def test_the_cusum_by_running_minima_equals_the_max_zero_recursion(
    z: list[float], k: float, block: int
) -> None:
    ups, los = cusum_loop(z, k)
    arr = np.array(z, dtype=float)
    assert _cusum_side(arr - k, block=block) == pytest.approx(ups, abs=1e-9)
    upper, lower = cusum_statistics(arr, k)
    assert upper == pytest.approx(ups, abs=1e-9)
    assert lower == pytest.approx(los, abs=1e-9)


def test_a_cusum_exactly_at_h_is_not_a_signal() -> None:
    data = subgroups_from_rows([3.0, 3.0, 0.5])
    result = cusum_chart(data, center=0.0, sigma=1.0, k=0.5, h=5.0)
    assert result.upper is not None
    assert result.upper.tolist() == [2.5, 5.0, 5.0]
    assert result.flagged() == {}
    more = cusum_chart(subgroups_from_rows([3.0, 3.0, 0.75]), center=0.0, sigma=1.0, h=5.0)
    assert more.flagged() == {3: ["cusum_upper"]}


def test_ewma_on_subgroup_means_uses_sigma_over_root_n() -> None:
    data = _pistonrings_subgroups()
    result = ewma_chart(data, lam=0.2, width=3, constants="table")
    se = result.sigma / math.sqrt(5)  # type: ignore[operator]
    assert result.ucl[0] == pytest.approx(result.center + 3 * se * 0.2)  # type: ignore[operator]
    assert result.sigma_method == "rbar"


# --------------------------------------------------------------------------------------------
# Properties a statistician expects

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _chart(kind: str, x: np.ndarray, groups: list[str] | None) -> ChartResult:
    data = subgroups_from_rows(x, groups)
    if kind == "xbar":
        return xbar_chart(data, rules="nelson")
    if kind == "s":
        return s_chart(data, rules="none")
    if kind == "imr":
        return individuals_chart(data)
    return ewma_chart(data, lam=0.3)


def _grouped(draw_values: list[float], size: int) -> tuple[np.ndarray, list[str]]:
    k = len(draw_values) // size
    x = np.array(draw_values[: k * size])
    return x, [str(i // size) for i in range(k * size)]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(finite, min_size=8, max_size=40),
    a=finite,
    kind=st.sampled_from(["xbar", "imr", "ewma"]),
)
def test_shifting_the_data_moves_centre_and_limits_by_the_same_amount(
    values: list[float], a: float, kind: str
) -> None:
    x, groups = _grouped(values, 4)
    g = groups if kind == "xbar" else None
    base = _chart(kind, x, g)
    assume(base.sigma is not None and base.sigma > 1e-6 * (1 + float(np.max(np.abs(x)))))
    moved = _chart(kind, x + a, g)
    tol = 1e-9 * (abs(a) + float(np.max(np.abs(x))) + 1)
    assert moved.center == pytest.approx(base.center + a, abs=tol)  # type: ignore[operator]
    assert moved.sigma == pytest.approx(base.sigma, abs=tol)
    assert np.asarray(moved.ucl) == pytest.approx(np.asarray(base.ucl) + a, abs=tol)
    assert np.asarray(moved.lcl) == pytest.approx(np.asarray(base.lcl) + a, abs=tol)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(finite, min_size=8, max_size=40),
    b=st.floats(1e-3, 1e3),
    kind=st.sampled_from(["xbar", "s", "imr", "ewma"]),
)
def test_scaling_the_data_scales_centre_sigma_and_limits(
    values: list[float], b: float, kind: str
) -> None:
    x, groups = _grouped(values, 4)
    g = groups if kind in ("xbar", "s") else None
    base = _chart(kind, x, g)
    scaled = _chart(kind, x * b, g)
    tol = 1e-9 * b * (float(np.max(np.abs(x))) + 1)
    assert np.asarray(scaled.center_line) == pytest.approx(
        np.asarray(base.center_line) * b, abs=tol
    )
    assert scaled.sigma == pytest.approx(base.sigma * b, rel=1e-9, abs=tol)  # type: ignore[operator]
    assert np.asarray(scaled.ucl) == pytest.approx(np.asarray(base.ucl) * b, abs=tol)
    assert np.asarray(scaled.lcl) == pytest.approx(np.asarray(base.lcl) * b, abs=tol)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(finite, min_size=9, max_size=36),
    method=st.sampled_from(["rbar", "sbar", "pooled", "sd"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_permuting_rows_within_subgroups_changes_nothing(
    values: list[float], method: str, seed: int
) -> None:
    x, groups = _grouped(values, 3)
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(np.arange(i, i + 3)) for i in range(0, x.size, 3)])
    a = subgroups_from_rows(x, groups)
    b = subgroups_from_rows(x[order], [groups[i] for i in order])
    tol = 1e-9 * (float(np.max(np.abs(x))) + 1)
    for chart in (xbar_chart, r_chart, s_chart):
        ra = chart(a, sigma_method=method, rules="none")
        rb = chart(b, sigma_method=method, rules="none")
        assert rb.value == pytest.approx(ra.value, abs=tol)
        assert np.asarray(rb.ucl) == pytest.approx(np.asarray(ra.ucl), abs=tol)
        assert rb.sigma == pytest.approx(ra.sigma, abs=tol)


any_finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(any_finite, min_size=1, max_size=30),
    sizes=st.lists(st.integers(1, 60), min_size=1, max_size=30),
    kind=st.sampled_from(["xbar", "r", "s", "imr", "mr", "p", "np", "c", "u", "ewma", "cusum"]),
    group_size=st.integers(1, 4),
    rules=st.sampled_from(["nelson", "we", "none"]),
    phase=st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_no_finite_input_crashes_a_chart(
    values: list[float],
    sizes: list[int],
    kind: str,
    group_size: int,
    rules: str,
    phase: list[bool],
) -> None:
    n = len(values)
    x = [str(v) for v in values]
    size = [str(sizes[i % len(sizes)]) for i in range(n)]
    group = [str(i // group_size) for i in range(n)]
    flags = ["TRUE" if p else "FALSE" for p in phase[:n]]
    t = Table(
        header=("x", "n", "g", "p"),
        cells={"x": x, "n": size, "g": group, "p": flags},
    )
    grouped = kind in ("xbar", "r", "s") or (kind in ("ewma", "cusum") and group_size > 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = chart_from_table(
                t,
                kind,
                value="x",
                group="g" if grouped else None,
                size="n" if kind in ("p", "np", "u") else None,
                phase1="p",
                rules=rules,
            )
    except MethodsInputError:
        return
    out = result.as_dict()
    json.dumps(out, allow_nan=False)
    assert len(out["points"]) == result.n_points
