from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqo.methods import ageing
from cqo.methods.errors import MethodsInputError

D = datetime.date


def test_the_percentile_interpolates_as_postgresql_and_numpy_do() -> None:
    values = [1.0, 2.0, 4.0, 10.0]
    assert ageing.percentile(values, 0.5) == pytest.approx(3.0)
    assert ageing.percentile(values, 0.9) == pytest.approx(float(np.percentile(values, 90)))
    assert ageing.percentile([], 0.5) is None


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=40), st.floats(0, 1))
def test_the_percentile_matches_numpys_linear_method(values: list[float], q: float) -> None:
    assert ageing.percentile(values, q) == pytest.approx(
        float(np.percentile(values, q * 100)), rel=1e-9, abs=1e-6
    )


def test_it_refuses_a_fraction_outside_zero_and_one() -> None:
    with pytest.raises(MethodsInputError, match="between 0 and 1"):
        ageing.percentile([1.0], 1.5)


def test_a_duration_summary_gives_count_mean_median_p90_and_maximum() -> None:
    s = ageing.duration_summary([2, 4, 6, 8, 30])
    assert (s.count, s.mean, s.median, s.maximum) == (5, 10.0, 6.0, 30.0)
    assert s.p90 == pytest.approx(21.2)
    assert ageing.duration_summary([]).as_dict() == {
        "count": 0, "mean": None, "median": None, "p90": None, "max": None,
    }  # fmt: skip


def test_it_refuses_a_negative_duration() -> None:
    with pytest.raises(MethodsInputError, match="negative"):
        ageing.duration_summary([1, -2])


def test_ages_fall_in_the_first_bucket_whose_edge_they_do_not_exceed() -> None:
    assert ageing.age_buckets([0, 7, 7.5, 30, 31, 90, 91, 400], (7, 30, 90)) == [2, 2, 2, 2]
    assert ageing.bucket_labels((7, 30, 90)) == ["0–7 d", "8–30 d", "31–90 d", "> 90 d"]


def test_it_refuses_edges_that_do_not_rise() -> None:
    with pytest.raises(MethodsInputError, match="rise"):
        ageing.age_buckets([1], (30, 7))


def test_a_repeat_is_the_same_key_again_within_the_window() -> None:
    rows = [
        (("A", "scratch"), D(2026, 1, 1)),
        (("A", "scratch"), D(2026, 3, 1)),  # 59 days later: a repeat within 90
        (("A", "dent"), D(2026, 3, 1)),  # another defect: no
        (("B", "scratch"), D(2026, 3, 2)),  # another item: no
        (("A", "scratch"), D(2026, 9, 1)),  # 184 days after the last: no
    ]
    result = ageing.repeats(rows, window_days=90)
    assert result.flags == (False, True, False, False, False)
    assert (result.occurrences, result.repeats, result.rate) == (5, 1, 20.0)


def test_repeats_do_not_depend_on_the_input_order() -> None:
    rows = [(("A", "x"), D(2026, 2, 1)), (("A", "x"), D(2026, 1, 1))]
    assert ageing.repeats(rows, window_days=90).flags == (True, False)
    assert ageing.repeats([], window_days=90).rate is None


def test_months_back_ends_with_the_given_month_across_a_year_end() -> None:
    assert ageing.months_back(D(2026, 2, 17), 3) == [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]
    with pytest.raises(MethodsInputError):
        ageing.months_back(D(2026, 2, 17), 0)
