"""The report's charts, drawn with matplotlib (no pyplot, so the job may draw in any thread) as
PNG images inline in the PDF's HTML, with margins fitted to their labels. A chart is the plain data of ``cqo.core.report_sections.Chart``; a
missing value (None) is left out of the drawing, never drawn as zero."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from functools import lru_cache
from typing import Any

from matplotlib import font_manager, rc_context, rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

from cqo.core.pdf import InlineImage
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


def _units(text: str) -> int:
    # A Chinese character is about twice as wide as a Latin letter.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


LINE_UNITS = 22
MAX_LINES = 3


def _wrapped(label: str) -> str:
    """A long label on up to three lines of about 22 Latin letters (11 Chinese characters),
    broken at spaces where it has them, cut with an ellipsis past the third line: a chart's
    label has to fit beside its bar, the full name is in the table beside the chart."""
    lines: list[str] = []
    rest = label.strip()
    while rest and len(lines) < MAX_LINES:
        if _units(rest) <= LINE_UNITS:
            lines.append(rest)
            rest = ""
            break
        cut, used = 0, 0
        for i, ch in enumerate(rest):
            used += _units(ch)
            if used > LINE_UNITS:
                break
            cut = i + 1
        space = rest.rfind(" ", 0, cut + 1)
        if space > cut // 2:
            cut = space
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        last = lines[-1]
        while last and _units(last) + 1 > LINE_UNITS:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return "\n".join(lines)


def _draw(fig: Figure, chart: Chart) -> None:
    labels = [_wrapped(str(label)) for label in chart.labels]
    ax = fig.add_subplot()
    series = [(str(name), _numbers(values)) for name, values in chart.series]
    x = list(range(len(labels)))
    # Side by side, the labels get about 90 letters' width in all; more than that, turned.
    widest = max((_units(line) for label in labels for line in label.split("\n")), default=0)
    rotation = 30 if len(labels) > 6 or widest * len(labels) > 90 else 0
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
        ax.set_xticks(x, labels, rotation=rotation, ha="right" if rotation else "center")
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
        ax.set_xticks(x, labels, rotation=rotation, ha="right" if rotation else "center")
    if chart.unit and chart.kind != "pie":
        ax.set_ylabel(str(chart.unit))
    if len(series) > 1 and chart.kind != "pie":
        ax.legend(fontsize=7, loc="best")
    # A pie's labels sit around it, the top one close under the title: give it room. The title's
    # height is fixed (y=1): left to matplotlib, it is placed by measuring every tick label.
    ax.set_title(str(chart.title), fontsize=10, pad=14 if chart.kind == "pie" else 6, y=1.0)


# The figure's own margins, in points, around what is measured (tick marks and their padding are
# matplotlib's defaults: 3.5 pt each).
_PAD_PT = 4.0
_TICK_PT = 3.5 + 3.5
_LABEL_PAD_PT = 4.0


def _text_px(renderer: Any, text: str, size: float) -> tuple[float, float]:
    if not text:
        return 0.0, 0.0
    width, height, _descent = renderer.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return width, height


def _tick_strings(axis: Any) -> list[str]:
    locator, formatter = axis.get_major_locator(), axis.get_major_formatter()
    low, high = sorted(axis.get_view_interval())
    locs = [
        loc
        for loc in locator()
        if low - 1e-9 * abs(high - low) <= loc <= high + 1e-9 * abs(high - low)
    ]
    return [str(s) for s in formatter.format_ticks(locs)] + [str(formatter.get_offset())]


def _fit(fig: Figure, chart: Chart) -> None:
    """Set the figure's margins so every label fits, measuring only the few texts that decide
    them. Matplotlib's constrained layout gets the same result by laying the whole figure out
    twice before drawing it: about half of a report's chart time (issue 12: the annual report
    PDF in 5 s)."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    px = fig.dpi / 72.0
    width_px, height_px = fig.bbox.width, fig.bbox.height
    ax, *twins = fig.axes
    size = float(rcParams["font.size"])
    title_h = _text_px(renderer, str(chart.title), 10)[1]
    if chart.kind == "pie":
        # The slices' labels sit around the pie and move with its size: measure them where they
        # fall and shrink the pie by what still reaches out, twice at most.
        top, bottom = title_h + (14 + _PAD_PT) * px, _PAD_PT * px
        for _round in range(2):
            fig.subplots_adjust(
                left=0.02, right=0.98, bottom=bottom / height_px, top=1 - top / height_px
            )
            boxes = [text.get_window_extent(renderer) for text in ax.texts if text.get_text()]
            if not boxes:
                return
            frame = ax.get_window_extent(renderer)
            over_top = max(box.y1 for box in boxes) - (frame.y1 + 6 * px)
            over_bottom = _PAD_PT * px - min(box.y0 for box in boxes)
            if over_top <= 0 and over_bottom <= 0:
                return
            top += max(0.0, over_top) * 1.3
            bottom += max(0.0, over_bottom) * 1.3
        fig.subplots_adjust(bottom=bottom / height_px, top=1 - top / height_px)
        return

    # The y axis's widest tick label and its offset text ("1e6"), its title; the same on the
    # right for a Pareto's cumulative axis.
    def side(axis_ax: Any) -> float:
        ticks = [_text_px(renderer, t, size) for t in _tick_strings(axis_ax.yaxis)]
        label = axis_ax.yaxis.get_label().get_text()
        label_w = _text_px(renderer, label, size)[1] + _LABEL_PAD_PT * px if label else 0.0
        return max((w for w, _h in ticks), default=0.0) + _TICK_PT * px + label_w + _PAD_PT * px

    left, right = side(ax), (side(twins[0]) if twins else _PAD_PT * px)
    offset_h = max(
        _text_px(renderer, str(a.yaxis.get_major_formatter().get_offset()), size)[1]
        for a in fig.axes
    )
    top = max(title_h, offset_h) + (6 + _PAD_PT) * px
    # The x axis's labels as matplotlib lays them out (turned, on up to three lines): they reach
    # down by their box's height, and sideways from their tick by the box's width to the left
    # when anchored at their right end, by half of it either way when centred.
    labels = [label for label in ax.get_xticklabels() if label.get_text()]
    bottom = _PAD_PT * px + _TICK_PT * px
    if labels:
        centred = labels[0].get_horizontalalignment() == "center"
        boxes = [label.get_window_extent(renderer) for label in labels]
        bottom += max(box.height for box in boxes)
        fig.subplots_adjust(left=left / width_px, right=1 - right / width_px)
        frame = ax.get_window_extent(renderer)
        reach_left = reach_right = 0.0
        for box, tick in zip(boxes, ax.get_xticks(), strict=False):
            tick_x = ax.transData.transform((tick, 0))[0]
            to_left = box.width / 2 if centred else box.width
            reach_left = max(reach_left, to_left - (tick_x - frame.x0) - left + _PAD_PT * px)
            if centred:
                reach_right = max(
                    reach_right, box.width / 2 - (frame.x1 - tick_x) - right + _PAD_PT * px
                )
        left += max(0.0, reach_left)
        right += max(0.0, reach_right)
    fig.subplots_adjust(
        left=min(left / width_px, 0.45),
        right=max(1 - right / width_px, 0.55),
        bottom=min(bottom / height_px, 0.6),
        top=max(1 - top / height_px, 0.65),
    )


def chart_figure(chart: Chart, *, size: tuple[float, float] = (6.4, 2.8), dpi: int = 150) -> Figure:
    """The chart drawn on a figure of its own, its margins fitted to its labels."""
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    _draw(fig, chart)
    _fit(fig, chart)
    return fig


def chart_style() -> AbstractContextManager[None]:
    """matplotlib's settings for a report chart, to draw or measure one within."""
    return rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": list(_fonts()),
            "axes.unicode_minus": False,
            "font.size": 8,
        }
    )


def chart_png(
    chart: Chart, *, size: tuple[float, float] = (6.4, 2.8), dpi: int = 150
) -> InlineImage:
    """The chart as a PNG image to carry with the PDF (the template prints it as the ``src`` of
    an ``<img>``). PNG rather than SVG: WeasyPrint lays out a PNG at a fraction of the cost of a
    chart's vector paths. Opaque RGB: the page is white, and an alpha channel would make
    WeasyPrint split it into a second image."""
    with chart_style():
        fig = chart_figure(chart, size=size, dpi=dpi)
        canvas = fig.canvas
        canvas.draw()
        rgba = canvas.buffer_rgba()  # type: ignore[attr-defined]
        image = Image.frombuffer("RGBA", (int(rgba.shape[1]), int(rgba.shape[0])), rgba)
        buf = io.BytesIO()
        # The fastest compression: WeasyPrint decodes the PNG and compresses it again anyway.
        image.convert("RGB").save(buf, format="PNG", dpi=(dpi, dpi), compress_level=1)
    return InlineImage(buf.getvalue())
