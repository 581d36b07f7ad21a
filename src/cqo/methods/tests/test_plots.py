from __future__ import annotations

from typing import Any

import pytest

from cqo.methods import plots
from cqo.methods.errors import MethodsInputError


def _chart(**overrides: Any) -> dict[str, Any]:
    n = 30
    kwargs: dict[str, Any] = {
        "title": "X̄ 控制图",
        "labels": [str(i + 1) for i in range(n)],
        "values": [10 + ((i * 7) % 5 - 2) * 0.4 for i in range(n)],
        "center": 10.0,
        "lcl": [9.0] * n,
        "ucl": [11.0] * n,
        "violations": [[] for _ in range(n)],
        "phase": ["I"] * n,
    }
    kwargs.update(overrides)
    return kwargs


def test_the_same_chart_gives_the_same_svg_bytes() -> None:
    first = plots.control_chart_svg(**_chart())
    assert first == plots.control_chart_svg(**_chart())
    assert first.lstrip().startswith("<?xml")
    assert "<svg" in first
    assert "<dc:date>" not in first


def test_the_default_labels_are_chinese_and_the_caller_can_translate_them() -> None:
    chinese = plots.control_chart_svg(**_chart())
    assert "中心线" in chinese
    assert "上控制限" in chinese
    english = plots.control_chart_svg(**_chart(), text={"center": "Centre line", "ucl": "UCL"})
    assert "Centre line" in english
    assert "中心线" not in english


def test_violations_are_marked_in_red_with_their_rules() -> None:
    violations: list[list[str]] = [[] for _ in range(30)]
    violations[7] = ["we1", "nelson5"]
    marked = plots.control_chart_svg(**_chart(violations=violations))
    assert plots.RED in marked
    assert "we1,nelson5" in marked
    assert plots.RED not in plots.control_chart_svg(**_chart())


def test_a_dashed_line_separates_phase_i_from_phase_ii() -> None:
    split = plots.control_chart_svg(**_chart(phase=["I"] * 20 + ["II"] * 10))
    assert "stroke-dasharray" in split
    assert "阶段 II" in split
    assert "stroke-dasharray" not in plots.control_chart_svg(**_chart())


def test_per_point_limits_and_missing_limits_are_drawn() -> None:
    lcl: list[float | None] = [None] * 30
    ucl: list[float | None] = [11.0 + (i % 3) * 0.1 for i in range(30)]
    svg = plots.control_chart_svg(**_chart(lcl=lcl, ucl=ucl, center=[10.0] * 30))
    assert "<svg" in svg


def test_the_png_is_a_png() -> None:
    assert plots.control_chart_png(**_chart()).startswith(b"\x89PNG\r\n\x1a\n")


def test_mismatched_lengths_name_the_argument() -> None:
    with pytest.raises(MethodsInputError, match="lcl has 3 entries for 30 points"):
        plots.control_chart_svg(**_chart(lcl=[1.0, 2.0, 3.0]))


def test_a_capability_histogram_shows_the_specification_and_normal_curves() -> None:
    values = [74.0 + ((i * 37) % 23 - 11) * 0.001 for i in range(125)]
    kwargs: dict[str, Any] = {
        "title": "过程能力",
        "values": values,
        "lsl": 73.95,
        "usl": 74.05,
        "target": 74.0,
        "sigma_within": 0.0098,
        "sigma_overall": 0.0101,
    }
    svg = plots.capability_histogram_svg(**kwargs)
    assert svg == plots.capability_histogram_svg(**kwargs)
    for label in ("规格下限 LSL", "规格上限 USL", "目标值", "组内正态曲线", "整体正态曲线"):
        assert label in svg
    assert plots.capability_histogram_png(**kwargs).startswith(b"\x89PNG")


def test_a_capability_histogram_without_specs_or_sigma_uses_the_sample_sd() -> None:
    svg = plots.capability_histogram_svg(title="t", values=[1.0, 2.0, 2.5, 3.0])
    assert "整体正态曲线" in svg
    with pytest.raises(MethodsInputError, match="at least one finite value"):
        plots.capability_histogram_svg(title="t", values=[])


def test_a_pareto_chart_has_bars_and_the_cumulative_line() -> None:
    kwargs: dict[str, Any] = {
        "title": "帕累托图",
        "categories": ["contact num.", "price code", "supplier code"],
        "counts": [94, 80, 66],
    }
    svg = plots.pareto_svg(**kwargs)
    assert svg == plots.pareto_svg(**kwargs)
    assert "累计百分比" in svg
    assert "100.0%" in svg
    assert plots.pareto_png(**kwargs).startswith(b"\x89PNG")
    with pytest.raises(MethodsInputError, match="not negative"):
        plots.pareto_svg(title="t", categories=["a"], counts=[-1])
