from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special, stats

from cqo.methods import constants as K
from cqo.methods.errors import MethodsInputError

QCC_D2 = [1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336]


def _expected_range_directly(n: int) -> float:
    # E[R] = ∫ 1 − Φ(x)^n − (1 − Φ(x))^n dx: an independent route to d2.
    def f(x: float) -> float:
        return float(1.0 - stats.norm.cdf(x) ** n - stats.norm.sf(x) ** n)

    return float(integrate.quad(f, -np.inf, np.inf, limit=200)[0])


@pytest.mark.parametrize(
    ("name", "n", "expected"),
    [
        ("d2", 2, 1.128379),
        ("d2", 5, 2.325929),
        ("d2", 25, 3.930629),
        ("d3", 5, 0.864082),
        ("c4", 5, 0.939986),
    ],
)
def test_exact_constants_match_the_spot_values_in_the_methods_notes(
    name: str, n: int, expected: float
) -> None:
    assert getattr(K, name)(n) == pytest.approx(expected, abs=5e-7)


def test_d4_for_three_is_2_574591_which_tables_round_either_way() -> None:
    assert K.chart_constants(3).D4 == pytest.approx(2.574591, abs=5e-7)


@pytest.mark.parametrize("n", [2, 3, 7, 10, 50, 100, 150])
def test_d2_from_the_studentized_range_agrees_with_the_direct_range_integral(n: int) -> None:
    assert K.d2_exact(n) == pytest.approx(_expected_range_directly(n), rel=1e-9)


def test_d3_of_two_is_the_closed_form_sqrt_2_minus_4_over_pi_scaled() -> None:
    # For n = 2, R = |X1 − X2| ~ √2·|Z|: E[R] = 2/√π, Var[R] = 2 − 4/π.
    assert K.d2_exact(2) == pytest.approx(2.0 / math.sqrt(math.pi), rel=1e-12)
    assert K.d3_exact(2) == pytest.approx(math.sqrt(2.0 - 4.0 / math.pi), rel=1e-9)


@pytest.mark.parametrize("n", [2, 5, 10, 100, 1000])
def test_c4_is_the_gamma_ratio(n: int) -> None:
    direct = math.sqrt(2.0 / (n - 1)) * math.exp(
        special.gammaln(n / 2) - special.gammaln((n - 1) / 2)
    )
    assert K.c4(n) == pytest.approx(direct, rel=1e-14)
    assert K.c4(n) < 1.0


def test_table_mode_returns_the_qcc_three_decimal_d2_digit_for_digit() -> None:
    for n, value in enumerate(QCC_D2, start=2):
        assert K.d2(n, "table") == value
    assert K.d2(25, "table") == 3.931
    assert K.d3(2, "table") == 0.8525033
    assert K.d3(25, "table") == 0.7084528


def test_table_and_exact_constants_agree_to_one_thousandth() -> None:
    for n in range(2, 26):
        assert K.d2(n, "table") == pytest.approx(K.d2(n), rel=3.5e-4)
        assert K.d3(n, "table") == pytest.approx(K.d3(n), abs=1e-3)


def test_c4_is_exact_in_table_mode_too() -> None:
    assert K.chart_constants(5, "table").c4 == K.c4(5)


def test_table_mode_falls_back_to_exact_beyond_twenty_five() -> None:
    assert K.d2(30, "table") == K.d2(30)
    assert K.d3(60, "table") == K.d3(60)


def test_derived_factors_follow_from_d2_d3_c4() -> None:
    c = K.chart_constants(5)
    assert c.A2 == pytest.approx(3 / (c.d2 * math.sqrt(5)))
    assert c.A2 == pytest.approx(0.577, abs=5e-4)
    assert c.A3 == pytest.approx(1.427, abs=5e-4)
    assert c.B3 == 0.0
    assert c.B4 == pytest.approx(2.089, abs=5e-4)
    assert c.D3 == 0.0
    assert c.D4 == pytest.approx(2.114, abs=5e-4)
    assert c.E2 == pytest.approx(1.290, abs=5e-4)
    seven = K.chart_constants(7)
    assert seven.D3 == pytest.approx(0.076, abs=5e-4)
    assert K.chart_constants(6).B3 == pytest.approx(0.030, abs=5e-4)


def test_table_mode_derives_limits_from_the_table_not_from_separately_rounded_factors() -> None:
    c = K.chart_constants(5, "table")
    assert c.D4 == 1 + 3 * 0.8640855 / 2.326
    assert c.A2 == 3 / (2.326 * math.sqrt(5))


def test_constants_work_for_large_subgroups() -> None:
    assert 5.0 < K.d2(100) < K.d2(101)
    assert K.d3(100) > 0


def test_vectorised_lookups_integrate_each_distinct_size_once() -> None:
    sizes = np.array([5, 5, 3, 5, 3])
    assert K.d2_array(sizes).tolist() == [K.d2(5), K.d2(5), K.d2(3), K.d2(5), K.d2(3)]
    assert K.c4_array(sizes)[2] == K.c4(3)


@pytest.mark.parametrize("n", [1, 0, -3, 2.5])
def test_a_subgroup_size_below_two_is_an_input_error(n: float) -> None:
    with pytest.raises(MethodsInputError, match="n >= 2"):
        K.d2(n)  # type: ignore[arg-type]


def test_an_unknown_constants_mode_is_an_input_error() -> None:
    with pytest.raises(MethodsInputError, match="exact' or 'table"):
        K.d2(5, "rounded")
