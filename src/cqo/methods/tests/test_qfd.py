from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqo.methods import qfd
from cqo.methods.errors import MethodsInputError

REQS = ["易于开启", "密封良好", "外观美观"]
WEIGHTS = [5, 3, 2]
CHARS = ["开启力", "密封压力", "表面粗糙度"]
REL = [
    [9, 3, None],
    ["", 9, 1],
    [0, "△", "◎"],
]


def _house(**kwargs: object) -> qfd.HouseOfQuality:
    return qfd.house_of_quality(REQS, WEIGHTS, CHARS, REL, **kwargs)  # type: ignore[arg-type]


def test_technical_importance_is_the_weighted_sum_of_relationships() -> None:
    house = _house()
    assert house.technical_importance == (45.0, 15 + 27 + 2, 3 + 18)
    total = 45 + 44 + 21
    assert house.relative_importance == pytest.approx(
        (45 * 100 / total, 44 * 100 / total, 21 * 100 / total)
    )
    assert house.rank == (1, 2, 3)
    assert house.relationships[2] == (0, 1, 9)


def test_equal_importance_shares_a_rank() -> None:
    house = qfd.house_of_quality(["a"], [1], ["x", "y", "z"], [[3, 9, 3]])
    assert house.rank == (2, 1, 2)


def test_the_roof_accepts_symbols_and_fills_a_triangle_symmetrically() -> None:
    roof = [
        [None, "++", "−"],
        [None, None, "--"],
        [None, None, None],
    ]
    house = _house(correlations=roof)
    assert house.correlations == ((0, 2, -1), (2, 0, -2), (-1, -2, 0))
    assert house.conflicts() == [("开启力", "表面粗糙度", -1), ("密封压力", "表面粗糙度", -2)]


def test_the_roof_may_be_given_as_pairs() -> None:
    house = _house(correlations={("开启力", "密封压力"): -2, ("密封压力", "开启力"): "--"})
    assert house.correlations[1][0] == -2


def test_targets_and_directions_are_kept_per_characteristic() -> None:
    house = _house(targets=["≤ 20 N", 1.5, None], directions=["min", "↑", "target"])
    assert house.directions == ("min", "max", "target")
    assert house.targets == ("≤ 20 N", 1.5, None)
    out = house.as_dict()
    assert out["characteristics"][0]["direction"] == "min"  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        (
            {"relationships": [[9, 5, 0], [0, 0, 0], [0, 0, 0]]},
            "relationship of requirement '易于开启' to characteristic '密封压力' must be 9, 3, 1",
        ),
        ({"relationships": [[9, 3], [0, 9, 1], [0, 1, 9]]}, "row of requirement '易于开启'"),
        ({"relationships": [[9, 3, 0]]}, "1 rows for 3 requirements"),
        ({"weights": [5, -1, 2]}, "weight of requirement '密封良好'"),
        ({"weights": [5, 3]}, "3 customer requirements but 2 weights"),
        ({"weights": [0, 0, 0]}, "no weighted relationships"),
        ({"characteristics": ["开启力", "开启力", "x"]}, "listed twice"),
        ({"correlations": [[0, 1, 0], [-1, 0, 0], [0, 0, 0]]}, "not symmetric"),
        ({"correlations": [[0, 3, 0], [0, 0, 0], [0, 0, 0]]}, "correlation of '开启力' with"),
        ({"correlations": [[0, 1], [1, 0]]}, "3 × 3 matrix"),
        ({"correlations": {("开启力", "重量"): 1}}, "unknown characteristic '重量'"),
        ({"directions": ["up", "sideways", None]}, "direction of improvement of '密封压力'"),
        ({"targets": [1, 2]}, "2 targets for 3"),
    ],
)
def test_bad_input_names_the_requirement_or_characteristic(
    kwargs: dict[str, object], words: str
) -> None:
    args: dict[str, object] = {
        "requirements": REQS,
        "weights": WEIGHTS,
        "characteristics": CHARS,
        "relationships": REL,
    }
    args.update(kwargs)
    with pytest.raises(MethodsInputError, match=words):
        qfd.house_of_quality(**args)  # type: ignore[arg-type]


@given(
    weights=st.lists(st.integers(1, 5), min_size=1, max_size=6),
    data=st.data(),
)
def test_relative_importance_sums_to_100(weights: list[int], data: st.DataObject) -> None:
    m = data.draw(st.integers(1, 6))
    rel = [
        data.draw(st.lists(st.sampled_from([0, 1, 3, 9]), min_size=m, max_size=m)) for _ in weights
    ]
    if not any(any(row) for row in rel):
        return
    house = qfd.house_of_quality(
        [f"r{i}" for i in range(len(weights))], weights, [f"c{j}" for j in range(m)], rel
    )
    assert sum(house.relative_importance) == pytest.approx(100.0)
    assert all(t >= 0 for t in house.technical_importance)
