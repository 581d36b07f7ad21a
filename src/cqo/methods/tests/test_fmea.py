from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from cqo.methods import fmea
from cqo.methods.errors import MethodsInputError


def test_all_1000_triples_give_318_high_214_medium_468_low() -> None:
    counts = Counter(
        fmea.action_priority(s, o, d)
        for s in range(1, 11)
        for o in range(1, 11)
        for d in range(1, 11)
    )
    assert counts == {"H": 318, "M": 214, "L": 468}
    assert fmea.priority_counts() == {"H": 318, "M": 214, "L": 468}


@pytest.mark.parametrize(
    ("s", "o", "d", "ap"),
    [
        (10, 10, 10, "H"),
        (9, 8, 1, "H"),
        (10, 4, 1, "M"),
        (9, 2, 5, "M"),
        (9, 2, 4, "L"),
        (10, 1, 10, "L"),
        (8, 6, 1, "M"),
        (7, 4, 7, "H"),
        (7, 2, 5, "M"),
        (6, 8, 5, "H"),
        (5, 8, 4, "M"),
        (4, 6, 1, "L"),
        (6, 4, 7, "M"),
        (6, 4, 6, "L"),
        (3, 9, 7, "M"),
        (2, 8, 4, "L"),
        (1, 10, 10, "L"),
    ],
)
def test_known_cells_of_the_aiag_vda_table(s: int, o: int, d: int, ap: str) -> None:
    assert fmea.action_priority(s, o, d) == ap


def test_the_priority_is_not_a_function_of_rpn() -> None:
    by_rpn: dict[int, set[str]] = defaultdict(set)
    for s in range(1, 11):
        for o in range(1, 11):
            for d in range(1, 11):
                by_rpn[s * o * d].add(fmea.action_priority(s, o, d))
    assert fmea.action_priority(9, 5, 2) == "H"
    assert fmea.action_priority(5, 9, 2) == "M"
    assert len(by_rpn[90]) > 1
    # A high severity with a low RPN can still be high priority.
    assert fmea.action_priority(9, 4, 2) == "H"


def test_ratings_may_be_given_as_text_or_whole_floats() -> None:
    assert fmea.action_priority("9", 5.0, " 2 ") == "H"


@pytest.mark.parametrize(
    ("s", "o", "d", "words"),
    [
        (0, 5, 5, "severity must be a whole number from 1 to 10, got '0'"),
        (11, 5, 5, "severity .* got '11'"),
        (5, 5.5, 5, "occurrence .* got '5.5'"),
        (5, 5, "high", "detection .* got 'high'"),
        (5, 5, "", "detection"),
        (True, 5, 5, "severity"),
    ],
)
def test_a_rating_outside_1_to_10_is_rejected_naming_it(
    s: object, o: object, d: object, words: str
) -> None:
    with pytest.raises(MethodsInputError, match=words):
        fmea.action_priority(s, o, d)
