from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqo.methods import pareto
from cqo.methods.errors import MethodsInputError
from cqo.methods.io import read_table, read_text

FIXTURES = Path(__file__).parent / "fixtures"
ORACLE = json.loads((FIXTURES / "oracle_other_methods.json").read_text(encoding="utf-8"))


def test_it_reproduces_the_qcc_vignette_pareto_table() -> None:
    table = read_table(FIXTURES / "pareto_qcc_vignette.csv")
    result = pareto.pareto_from_table(table, "defect", "count")
    case = ORACLE["pareto"]
    assert [item.category for item in result.items] == case["order"]
    assert [round(item.cumulative_percent, 2) for item in result.items] == case[
        "cumulative_percent"
    ]
    assert result.items[0].count == 94
    assert result.items[0].percent == pytest.approx(94 / 300 * 100)


def test_it_counts_occurrences_when_there_is_no_count_column() -> None:
    table = read_text("defect\nscratch\ndent\nscratch\ncrack\nscratch\ndent\n")
    result = pareto.pareto_from_table(table, "defect")
    assert [(i.category, i.count) for i in result.items] == [
        ("scratch", 3),
        ("dent", 2),
        ("crack", 1),
    ]
    assert result.items[-1].cumulative_percent == 100.0


def test_ties_keep_the_order_of_first_appearance() -> None:
    result = pareto.pareto(["b", "a", "c", "d"], [5, 5, 9, 5])
    assert [i.category for i in result.items] == ["c", "b", "a", "d"]


def test_a_category_listed_twice_has_its_counts_added() -> None:
    result = pareto.pareto(["a", "b", "a"], [1, 3, 4])
    assert [(i.category, i.count) for i in result.items] == [("a", 5), ("b", 3)]


def test_chinese_categories_are_kept_as_written() -> None:
    result = pareto.pareto(["划伤", "尺寸超差", "划伤"])
    assert result.items[0].category == "划伤"


@pytest.mark.parametrize(
    ("csv", "args", "words"),
    [
        ("d,n\na,3\nb,-1\n", ("d", "n"), "row 3, column 'n': a count cannot be negative"),
        ("d,n\na,3\nb,x\n", ("d", "n"), "row 3, column 'n': 'x' is not a number"),
        ("d,n\na,3\n,2\n", ("d", "n"), "row 3, column 'd': the category is empty"),
        ("d,n\na,0\nb,0\n", ("d", "n"), "all counts are zero"),
        ("d,n\na,1\n", ("defect", "n"), "no column 'defect'"),
    ],
)
def test_bad_input_names_the_row_and_column(csv: str, args: tuple[str, str], words: str) -> None:
    with pytest.raises(MethodsInputError, match=words):
        pareto.pareto_from_table(read_text(csv), *args)


counts = st.lists(st.integers(0, 10_000), min_size=1, max_size=30).filter(lambda c: sum(c) > 0)


@given(values=counts)
def test_percents_sum_to_100_and_the_cumulative_ends_at_100(values: list[int]) -> None:
    result = pareto.pareto([f"c{i}" for i in range(len(values))], values)
    assert math.fsum(i.percent for i in result.items) == pytest.approx(100.0)
    cumulative = [i.cumulative_percent for i in result.items]
    assert cumulative[-1] == 100.0
    assert all(b >= a for a, b in itertools.pairwise(cumulative))
    ordered = [i.count for i in result.items]
    assert ordered == sorted(ordered, reverse=True)
