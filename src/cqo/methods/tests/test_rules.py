from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqo.methods.charts import attribute_chart, counts_from_rows, subgroups_from_rows, xbar_chart
from cqo.methods.errors import MethodsInputError
from cqo.methods.rules import (
    ALL_RULES,
    NELSON_RULES,
    WE_RULES,
    RuleParams,
    evaluate,
    parse_rules,
    violation_lists,
    violation_map,
)


def flagged(values: list[float], rule: str, **kw: object) -> list[int]:
    """1-based points flagged by one rule on a chart with centre 0 and σ 1."""
    masks = evaluate(np.array(values, dtype=float), 0.0, 1.0, rules=[rule], **kw)  # type: ignore[arg-type]
    return (np.flatnonzero(masks[rule]) + 1).tolist()


# --------------------------------------------------------------------------------------------
# Hand-checked patterns, one per rule


def test_it_flags_a_point_beyond_three_sigma_but_not_one_exactly_on_the_limit() -> None:
    assert flagged([0, 3.01, 3.0, -3.0, -3.2], "we1") == [2, 5]
    assert flagged([0, 3.01, 3.0, -3.0, -3.2], "nelson1") == [2, 5]


def test_rule_one_uses_the_charts_own_limits_when_given() -> None:
    masks = evaluate(
        np.array([0.5, -0.5, 2.0]),
        1.0,
        1.0,
        lcl=np.array([0.0, 0.0, 0.0]),
        ucl=np.inf,
        rules=["we1"],
    )
    assert masks["we1"].tolist() == [False, True, False]


def test_a_missing_limit_is_never_crossed() -> None:
    masks = evaluate(np.array([-10.0, 10.0]), 0.0, 1.0, lcl=np.nan, ucl=np.nan, rules=["we1"])
    assert not masks["we1"].any()


def test_it_flags_the_point_that_completes_nine_on_one_side() -> None:
    values = [0.5] * 8 + [0.2]
    assert flagged(values, "nelson2") == [9]
    assert flagged(values[:-1], "nelson2") == []


def test_every_further_point_of_a_long_run_completes_the_pattern_again() -> None:
    assert flagged([-0.1] * 11, "nelson2") == [9, 10, 11]


def test_a_point_exactly_on_the_centre_line_breaks_a_one_side_run() -> None:
    values = [0.5] * 4 + [0.0] + [0.5] * 8
    assert flagged(values, "nelson2") == []
    assert flagged([*values, 0.5], "nelson2") == [14]


def test_western_electric_four_takes_eight_in_a_row_and_nelson_two_nine() -> None:
    values = [1.0] * 8
    assert flagged(values, "we4") == [8]
    assert flagged(values, "nelson2") == []


def test_run_lengths_are_parameters() -> None:
    values = [1.0] * 7
    assert flagged(values, "we4", params=RuleParams(we4_run=7)) == [7]
    assert flagged(values, "nelson2", params=RuleParams(nelson2_run=7)) == [7]
    assert flagged([1, 2, 3, 4, 5], "nelson3", params=RuleParams(nelson3_run=5)) == [5]


def test_it_flags_the_sixth_point_of_six_steadily_increasing_that_is_five_increases() -> None:
    assert flagged([0, 0.1, 0.2, 0.3, 0.4, 0.5], "nelson3") == [6]
    assert flagged([0, 0.1, 0.2, 0.3, 0.4], "nelson3") == []
    assert flagged([0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.1], "nelson3") == [6, 7]


def test_a_tie_ends_a_trend() -> None:
    assert flagged([0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5], "nelson3") == []


def test_it_flags_the_fourteenth_point_of_fourteen_alternating_up_and_down() -> None:
    values = [(-1) ** i * 0.5 for i in range(14)]
    assert flagged(values, "nelson4") == [14]
    assert flagged(values[:13], "nelson4") == []


def test_a_tie_ends_an_alternation() -> None:
    values = [(-1) ** i * 0.5 for i in range(14)]
    values[6] = values[5]
    assert flagged(values, "nelson4") == []


def test_it_flags_the_point_completing_two_of_three_beyond_two_sigma_on_one_side() -> None:
    assert flagged([0, 2.5, 0.0, 2.1], "we2") == [4]
    assert flagged([0, 2.5, 0.0, 2.1], "nelson5") == [4]


def test_two_of_three_must_be_on_the_same_side() -> None:
    assert flagged([0, 2.5, -2.5, 0], "we2") == []


def test_the_point_inside_the_zone_is_not_blamed_for_its_neighbours() -> None:
    # Points 2 and 3 are beyond 2σ; point 4 is not, so only point 3 completes the pattern.
    assert flagged([0, 2.5, 2.5, 0.0], "we2") == [3]


def test_two_beyond_two_sigma_at_the_very_start_already_complete_two_of_three() -> None:
    assert flagged([2.5, 2.5, 0.0], "we2") == [2]


def test_exactly_two_sigma_is_not_beyond_two_sigma() -> None:
    assert flagged([0, 2.0, 2.0, 2.0], "we2") == []


def test_it_flags_the_point_completing_four_of_five_beyond_one_sigma() -> None:
    assert flagged([0, 1.5, 1.2, 0.5, 1.1, 0.2], "we3") == []
    assert flagged([0, 1.5, 1.2, 0.5, 1.1, 1.3], "we3") == [6]
    assert flagged([0, -1.5, -1.2, 0.5, -1.1, -1.3], "nelson6") == [6]


def test_it_flags_the_fifteenth_point_within_one_sigma_with_the_boundary_inside() -> None:
    values = [0.3, -0.3, 1.0, -1.0] * 3 + [0.1, 0.2, 0.0]
    assert len(values) == 15
    assert flagged(values, "nelson7") == [15]
    assert flagged(values[:14], "nelson7") == []


def test_it_flags_eight_outside_one_sigma_only_with_points_on_both_sides() -> None:
    both = [1.5, -1.5, 1.2, -2.0, 1.1, -1.1, 2.5, -1.3]
    assert flagged(both, "nelson8") == [8]
    assert flagged([1.5] * 8, "nelson8") == []
    assert flagged([*both[:-1], 0.5], "nelson8") == []


def test_a_point_is_flagged_with_every_rule_it_breaks() -> None:
    values = np.array([0.5] * 8 + [3.5])
    masks = evaluate(values, 0.0, 1.0, rules=ALL_RULES)
    lists = violation_lists(masks, len(values))
    assert lists[8] == ["we1", "we4", "nelson1", "nelson2"]
    assert lists[7] == ["we4"]
    assert violation_map(masks) == {7: ["we4"], 8: lists[8]}


def test_zones_follow_sigma_over_root_n_per_point_on_an_xbar_chart() -> None:
    # σ = 1 known. A mean of 1.2 is beyond 3σ/√n when n = 9 (limit 1.0) but not when n = 4 (1.5).
    values = [1.2] * 9 + [1.2] * 4 + [0.0, 0.0, 1.2]
    groups = ["a"] * 9 + ["b"] * 4 + ["c", "c", "d"]
    data = subgroups_from_rows(values, groups)
    result = xbar_chart(data, center=0.0, sigma=1.0, rules="we1")
    assert result.flagged() == {1: ["we1"]}
    assert result.zone_sigma.tolist() == pytest.approx([1 / 3, 1 / 2, 1 / np.sqrt(2), 1.0])
    assert result.lcl[1] == pytest.approx(-1.5)


def test_varying_sample_sizes_give_per_point_zones_on_a_p_chart() -> None:
    counts = counts_from_rows([10, 10, 10, 40], [100, 100, 100, 400], kind="p")
    result = attribute_chart("p", counts, center=0.05, rules="we1,nelson5")
    # p = 0.1 everywhere: 2.29σ above 0.05 when n = 100 but 4.59σ when n = 400.
    sd100 = np.sqrt(0.05 * 0.95 / 100)
    assert result.zone_sigma[0] == pytest.approx(sd100)
    assert result.zone_sigma[3] == pytest.approx(sd100 / 2)
    assert result.flagged() == {2: ["nelson5"], 3: ["nelson5"], 4: ["we1", "nelson5"]}
    assert result.ucl[3] < result.ucl[0]


def test_phase_two_points_are_tested_against_the_phase_one_limits() -> None:
    phase1 = [True] * 20 + [False] * 9
    values = [0.1 * ((-1) ** i) for i in range(20)] + [0.15] * 9
    data = subgroups_from_rows(values, phase1=phase1)
    from cqo.methods.charts import individuals_chart

    result = individuals_chart(data, rules="nelson2,we1", sigma=0.1)
    assert result.center == pytest.approx(0.0, abs=1e-12)
    assert result.flagged() == {29: ["nelson2"]}


def test_rule_sets_parse_to_canonical_names() -> None:
    assert parse_rules("we") == WE_RULES
    assert parse_rules("nelson") == NELSON_RULES
    assert parse_rules("nelson3, we1,we1") == ("we1", "nelson3")
    assert parse_rules("none") == ()
    assert parse_rules(None) == ()
    with pytest.raises(MethodsInputError, match="unknown rule 'we5'"):
        parse_rules("we5")


def test_nonsensical_rule_parameters_are_input_errors() -> None:
    with pytest.raises(MethodsInputError):
        RuleParams(we2_points=4, we2_window=3)
    with pytest.raises(MethodsInputError):
        RuleParams(nelson2_run=0)


def test_short_series_do_not_break_any_rule_code() -> None:
    for n in range(0, 4):
        masks = evaluate(np.zeros(n), 0.0, 1.0, rules=ALL_RULES)
        assert all(m.shape == (n,) for m in masks.values())


# --------------------------------------------------------------------------------------------
# The vectorised rules agree with a point-by-point reading of the definitions


def _reference(
    x: list[float], c: list[float], s: list[float], p: RuleParams
) -> dict[str, set[int]]:
    n = len(x)
    out: dict[str, set[int]] = {r: set() for r in ALL_RULES}

    def side_run(i: int, length: int) -> bool:
        if i < length - 1:
            return False
        w = range(i - length + 1, i + 1)
        return all(x[j] > c[j] for j in w) or all(x[j] < c[j] for j in w)

    def m_of_w(i: int, points: int, width: int, k: float) -> bool:
        w = range(max(0, i - width + 1), i + 1)
        up = x[i] > c[i] + k * s[i] and sum(x[j] > c[j] + k * s[j] for j in w) >= points
        dn = x[i] < c[i] - k * s[i] and sum(x[j] < c[j] - k * s[j] for j in w) >= points
        return up or dn

    def trend(i: int, length: int) -> bool:
        if i < length - 1:
            return False
        w = range(i - length + 2, i + 1)
        return all(x[j] > x[j - 1] for j in w) or all(x[j] < x[j - 1] for j in w)

    def alternating(i: int, length: int) -> bool:
        if i < length - 1:
            return False
        d = [x[j] - x[j - 1] for j in range(i - length + 2, i + 1)]
        return all(a * b < 0 for a, b in itertools.pairwise(d))

    def all_in(i: int, length: int, inside: bool) -> bool:
        if i < length - 1:
            return False
        w = range(i - length + 1, i + 1)
        if inside:
            return all(abs(x[j] - c[j]) <= s[j] for j in w)
        far = all(abs(x[j] - c[j]) > s[j] for j in w)
        return far and any(x[j] > c[j] for j in w) and any(x[j] < c[j] for j in w)

    for i in range(n):
        if x[i] > c[i] + 3 * s[i] or x[i] < c[i] - 3 * s[i]:
            out["we1"].add(i)
            out["nelson1"].add(i)
        if m_of_w(i, p.we2_points, p.we2_window, 2):
            out["we2"].add(i)
        if m_of_w(i, p.we3_points, p.we3_window, 1):
            out["we3"].add(i)
        if side_run(i, p.we4_run):
            out["we4"].add(i)
        if side_run(i, p.nelson2_run):
            out["nelson2"].add(i)
        if trend(i, p.nelson3_run):
            out["nelson3"].add(i)
        if alternating(i, p.nelson4_run):
            out["nelson4"].add(i)
        if m_of_w(i, p.nelson5_points, p.nelson5_window, 2):
            out["nelson5"].add(i)
        if m_of_w(i, p.nelson6_points, p.nelson6_window, 1):
            out["nelson6"].add(i)
        if all_in(i, p.nelson7_run, True):
            out["nelson7"].add(i)
        if all_in(i, p.nelson8_run, False):
            out["nelson8"].add(i)
    return out


small_values = st.lists(st.integers(-4, 4).map(float), min_size=0, max_size=60)


@settings(max_examples=150, deadline=None)
@given(
    values=small_values,
    we4=st.integers(2, 9),
    n2=st.integers(2, 10),
    n3=st.integers(2, 7),
    n4=st.integers(3, 8),
    n7=st.integers(1, 6),
    n8=st.integers(1, 5),
)
def test_vectorised_rules_agree_with_the_definitions_point_by_point(
    values: list[float], we4: int, n2: int, n3: int, n4: int, n7: int, n8: int
) -> None:
    params = RuleParams(
        we4_run=we4, nelson2_run=n2, nelson3_run=n3, nelson4_run=n4, nelson7_run=n7, nelson8_run=n8
    )
    # Integer values on a grid with σ = 1 put many points exactly on zone edges and the centre.
    x = np.array(values, dtype=float)
    masks = evaluate(x, 0.0, 1.0, rules=ALL_RULES, params=params)
    ref = _reference(values, [0.0] * len(values), [1.0] * len(values), params)
    for rule in ALL_RULES:
        assert set(np.flatnonzero(masks[rule]).tolist()) == ref[rule], rule


@settings(max_examples=80, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(-6, 6), st.integers(-1, 1), st.sampled_from([0.5, 1.0, 2.0])),
        max_size=40,
    )
)
def test_per_point_centre_and_sigma_agree_with_the_definitions(
    data: list[tuple[int, int, float]],
) -> None:
    x = [float(v) for v, _, _ in data]
    c = [float(m) for _, m, _ in data]
    s = [sd for _, _, sd in data]
    p = RuleParams()
    masks = evaluate(np.array(x), np.array(c), np.array(s), rules=ALL_RULES, params=p)
    ref = _reference(x, c, s, p)
    for rule in ALL_RULES:
        assert set(np.flatnonzero(masks[rule]).tolist()) == ref[rule], rule
