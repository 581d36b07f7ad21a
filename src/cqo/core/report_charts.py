"""The report's charts, drawn with matplotlib (no pyplot, so the job may draw in any thread) as
inline SVG for WeasyPrint. A chart is the plain data of ``cqo.core.report_sections.Chart``; a
missing value (None) is left out of the drawing, never drawn as zero."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cqo.core.report_sections import Chart

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei")
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, ...]:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return (*(name for name in CJK_FONTS if name in installed), "DejaVu Sans")


def _numbers(values: Sequence[Any]) -> list[float]:
    # Drawing is the one place a float is allowed: the figures printed stay Decimal.
    return [math.nan if v is None or isinstance(v, str) else float(Decimal(v)) for v in values]


def _draw(fig: Figure, chart: Chart) -> None:
    labels = [str(label) for label in chart.labels]
    ax = fig.add_subplot()
    series = [(str(name), _numbers(values)) for name, values in chart.series]
    x = list(range(len(labels)))
    if chart.kind == "pie":
        name, values = series[0]
        shown = [(label, v) for label, v in zip(labels, values, strict=True) if v == v and v > 0]
        ax.pie([v for _l, v in shown], labels=[label for label, _v in shown],
               colors=COLOURS[: len(shown)] or None, autopct="%1.1f%%", startangle=90,
               counterclock=False)  # fmt: skip
        ax.axis("equal")
    elif chart.kind == "pareto":
        name, values = series[0]
        pairs = sorted(
            ((label, v) for label, v in zip(labels, values, strict=True) if v == v and v > 0),
            key=lambda p: -p[1],
        )
        total = sum(v for _l, v in pairs) or 1.0
        xs: list[float] = [float(i) for i in range(len(pairs))]
        ax.bar(xs, [v for _l, v in pairs], color=COLOURS[0], label=name)
        ax.set_xticks(xs, [label for label, _v in pairs], rotation=30, ha="right")
        running, cumulative = 0.0, []
        for _l, v in pairs:
            running += v
            cumulative.append(running * 100 / total)
        twin = ax.twinx()
        twin.plot(xs, cumulative, color=COLOURS[3], marker="o")
        twin.set_ylim(0, 105)
        twin.set_ylabel("%")
    elif chart.kind == "line":
        for i, (name, values) in enumerate(series):
            ax.plot(x, values, marker="o", color=COLOURS[i % len(COLOURS)], label=name)
        ax.set_xticks(x, labels, rotation=30 if len(labels) > 6 else 0, ha="right")
    else:
        stacked = chart.kind == "stacked_bar"
        width = 0.8 if stacked else 0.8 / max(len(series), 1)
        bottom = [0.0] * len(labels)
        for i, (name, values) in enumerate(series):
            clean = [0.0 if v != v else v for v in values]
            if stacked:
                ax.bar(x, clean, width, bottom=bottom, color=COLOURS[i % len(COLOURS)], label=name)
                bottom = [b + v for b, v in zip(bottom, clean, strict=True)]
            else:
                offset = (i - (len(series) - 1) / 2) * width
                xs = [p + offset for p, v in zip(x, values, strict=True) if v == v]
                ax.bar(xs, [v for v in values if v == v], width,
                       color=COLOURS[i % len(COLOURS)], label=name)  # fmt: skip
        ax.set_xticks(x, labels, rotation=30 if len(labels) > 6 else 0, ha="right")
    if chart.unit and chart.kind != "pie":
        ax.set_ylabel(str(chart.unit))
    if len(series) > 1 and chart.kind != "pie":
        ax.legend(fontsize=7, loc="best")
    ax.set_title(str(chart.title), fontsize=10)


def chart_png(chart: Chart, *, size: tuple[float, float] = (6.4, 2.8), dpi: int = 150) -> str:
    """The chart as a PNG ``data:`` URL for an ``<img>`` in the PDF's HTML. PNG rather than SVG:
    WeasyPrint lays out a PNG at a fraction of the cost of a chart's vector paths."""
    import base64

    with rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": list(_fonts()),
            "axes.unicode_minus": False,
            "font.size": 8,
        }
    ):
        fig = Figure(figsize=size, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        _draw(fig, chart)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def chart_svg(chart: Chart, *, size: tuple[float, float] = (6.4, 2.8)) -> str:
    """The chart as an ``<svg>`` element (without the XML prologue) to place in the HTML."""
    with rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": list(_fonts()),
            "axes.unicode_minus": False,
            "svg.hashsalt": "cqo-reports",
            "svg.fonttype": "path",
            "font.size": 8,
        }
    ):
        fig = Figure(figsize=size, dpi=72, layout="constrained")
        FigureCanvasAgg(fig)
        _draw(fig, chart)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]
