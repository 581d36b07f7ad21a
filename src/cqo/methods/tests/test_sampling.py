from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqo.methods import sampling
from cqo.methods.errors import MethodsInputError
from cqo.methods.sampling import InspectionState, SwitchingRules

FIXTURES = Path(__file__).parent / "fixtures"
ORACLE = json.loads((FIXTURES / "oracle_other_methods.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- code letters and plans


@pytest.mark.parametrize(
    ("lot", "level", "code"),
    [
        (2, "II", "A"),
        (8, "II", "A"),
        (9, "II", "B"),
        (8, "III", "B"),
        (1000, "II", "J"),
        (1200, "II", "J"),
        (1201, "II", "K"),
        (150000, "II", "N"),
        (150001, "II", "P"),
        (500001, "S-1", "D"),
        (10**9, "III", "R"),
        (3000, "S-4", "G"),
    ],
)
def test_it_reads_the_code_letter_from_table_1(lot: int, level: str, code: str) -> None:
    assert sampling.code_letter(lot, level) == code


def test_it_accepts_common_spellings_of_the_inspection_level() -> None:
    assert sampling.code_letter(1000, "ii") == "J"
    assert sampling.code_letter(1000, "s3") == sampling.code_letter(1000, "S-3") == "E"


def test_it_gives_the_normal_and_tightened_plans_of_tables_2a_and_2b() -> None:
    normal = sampling.sampling_plan(1000, "II", "1.0")
    assert (normal.code, normal.n, normal.ac, normal.re, normal.inspect_all) == (
        "J",
        80,
        2,
        3,
        False,
    )
    tightened = sampling.sampling_plan(1000, "II", 1.0, "tightened")
    assert (tightened.n, tightened.ac, tightened.re) == (80, 1, 2)


def test_it_follows_the_resolved_arrow_to_another_sample_size() -> None:
    # Code J at AQL 0.40 is an arrow in the printed table that leads to K's plan n=125, Ac=1.
    plan = sampling.sampling_plan(1000, "II", 0.4)
    assert (plan.code, plan.n, plan.ac, plan.re) == ("J", 125, 1, 2)


def test_it_inspects_the_whole_lot_when_the_sample_is_as_large_as_the_lot() -> None:
    plan = sampling.sampling_plan(10, "II", 0.65)
    assert plan.code == "B"
    assert plan.inspect_all is True
    assert plan.n == 10
    assert (plan.ac, plan.re) == (0, 1)


def test_the_shipped_tables_are_complete_single_sampling_tables() -> None:
    for severity in ("normal", "tightened"):
        table = sampling._builtin(severity)
        assert len(table.cells) == 16 * 26
        for cell in table.cells.values():
            assert cell.re == cell.ac + 1


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"lot_size": 1000, "level": "II", "aql": 0.3}, "AQL 0.3"),
        ({"lot_size": 1000, "level": "IV", "aql": 1.0}, "inspection level 'IV'"),
        ({"lot_size": 1, "level": "II", "aql": 1.0}, "lot size must be at least 2"),
        ({"lot_size": "many", "level": "II", "aql": 1.0}, "lot size"),
        ({"lot_size": 10.5, "level": "II", "aql": 1.0}, "lot size"),
        ({"lot_size": 1000, "level": "II", "aql": "x"}, "AQL"),
        ({"lot_size": 1000, "level": "II", "aql": 1.0, "severity": "lenient"}, "severity"),
    ],
)
def test_bad_plan_input_gives_an_error_naming_the_parameter(
    kwargs: dict[str, object], words: str
) -> None:
    with pytest.raises(MethodsInputError, match=words):
        sampling.sampling_plan(**kwargs)  # type: ignore[arg-type]


def test_reduced_inspection_without_an_imported_table_says_it_needs_the_licensed_table() -> None:
    with pytest.raises(MethodsInputError, match="licensed"):
        sampling.sampling_plan(1000, "II", 1.0, "reduced")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reduced_inspection_uses_the_table_the_user_imports(tmp_path: Path) -> None:
    table = sampling.load_plan_table(
        _write(tmp_path / "2c.csv", "code,aql,n,ac,re\nJ,1.0,32,1,2\nJ,1.5,32,2,3\n")
    )
    plan = sampling.sampling_plan(1000, "II", "1", "reduced", reduced_table=table)
    assert (plan.code, plan.n, plan.ac, plan.re, plan.severity) == ("J", 32, 1, 2, "reduced")
    with pytest.raises(MethodsInputError, match=r"no plan for code letter J at AQL 2\.5"):
        sampling.sampling_plan(1000, "II", 2.5, "reduced", reduced_table=table)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("code,aql,n,ac,re\nJ,1.0,32,2,2\n", "row 2.*rejection number 2 must exceed"),
        ("code,aql,n,ac,re\nI,1.0,32,1,2\n", "row 2.*code letter 'I'"),
        ("code,aql,n,ac,re\nJ,0.3,32,1,2\n", "row 2.*AQL 0.3"),
        ("code,aql,n,ac,re\nJ,1.0,32,1,2\nJ,1,20,1,2\n", "row 3.*appears twice"),
        ("code,aql,n,ac\nJ,1.0,32,1\n", "'re' is missing"),
        ("code,aql,n,ac,re\nJ,1.0,-3,1,2\n", "row 2.*n must be at least 1"),
    ],
)
def test_a_bad_imported_table_is_rejected_with_the_row(
    tmp_path: Path, body: str, words: str
) -> None:
    with pytest.raises(MethodsInputError, match=words):
        sampling.load_plan_table(_write(tmp_path / "bad.csv", body))


# ---------------------------------------------------------------- switching rules


def _feed(rules: SwitchingRules, outcomes: str, ac: int = 1) -> list[sampling.SwitchingStep]:
    """'A' accepted, 'R' not accepted, with a plan of acceptance number ac (< 2)."""
    return [rules.record(ac=ac, accepted=(c == "A")) for c in outcomes]


def test_it_switches_to_tightened_after_two_rejections_in_five_lots() -> None:
    rules = SwitchingRules()
    steps = _feed(rules, "ARAAR")
    assert [s.state for s in steps[:4]] == [InspectionState.NORMAL] * 4
    assert steps[4].state is InspectionState.TIGHTENED
    assert steps[4].switched
    assert steps[4].reason == "normal_to_tightened"


def test_it_switches_to_tightened_after_two_consecutive_rejections() -> None:
    rules = SwitchingRules()
    steps = _feed(rules, "RR")
    assert steps[1].state is InspectionState.TIGHTENED


def test_it_stays_normal_when_two_rejections_are_more_than_five_lots_apart() -> None:
    rules = SwitchingRules()
    steps = _feed(rules, "RAAAAR")
    assert all(s.state is InspectionState.NORMAL for s in steps)


def test_it_returns_to_normal_after_five_consecutive_accepted_lots_under_tightened() -> None:
    rules = SwitchingRules(start=InspectionState.TIGHTENED)
    steps = _feed(rules, "AAARAAAA")
    assert all(s.state is InspectionState.TIGHTENED for s in steps)
    step = rules.record(ac=1, accepted=True)
    assert step.state is InspectionState.NORMAL
    assert step.reason == "tightened_to_normal"
    assert step.inspection is InspectionState.TIGHTENED


def test_it_discontinues_after_five_lots_not_accepted_under_tightened() -> None:
    rules = SwitchingRules(start=InspectionState.TIGHTENED)
    steps = _feed(rules, "RAARAAARAR")
    assert steps[-2].state is InspectionState.TIGHTENED
    step = rules.record(ac=1, accepted=False)
    assert step.state is InspectionState.DISCONTINUED
    assert step.reason == "tightened_to_discontinued"
    with pytest.raises(MethodsInputError, match="discontinued"):
        rules.record(ac=1, accepted=True)
    resumed = rules.resume()
    assert resumed.state is InspectionState.TIGHTENED
    assert rules.record(ac=1, accepted=True).state is InspectionState.TIGHTENED


def test_the_switching_score_adds_two_per_accepted_lot_when_ac_is_0_or_1() -> None:
    rules = SwitchingRules()
    steps = _feed(rules, "AAA", ac=0)
    assert [s.score for s in steps] == [2, 4, 6]
    steps = _feed(rules, "R", ac=1)
    assert steps[0].score == 0


def test_the_switching_score_adds_three_when_the_lot_passes_one_aql_step_tighter() -> None:
    rules = SwitchingRules()
    # Ac 5: one AQL step tighter the same sample has Ac 3.
    assert rules.record(ac=5, nonconforming=3).score == 3
    assert rules.record(ac=5, nonconforming=0).score == 6
    step = rules.record(ac=5, nonconforming=4)
    assert step.accepted is True
    assert step.score == 0


def test_it_switches_to_reduced_at_score_30_with_approval_and_steady_production() -> None:
    rules = SwitchingRules(reduced_approved=True)
    steps = _feed(rules, "A" * 15, ac=1)
    assert steps[13].state is InspectionState.NORMAL
    assert steps[13].score == 28
    assert steps[14].state is InspectionState.REDUCED
    assert steps[14].reason == "normal_to_reduced"


def test_it_switches_to_reduced_after_ten_lots_scoring_three() -> None:
    rules = SwitchingRules(reduced_approved=True)
    steps = [rules.record(ac=2, nonconforming=1) for _ in range(10)]
    assert steps[-1].state is InspectionState.REDUCED


def test_a_score_of_30_without_the_authoritys_approval_stays_normal() -> None:
    rules = SwitchingRules(reduced_approved=False)
    steps = _feed(rules, "A" * 16, ac=0)
    assert steps[-1].state is InspectionState.NORMAL
    assert steps[-1].score == 32
    assert "approval" in steps[-1].message


def test_a_score_of_30_with_irregular_production_stays_normal() -> None:
    rules = SwitchingRules(reduced_approved=True)
    _feed(rules, "A" * 14, ac=0)
    step = rules.record(ac=0, accepted=True, production_steady=False)
    assert step.state is InspectionState.NORMAL
    assert "steady" in step.message


def test_it_returns_from_reduced_to_normal_when_a_lot_is_not_accepted() -> None:
    rules = SwitchingRules(start=InspectionState.REDUCED)
    assert rules.record(ac=1, nonconforming=1).state is InspectionState.REDUCED
    step = rules.record(ac=1, nonconforming=2)
    assert step.state is InspectionState.NORMAL
    assert step.reason == "reduced_to_normal"
    assert rules.score == 0


def test_it_returns_from_reduced_to_normal_when_production_becomes_irregular() -> None:
    rules = SwitchingRules(start=InspectionState.REDUCED)
    step = rules.record(ac=1, accepted=True, production_steady=False)
    assert step.state is InspectionState.NORMAL


def test_an_imported_reduced_plan_with_a_gap_reinstates_normal_on_an_accepted_lot() -> None:
    # MIL-STD-105E style reduced plans have Re > Ac + 1: Ac < d < Re accepts but goes to normal.
    rules = SwitchingRules(start=InspectionState.REDUCED)
    step = rules.record(ac=1, re=4, nonconforming=2)
    assert step.accepted is True
    assert step.state is InspectionState.NORMAL


def test_the_score_needs_the_nonconforming_count_when_ac_is_two_or_more() -> None:
    with pytest.raises(MethodsInputError, match="nonconforming count"):
        SwitchingRules().record(ac=3, accepted=True)


def test_a_lot_outcome_that_contradicts_its_count_is_rejected() -> None:
    with pytest.raises(MethodsInputError, match="contradicts"):
        SwitchingRules().record(ac=1, nonconforming=5, accepted=True)


# ---------------------------------------------------------------- OC, AOQ, AOQL


def test_it_reproduces_the_nist_handbook_oc_curve() -> None:
    case = ORACLE["nist_oc_6_2_3_2"]
    curve = sampling.oc_curve(case["n"], case["ac"], case["p"])
    assert curve.model == "binomial"
    assert [round(point.pa, 3) for point in curve.points] == case["pa_3dp"]


def test_aoq_is_pa_times_p_times_the_unsampled_share_of_the_lot() -> None:
    curve = sampling.oc_curve(52, 3, [0.02, 0.05], lot_size=10000)
    for point in curve.points:
        assert point.aoq == pytest.approx(point.pa * point.p * (10000 - 52) / 10000, rel=1e-12)


def test_the_aoql_is_the_largest_aoq_over_all_p() -> None:
    curve = sampling.oc_curve(52, 3, [0.01], lot_size=10000)
    grid = np.linspace(0, 1, 200001)
    aoq = sampling.acceptance_probability(grid, 52, 3, lot_size=10000) * grid * 9948 / 10000
    assert curve.aoql == pytest.approx(float(aoq.max()), rel=1e-7)
    assert curve.aoql >= float(aoq.max())
    # NIST/SEMATECH §6.2.3.2 gives AOQL about .0372 near p = .06 for this plan.
    assert curve.aoql == pytest.approx(0.0372, abs=5e-5)


def test_a_small_lot_uses_the_hypergeometric_model() -> None:
    curve = sampling.oc_curve(20, 1, [0.05], lot_size=100)
    assert curve.model == "hypergeometric"
    # D = 5 nonconforming in the lot of 100: P(X <= 1) by counting.
    expected = (math.comb(95, 20) + 5 * math.comb(95, 19)) / math.comb(100, 20)
    assert curve.points[0].pa == pytest.approx(expected, rel=1e-12)
    brute = max(
        sampling.acceptance_probability([d / 100], 20, 1, lot_size=100)[0] * d / 100 * 0.8
        for d in range(101)
    )
    assert curve.aoql == pytest.approx(brute, rel=1e-12)


def test_inspecting_the_whole_lot_leaves_no_outgoing_nonconforming_items() -> None:
    curve = sampling.oc_curve(50, 0, [0.0, 0.02, 0.5], lot_size=50)
    assert [p.pa for p in curve.points] == [1.0, 0.0, 0.0]
    assert curve.aoql == 0.0


@pytest.mark.parametrize(
    ("args", "kwargs", "words"),
    [
        ((52, 3, [1.2]), {}, r"p \(fraction nonconforming\)"),
        ((0, 0, [0.1]), {}, "n must be at least 1"),
        ((52, -1, [0.1]), {}, "ac must be at least 0"),
        ((52, 52, [0.1]), {}, r"Ac \(52\) must be less than the sample size n \(52\)"),
        ((52, 60, [0.1]), {}, r"Ac \(60\) must be less than the sample size n \(52\)"),
        ((52, 3, [0.1]), {"lot_size": 20}, "lot size"),
        ((52, 3, [0.1]), {"model": "hypergeometric"}, "needs the lot size"),
        ((52, 3, []), {}, "at least one value of p"),
    ],
)
def test_bad_oc_input_gives_an_error_naming_the_parameter(
    args: tuple[object, ...], kwargs: dict[str, object], words: str
) -> None:
    with pytest.raises(MethodsInputError, match=words):
        sampling.oc_curve(*args, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 500),
    ac=st.integers(0, 20),
    p1=st.floats(0, 1),
    p2=st.floats(0, 1),
    lot_extra=st.one_of(st.none(), st.integers(0, 2000)),
)
def test_pa_never_increases_with_the_fraction_nonconforming(
    n: int, ac: int, p1: float, p2: float, lot_extra: int | None
) -> None:
    lo, hi = sorted((p1, p2))
    ac = min(ac, n - 1)  # Ac >= n is refused: every lot would be accepted
    lot = None if lot_extra is None else max(n + lot_extra, 2)
    pa = sampling.acceptance_probability([lo, hi], n, ac, lot_size=lot)
    assert 0.0 <= pa[1] <= pa[0] + 1e-12 <= 1.0 + 1e-12


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 300), ac=st.integers(0, 10), p=st.floats(0, 1))
def test_no_aoq_exceeds_the_aoql(n: int, ac: int, p: float) -> None:
    ac = min(ac, n - 1)
    curve = sampling.oc_curve(n, ac, [p])
    assert curve.points[0].aoq <= curve.aoql * (1 + 1e-9) + 1e-15


def test_a_rejected_lot_resets_the_score_without_needing_its_count() -> None:
    rules = SwitchingRules()
    assert rules.record(ac=3, nonconforming=1).score == 3
    step = rules.record(ac=3, accepted=False)
    assert step.score == 0
    assert step.state is InspectionState.NORMAL


def test_a_huge_lot_with_the_hypergeometric_model_is_still_quick() -> None:
    curve = sampling.oc_curve(2000, 21, [0.01], lot_size=10_000_000, model="hypergeometric")
    binomial = sampling.oc_curve(2000, 21, [0.01])
    assert curve.aoql == pytest.approx(binomial.aoql, rel=1e-3)


@settings(max_examples=80, deadline=None)
@given(
    lots=st.lists(st.tuples(st.sampled_from([0, 1, 2, 3, 5, 7]), st.integers(0, 8)), max_size=60),
    approved=st.booleans(),
)
def test_any_sequence_of_lots_keeps_the_machine_in_a_valid_state(
    lots: list[tuple[int, int]], approved: bool
) -> None:
    rules = SwitchingRules(reduced_approved=approved)
    for ac, d in lots:
        if rules.state is InspectionState.DISCONTINUED:
            rules.resume()
        step = rules.record(ac=ac, nonconforming=d)
        assert step.accepted == (d <= ac)
        assert step.score >= 0
        assert step.switched == (step.state is not step.inspection)
        if step.state is InspectionState.REDUCED and step.switched:
            assert approved and step.inspection is InspectionState.NORMAL
        if step.state is not InspectionState.NORMAL:
            assert step.score == 0


def test_a_step_reads_as_plain_json() -> None:
    step = SwitchingRules().record(ac=0, accepted=True)
    assert json.loads(json.dumps(step.as_dict())) == {
        "lot": 1,
        "inspection": "normal",
        "accepted": True,
        "state": "normal",
        "score": 2,
        "switched": False,
        "reason": None,
        "message": "switching score 2",
    }
    with pytest.raises(MethodsInputError, match="start must be normal"):
        SwitchingRules(start="lenient")  # type: ignore[arg-type]


# --- snapshot and restore (the stream keeps the machine between lots) -----------------------


def test_a_restored_machine_goes_on_exactly_as_the_one_it_was_saved_from() -> None:
    from cqo.methods.sampling import SwitchingRules

    outcomes = [True, False, True, True, False, True, True, True, True, True, False, True]
    whole = SwitchingRules()
    stepped = SwitchingRules()
    for ok in outcomes:
        a = whole.record(ac=1, accepted=ok)
        stepped = SwitchingRules.restore(stepped.snapshot())
        b = stepped.record(ac=1, accepted=ok)
        assert (a.state, a.score, a.switched, a.reason, a.lot) == (
            b.state, b.score, b.switched, b.reason, b.lot,
        )  # fmt: skip
    assert whole.snapshot() == stepped.snapshot()


def test_an_empty_snapshot_restores_a_fresh_normal_machine() -> None:
    from cqo.methods.sampling import SwitchingRules

    machine = SwitchingRules.restore({})
    assert machine.state == "normal" and machine.score == 0


@pytest.mark.parametrize(
    "damage",
    [{"state": "lenient"}, {"score": -1}, {"normal_window": [True] * 6}, {"version": 9},
     {"normal_window": ["yes"]}],
)  # fmt: skip
def test_a_damaged_snapshot_is_refused_naming_what_is_wrong(damage: dict[str, object]) -> None:
    from cqo.methods.sampling import SwitchingRules

    data = {**SwitchingRules().snapshot(), **damage}
    with pytest.raises(MethodsInputError):
        SwitchingRules.restore(data)


def test_a_discontinued_machine_survives_the_round_trip_and_resumes_on_tightened() -> None:
    from cqo.methods.sampling import SwitchingRules

    machine = SwitchingRules(start="tightened")
    for _ in range(5):
        machine.record(ac=0, accepted=False)
    restored = SwitchingRules.restore(machine.snapshot())
    assert restored.state == "discontinued"
    assert restored.resume().state == "tightened"


def test_plan_table_rows_are_checked_as_the_csv_is() -> None:
    from cqo.methods.sampling import plan_table_from_rows

    table = plan_table_from_rows([{"code": "K", "aql": "1.0", "n": 50, "ac": 2, "re": 5}])
    assert table.lookup("K", "1.0").n == 50
    with pytest.raises(MethodsInputError, match="row 3"):
        plan_table_from_rows(
            [{"code": "K", "aql": "1.0", "n": 50, "ac": 2, "re": 5},
             {"code": "K", "aql": "0.7", "n": 50, "ac": 2, "re": 5}]
        )  # fmt: skip
