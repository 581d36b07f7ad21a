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
from scipy import stats

from cqo.methods import constants as K
from cqo.methods.capability import anderson_darling, capability, capability_from_table
from cqo.methods.errors import MethodsInputError
from cqo.methods.io import read_table

FIXTURES = Path(__file__).parent / "fixtures"
ORACLE: dict[str, Any] = json.loads((FIXTURES / "oracle_expected_public.json").read_text("utf-8"))
INDICES = ("cp", "cpl", "cpu", "cpk", "cpm", "pp", "ppl", "ppu", "ppk")


def pistonrings(**kw: Any) -> Any:
    case = ORACLE["pistonrings_capability"]
    return capability_from_table(
        read_table(FIXTURES / "qcc_pistonrings.txt"),
        value="diameter",
        group="sample",
        phase1="trial",
        lsl=kw.pop("lsl", case["lsl"]),
        usl=kw.pop("usl", case["usl"]),
        target=kw.pop("target", case["target"]),
        **kw,
    )


def test_pistonrings_capability_reproduces_qcc_in_table_mode() -> None:
    case = ORACLE["pistonrings_capability"]
    result = pistonrings(constants="table")
    assert result.n == 125
    for key in ("mean", "sigma_within", "sigma_overall", *INDICES):
        assert getattr(result, key) == pytest.approx(case[key], rel=1e-8), key


def test_pistonrings_capability_with_exact_constants_is_within_five_in_ten_thousand() -> None:
    case = ORACLE["pistonrings_capability"]
    result = pistonrings()
    assert result.constants == "exact"
    for key in ("sigma_within", *INDICES):
        assert getattr(result, key) == pytest.approx(case[key], rel=5e-4), key


def test_sigma_overall_is_the_sample_sd_without_c4() -> None:
    x = np.array([1.0, 2.0, 4.0, 7.0, 11.0, 16.0, 22.0, 29.0])
    result = capability(x, lsl=-10, usl=50)
    assert result.sigma_overall == pytest.approx(np.std(x, ddof=1))


def test_without_subgroups_sigma_within_is_the_mean_moving_range_over_d2() -> None:
    x = np.array([10.0, 12.0, 11.0, 14.0, 13.0, 12.0, 15.0, 11.0])
    result = capability(x, lsl=5, usl=20)
    assert result.sigma_method == "mr"
    assert result.sigma_within == pytest.approx(np.mean(np.abs(np.diff(x))) / K.d2(2))


def test_a_one_sided_specification_gives_only_the_one_sided_indices() -> None:
    result = pistonrings(usl=None, target=None)
    d = result.as_dict()
    assert d["cpl"] is not None and d["ppl"] is not None
    for key in ("cp", "cpu", "cpk", "cpm", "pp", "ppu", "ppk"):
        assert d[key] is None, key
    assert d["expected_above_usl"] is None and d["observed_above_usl"] is None
    assert d["expected_below_lsl"] is not None
    upper_only = pistonrings(lsl=None, target=None).as_dict()
    assert upper_only["cpu"] == pytest.approx(ORACLE["pistonrings_capability"]["cpu"], rel=5e-4)
    assert upper_only["cpl"] is None


def test_expected_fractions_use_the_normal_model_and_observed_count_the_data() -> None:
    x = np.array([9.0, 9.5, 10.0, 10.5, 11.0, 12.5, 10.2, 9.8, 10.1, 7.0])
    result = capability(x, lsl=8.0, usl=12.0)
    mu, sw = float(np.mean(x)), result.sigma_within
    assert result.expected_below_lsl == pytest.approx(stats.norm.cdf((8.0 - mu) / sw))
    assert result.expected_above_usl == pytest.approx(stats.norm.sf((12.0 - mu) / sw))
    assert result.observed_below_lsl == pytest.approx(0.1)
    assert result.observed_above_usl == pytest.approx(0.1)


def test_a_value_exactly_on_a_limit_is_not_out_of_specification() -> None:
    result = capability([8.0, 9.0, 10.0, 11.0, 12.0], lsl=8.0, usl=12.0)
    assert result.observed_below_lsl == 0.0 and result.observed_above_usl == 0.0


def test_confidence_intervals_use_chi_square_for_cp_and_bissell_for_cpk() -> None:
    result = pistonrings()
    n, cp, cpk = 125, result.cp, result.cpk
    lo, hi = result.intervals["cp"]
    assert lo == pytest.approx(cp * math.sqrt(stats.chi2.ppf(0.025, n - 1) / (n - 1)))
    assert hi == pytest.approx(cp * math.sqrt(stats.chi2.ppf(0.975, n - 1) / (n - 1)))
    half = 1.959963984540054 * math.sqrt(1 / (9 * n) + cpk**2 / (2 * (n - 1)))
    assert result.intervals["cpk"] == pytest.approx((cpk - half, cpk + half))
    assert lo < cp < hi


def test_cpm_shrinks_when_the_mean_is_off_target() -> None:
    on = pistonrings(target=74.001176)
    off = pistonrings(target=73.99)
    assert on.cpm == pytest.approx(on.cp)
    assert off.cpm < on.cpm


def test_the_target_defaults_to_the_middle_of_the_specification() -> None:
    assert pistonrings(target=None).target == pytest.approx(74.0)


def test_anderson_darling_agrees_with_scipy_and_warns_on_skewed_data() -> None:
    rng = np.random.default_rng(7)
    normal = rng.normal(size=200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = stats.anderson(normal).statistic
    check = anderson_darling(normal)
    assert check.statistic == pytest.approx(reference, rel=1e-10)
    assert check.normal is True
    skewed = rng.exponential(size=200)
    result = capability(skewed, lsl=0.0, usl=6.0)
    assert result.normality.normal is False
    assert result.normality.p_value is not None and result.normality.p_value < 0.001
    assert any("do not look normal" in w for w in result.warnings)
    assert result.cp is not None  # a warning, not an error


def test_too_few_values_skip_the_normality_check_with_a_warning() -> None:
    result = capability([1.0, 2.0, 3.0], lsl=0, usl=4)
    assert result.normality.p_value is None
    assert any("normality not checked" in w for w in result.warnings)


def test_lsl_at_or_above_usl_is_an_input_error() -> None:
    with pytest.raises(MethodsInputError, match=r"LSL \(74.05\) must be less than USL \(73.95\)"):
        pistonrings(lsl=74.05, usl=73.95)
    with pytest.raises(MethodsInputError, match="less than USL"):
        capability([1.0, 2.0], lsl=1.0, usl=1.0)


def test_no_specification_limit_is_an_input_error() -> None:
    with pytest.raises(MethodsInputError, match="at least one specification limit"):
        capability([1.0, 2.0, 3.0])


def test_constant_data_give_null_indices_and_a_warning_not_a_crash() -> None:
    d = capability([5.0] * 10, lsl=4.0, usl=6.0).as_dict()
    assert d["cp"] is None and d["pp"] is None
    assert d["expected_below_lsl"] == 0.0
    json.dumps(d, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.floats(-1e3, 1e3), min_size=10, max_size=40),
    a=st.floats(-1e3, 1e3),
    b=st.floats(0.01, 100),
)
def test_indices_do_not_change_when_data_and_specifications_are_shifted_and_scaled(
    values: list[float], a: float, b: float
) -> None:
    x = np.array(values)
    assume(np.std(x) > 1e-3 and np.mean(np.abs(np.diff(x))) > 1e-3)
    lsl, usl = float(x.min()) - 1.0, float(x.max()) + 1.0
    base = capability(x, lsl=lsl, usl=usl)
    moved = capability(x * b + a, lsl=lsl * b + a, usl=usl * b + a)
    for key in INDICES:
        assert getattr(moved, key) == pytest.approx(getattr(base, key), rel=1e-6), key


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=30),
    lsl=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    usl=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    grouped=st.booleans(),
)
def test_no_finite_input_crashes_capability(
    values: list[float], lsl: float | None, usl: float | None, grouped: bool
) -> None:
    groups = [str(i // 3) for i in range(len(values))] if grouped else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = capability(values, groups, lsl=lsl, usl=usl)
    except MethodsInputError:
        return
    json.dumps(result.as_dict(), allow_nan=False)
