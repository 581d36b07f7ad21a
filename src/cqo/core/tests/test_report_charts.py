"""The report's charts fit their own labels: the margins are measured, not left to matplotlib's
constrained layout, so a label that reaches outside the figure would be cut off in the PDF."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from cqo.core import report_charts
from cqo.core.report_sections import CHART_KINDS, Chart

LONG_LATIN = "Nonconformity handling (sorting, review and rework)"
LONG_CHINESE = "质量人才队伍建设及教育培训和质量提升奖励"


def _chart(kind: str, labels: list[str], big: bool) -> Chart:
    scale = Decimal("1234567.89") if big else Decimal("12.5")
    first = [scale * (i + 1) for i in range(len(labels))]
    series: list[tuple[str, list[Decimal | None]]] = [("Actual", list(first))]
    if kind in ("bar", "stacked_bar", "line"):
        series.append(("Target 目标", [v / 2 for v in first]))
    return Chart(kind=kind, title="A title 标题", labels=labels, series=series, unit="yuan 元")


LABEL_SETS = {
    "two short": ["A", "B"],
    "twelve months": [f"2026-{m:02d}" for m in range(1, 13)],
    "long latin": [LONG_LATIN, "Scrap", "Claims", LONG_LATIN + " again"],
    "long chinese": [LONG_CHINESE, "计量", "标准", "技术与创新", "质量品牌"],
    "many long": [f"{LONG_LATIN} {i}" for i in range(9)],
}


@pytest.mark.parametrize("kind", sorted(CHART_KINDS))
@pytest.mark.parametrize("labels", sorted(LABEL_SETS))
@pytest.mark.parametrize("big", [False, True], ids=["small-values", "millions"])
def test_every_label_of_a_chart_lies_inside_its_figure(kind: str, labels: str, big: bool) -> None:
    chart = _chart(kind, LABEL_SETS[labels], big)
    with report_charts.chart_style():
        fig = report_charts.chart_figure(chart)
        fig.canvas.draw()
        drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    width, height = fig.get_size_inches()
    tolerance = 0.02  # inches: a few pixels of anti-aliasing at 150 dpi
    assert drawn.x0 >= -tolerance and drawn.y0 >= -tolerance, (drawn.bounds, kind, labels)
    assert drawn.x1 <= width + tolerance and drawn.y1 <= height + tolerance, (
        drawn.bounds,
        kind,
        labels,
    )


def test_the_plot_keeps_most_of_the_figure_when_its_labels_are_short() -> None:
    with report_charts.chart_style():
        fig = report_charts.chart_figure(_chart("bar", LABEL_SETS["twelve months"], False))
    box = fig.axes[0].get_position()
    assert box.width > 0.8 and box.height > 0.6


def test_a_chart_prints_as_an_opaque_png_of_its_size() -> None:
    image = report_charts.chart_png(_chart("pareto", LABEL_SETS["long chinese"], True))
    assert str(image).startswith("cqo-image:")
    png = Image.open(io.BytesIO(image.data))
    assert png.mode == "RGB"
    assert png.size == (960, 420)
