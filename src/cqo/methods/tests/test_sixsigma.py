from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqo.methods import sixsigma
from cqo.methods.errors import MethodsInputError

ORACLE = json.loads(
    (Path(__file__).parent / "fixtures" / "oracle_other_methods.json").read_text(encoding="utf-8")
)
TABLE = ORACLE["sigma_level"]["dpmo_to_sigma"]


@pytest.mark.parametrize(("dpmo", "level"), sorted(TABLE.items()))
def test_it_reproduces_the_sigma_level_table_with_the_1_5_sigma_shift(
    dpmo: str, level: float
) -> None:
    # The table prints DPMO to 3 decimals, which moves the level by at most 3e-5 (at 3.4 DPMO).
    assert sixsigma.sigma_level(dpmo) == pytest.approx(level, abs=5e-5)


@pytest.mark.parametrize(("dpmo", "level"), sorted(TABLE.items()))
def test_it_turns_a_sigma_level_back_into_the_printed_dpmo(dpmo: str, level: float) -> None:
    assert round(sixsigma.dpmo_from_sigma(level), 3) == float(dpmo)


def test_six_sigma_is_3_4_defects_per_million() -> None:
    assert round(sixsigma.dpmo_from_sigma(6.0), 1) == 3.4


def test_a_sigma_level_without_shift_is_the_plain_normal_quantile() -> None:
    assert sixsigma.sigma_level(2699.796, shift=0) == pytest.approx(2.7822, abs=1e-4)


def test_dpmo_counts_defects_over_units_times_opportunities() -> None:
    assert sixsigma.dpmo(defects=34, units=1000, opportunities=10) == pytest.approx(3400.0)


def test_the_yield_is_the_share_of_opportunities_without_a_defect() -> None:
    summary = sixsigma.summarize(66807.201)
    assert summary.yield_fraction == pytest.approx(0.933192799)
    assert sixsigma.dpmo_from_yield(0.933192799) == pytest.approx(66807.201)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: sixsigma.sigma_level(0), "dpmo must be greater than 0"),
        (lambda: sixsigma.sigma_level(1_000_000), "less than 1,000,000"),
        (lambda: sixsigma.sigma_level("many"), "dpmo must be a number"),
        (lambda: sixsigma.sigma_level(float("nan")), "dpmo must be a finite number"),
        (lambda: sixsigma.dpmo(-1, 10), "defects must not be negative"),
        (lambda: sixsigma.dpmo(1, 0), "units must be positive"),
        (lambda: sixsigma.dpmo(1, 10, 0), "opportunities per unit must be positive"),
        (lambda: sixsigma.dpmo(11, 10, 1), "exceed the opportunities"),
        (lambda: sixsigma.dpmo_from_yield(1.5), "yield must be a fraction"),
    ],
)
def test_bad_input_gives_an_error_naming_the_field(call: object, words: str) -> None:
    with pytest.raises(MethodsInputError, match=words):
        call()  # type: ignore[operator]


@given(
    a=st.floats(1e-6, 999_999.0, allow_nan=False),
    b=st.floats(1e-6, 999_999.0, allow_nan=False),
)
def test_fewer_defects_never_give_a_lower_sigma_level(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert sixsigma.sigma_level(lo) >= sixsigma.sigma_level(hi)


@given(level=st.floats(-2.0, 7.5, allow_nan=False))
def test_sigma_level_and_dpmo_are_inverse(level: float) -> None:
    dpmo = sixsigma.dpmo_from_sigma(level)
    if 0 < dpmo < 1_000_000:
        assert sixsigma.sigma_level(dpmo) == pytest.approx(level, abs=1e-7)
