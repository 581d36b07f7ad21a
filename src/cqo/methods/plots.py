"""Control charts, capability histograms and Pareto charts as SVG or PNG.

matplotlib draws without pyplot (a bare ``Figure`` has no global state, so the web app may render
in several threads) and with the Agg renderer for PNG. Text uses Noto Sans CJK when installed so
Chinese labels render, and falls back silently to matplotlib's default font. Every visible word is
a parameter: the web app passes translated labels, the defaults are Chinese.

SVG output is deterministic (fixed ``svg.hashsalt``, no date in the metadata, glyphs as paths), so
the same data always give the same bytes and tests can compare them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .errors import MethodsInputError

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei")

DEFAULT_TEXT: dict[str, str] = {
    "x": "样本",
    "y": "数值",
    "value": "观测值",
    "center": "中心线 CL",
    "ucl": "上控制限 UCL",
    "lcl": "下控制限 LCL",
    "violation": "失控点",
    "phase_1": "阶段 I",
    "phase_2": "阶段 II",
    "frequency": "频数",
    "lsl": "规格下限 LSL",
    "usl": "规格上限 USL",
    "target": "目标值",
    "within": "组内正态曲线",
    "overall": "整体正态曲线",
    "count": "频数",
    "cumulative": "累计百分比 (%)",
    "category": "类别",
}

RED = "#d62728"  # violations only, so they stand out from the limit lines
LIMIT = "#b03a2e"
SPEC = "#c0392b"
BLUE = "#1f77b4"
GREY = "#555555"
GREEN = "#2ca02c"
ORANGE = "#ff7f0e"


@lru_cache(maxsize=1)
def _font_families() -> tuple[str, ...]:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = tuple(name for name in CJK_FONTS if name in installed)
    # DejaVu Sans last: matplotlib falls back glyph by glyph along the list.
    return (*cjk, "DejaVu Sans")


def _text(overrides: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(DEFAULT_TEXT)
    if overrides:
        out.update(overrides)
    return out


def _render(build: Any, fmt: str, *, size: tuple[float, float], dpi: int) -> bytes:
    with rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": list(_font_families()),
            "axes.unicode_minus": False,
            "svg.hashsalt": "cqo-methods",
            "svg.fonttype": "path",
            "font.size": 9,
        }
    ):
        fig = Figure(figsize=size, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        build(fig)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _floats(values: Sequence[float | None], name: str) -> npt.NDArray[np.float64]:
    out = np.empty(len(values), dtype=np.float64)
    for i, v in enumerate(values):
        if v is None:
            out[i] = math.nan
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise MethodsInputError(f"{name}[{i}] is not a number: {v!r}") from None
    return out


# matplotlib computes margins, spans and tick positions from the data limits; past a quarter of
# the largest double (about 4.5e307) these overflow and it fails deep inside with a traceback.
_PLOT_MAX = np.finfo(np.float64).max / 4.0


def _check_plottable(*arrays: npt.NDArray[np.float64]) -> None:
    """Refuse values matplotlib cannot place on an axis, with a message instead of a crash."""
    biggest = 0.0
    for a in arrays:
        finite = a[np.isfinite(a)]
        if finite.size:
            biggest = max(biggest, float(np.max(np.abs(finite))))
    if biggest > _PLOT_MAX:
        raise MethodsInputError(
            f"values too large to chart: {biggest:.3g} is beyond what an axis can show "
            f"(magnitudes up to {_PLOT_MAX:.2g}); rescale the data, e.g. change the unit"
        )


def _same_length(n: int, **seqs: Sequence[Any]) -> None:
    for name, seq in seqs.items():
        if len(seq) != n:
            raise MethodsInputError(f"{name} has {len(seq)} entries for {n} points")


def _phase_key(value: str) -> str:
    key = str(value).strip().lower().replace("phase", "").replace("_", "").replace(" ", "")
    return {"i": "1", "1": "1", "ii": "2", "2": "2"}.get(key, "")


def _x_ticks(ax: Axes, labels: Sequence[str]) -> None:
    n = len(labels)
    step = max(1, math.ceil(n / 25))
    ticks = list(range(0, n, step))
    ax.set_xticks(ticks)
    long_labels = any(len(str(labels[i])) > 4 for i in ticks)
    ax.set_xticklabels(
        [str(labels[i]) for i in ticks],
        rotation=45 if long_labels or n > 12 else 0,
        ha="right" if long_labels or n > 12 else "center",
    )


def _control_chart(
    fig: Figure,
    *,
    title: str,
    labels: list[str],
    values: Sequence[float],
    center: float | Sequence[float],
    lcl: Sequence[float | None],
    ucl: Sequence[float | None],
    violations: list[list[str]],
    phase: list[str],
    text: dict[str, str],
) -> None:
    n = len(values)
    if n == 0:
        raise MethodsInputError("a control chart needs at least one point")
    _same_length(n, labels=labels, lcl=lcl, ucl=ucl, violations=violations, phase=phase)
    y = _floats(values, "values")
    lo = _floats(lcl, "lcl")
    hi = _floats(ucl, "ucl")
    if isinstance(center, int | float | np.number):
        cl = np.full(n, float(center))
    else:
        _same_length(n, center=center)
        cl = _floats(center, "center")
    _check_plottable(y, lo, hi, cl)
    x = np.arange(n)
    ax = fig.add_subplot()
    ax.set_title(title, pad=14)
    # steps-mid: with varying sample sizes each point has its own limits, drawn as a flat step.
    ax.plot(x, hi, color=LIMIT, lw=1, drawstyle="steps-mid", label=text["ucl"])
    ax.plot(x, cl, color=GREEN, lw=1, drawstyle="steps-mid", label=text["center"])
    ax.plot(x, lo, color=LIMIT, lw=1, drawstyle="steps-mid", label=text["lcl"])
    ax.plot(x, y, color=BLUE, lw=1, marker="o", ms=3, label=text["value"])
    bad = [i for i, v in enumerate(violations) if v]
    if bad:
        ax.plot(
            x[bad],
            y[bad],
            ls="none",
            marker="o",
            ms=6,
            color=RED,
            label=text["violation"],
            zorder=5,
        )
        for i in bad:
            if np.isfinite(y[i]):
                ax.annotate(
                    ",".join(violations[i]),
                    (x[i], y[i]),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=7,
                    color=RED,
                )
    boundaries = [i for i in range(1, n) if phase[i] != phase[i - 1]]
    for i in boundaries:
        ax.axvline(i - 0.5, color=GREY, ls="--", lw=1)
    starts = [0, *boundaries]
    ends = [*boundaries, n]
    if len(starts) > 1:
        for s, e in zip(starts, ends, strict=True):
            key = _phase_key(phase[s])
            name = text.get(f"phase_{key}", phase[s]) if key else str(phase[s])
            ax.text(
                (s + e - 1) / 2,
                1.01,
                name,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8,
                color=GREY,
            )
    _x_ticks(ax, labels)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_xlabel(text["x"])
    ax.set_ylabel(text["y"])
    ax.grid(axis="y", color="#dddddd", lw=0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def control_chart_svg(
    *,
    title: str,
    labels: list[str],
    values: Sequence[float],
    center: float | Sequence[float],
    lcl: Sequence[float | None],
    ucl: Sequence[float | None],
    violations: list[list[str]],
    phase: list[str],
    text: Mapping[str, str] | None = None,
    width: float = 9.0,
    height: float = 4.0,
) -> str:
    """A control chart: points, centre line and (per-point) limits, violations in red.

    A dashed vertical line separates phases (drawn wherever ``phase`` changes). ``None`` limits
    (e.g. no LCL) leave a gap. ``text`` overrides the default Chinese labels (keys of
    ``DEFAULT_TEXT``).
    """
    data = _render(
        lambda fig: _control_chart(
            fig,
            title=title,
            labels=labels,
            values=values,
            center=center,
            lcl=lcl,
            ucl=ucl,
            violations=violations,
            phase=phase,
            text=_text(text),
        ),
        "svg",
        size=(width, height),
        dpi=72,
    )
    return data.decode("utf-8")


def control_chart_png(
    *,
    title: str,
    labels: list[str],
    values: Sequence[float],
    center: float | Sequence[float],
    lcl: Sequence[float | None],
    ucl: Sequence[float | None],
    violations: list[list[str]],
    phase: list[str],
    text: Mapping[str, str] | None = None,
    width: float = 9.0,
    height: float = 4.0,
    dpi: int = 120,
) -> bytes:
    """The same chart as :func:`control_chart_svg` as PNG bytes."""
    return _render(
        lambda fig: _control_chart(
            fig,
            title=title,
            labels=labels,
            values=values,
            center=center,
            lcl=lcl,
            ucl=ucl,
            violations=violations,
            phase=phase,
            text=_text(text),
        ),
        "png",
        size=(width, height),
        dpi=dpi,
    )


def _normal_pdf(x: npt.NDArray[np.float64], mu: float, sigma: float) -> npt.NDArray[np.float64]:
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


def _histogram(
    fig: Figure,
    *,
    title: str,
    values: Sequence[float],
    lsl: float | None,
    usl: float | None,
    target: float | None,
    mean: float | None,
    sigma_within: float | None,
    sigma_overall: float | None,
    bins: int | None,
    text: dict[str, str],
) -> None:
    y = _floats(list(values), "values")
    y = y[np.isfinite(y)]
    if y.size == 0:
        raise MethodsInputError("a capability histogram needs at least one finite value")
    marks_in = [v for v in (lsl, usl, target, mean) if v is not None]
    # The normal curves reach 4σ either side of the mean.
    reach_in = [4.0 * s for s in (sigma_within, sigma_overall) if s is not None]
    _check_plottable(y, np.array(marks_in + reach_in, dtype=np.float64))
    mu = float(np.mean(y)) if mean is None else float(mean)
    s_overall = sigma_overall
    if s_overall is None and sigma_within is None and y.size > 1:
        s_overall = float(np.std(y, ddof=1))
    spread = [s for s in (sigma_within, s_overall) if s is not None and s > 0]
    reach = 4 * max(spread) if spread else 0.0
    marks = [v for v in (lsl, usl, target) if v is not None]
    lo = min([float(y.min()), mu - reach, *marks])
    hi = max([float(y.max()), mu + reach, *marks])
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    pad = 0.03 * (hi - lo)
    if not (math.isfinite(lo - pad) and math.isfinite(hi + pad)):
        # The mean or σ of values near the limit overflowed.
        raise MethodsInputError(
            "values too large to chart: the histogram's range overflows; rescale the data"
        )
    n_bins = bins or max(5, min(40, math.ceil(math.sqrt(y.size))))
    ax = fig.add_subplot()
    ax.set_title(title, pad=14)
    _, edges, _ = ax.hist(
        y, bins=n_bins, color="#9ecae1", edgecolor="white", label=text["frequency"]
    )
    width = float(edges[1] - edges[0]) if len(edges) > 1 else 1.0
    grid = np.linspace(lo - pad, hi + pad, 400)
    scale = y.size * width
    if sigma_within is not None and sigma_within > 0:
        ax.plot(
            grid,
            _normal_pdf(grid, mu, sigma_within) * scale,
            color=BLUE,
            lw=1.5,
            label=text["within"],
        )
    if s_overall is not None and s_overall > 0:
        ax.plot(
            grid,
            _normal_pdf(grid, mu, s_overall) * scale,
            color=ORANGE,
            lw=1.5,
            ls="--",
            label=text["overall"],
        )
    for value, key, color, style in (
        (lsl, "lsl", SPEC, "--"),
        (usl, "usl", SPEC, "--"),
        (target, "target", GREEN, "-."),
    ):
        if value is not None:
            ax.axvline(value, color=color, ls=style, lw=1.2, label=text[key])
            ax.text(
                value,
                1.01,
                text[key],
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=8,
                color=color,
            )
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylabel(text["frequency"])
    ax.set_xlabel(text["value"])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def capability_histogram_svg(
    *,
    title: str,
    values: Sequence[float],
    lsl: float | None = None,
    usl: float | None = None,
    target: float | None = None,
    mean: float | None = None,
    sigma_within: float | None = None,
    sigma_overall: float | None = None,
    bins: int | None = None,
    text: Mapping[str, str] | None = None,
    width: float = 8.0,
    height: float = 4.0,
) -> str:
    """Histogram of the data with normal curves (within and/or overall σ) and LSL/USL/target.

    Without any σ the overall curve uses the sample standard deviation (n − 1).
    """
    data = _render(
        lambda fig: _histogram(
            fig,
            title=title,
            values=values,
            lsl=lsl,
            usl=usl,
            target=target,
            mean=mean,
            sigma_within=sigma_within,
            sigma_overall=sigma_overall,
            bins=bins,
            text=_text(text),
        ),
        "svg",
        size=(width, height),
        dpi=72,
    )
    return data.decode("utf-8")


def capability_histogram_png(
    *,
    title: str,
    values: Sequence[float],
    lsl: float | None = None,
    usl: float | None = None,
    target: float | None = None,
    mean: float | None = None,
    sigma_within: float | None = None,
    sigma_overall: float | None = None,
    bins: int | None = None,
    text: Mapping[str, str] | None = None,
    width: float = 8.0,
    height: float = 4.0,
    dpi: int = 120,
) -> bytes:
    return _render(
        lambda fig: _histogram(
            fig,
            title=title,
            values=values,
            lsl=lsl,
            usl=usl,
            target=target,
            mean=mean,
            sigma_within=sigma_within,
            sigma_overall=sigma_overall,
            bins=bins,
            text=_text(text),
        ),
        "png",
        size=(width, height),
        dpi=dpi,
    )


def _pareto(
    fig: Figure,
    *,
    title: str,
    categories: Sequence[str],
    counts: Sequence[float],
    text: dict[str, str],
) -> None:
    if len(categories) == 0:
        raise MethodsInputError("a Pareto chart needs at least one category")
    _same_length(len(categories), counts=counts)
    c = _floats(list(counts), "counts")
    if np.any(~np.isfinite(c)) or np.any(c < 0):
        raise MethodsInputError("Pareto counts must be finite and not negative")
    total = float(c.sum())
    if total <= 0:
        raise MethodsInputError("Pareto counts are all zero")
    _check_plottable(np.array([total * 1.02]))
    # The bars are drawn in the order given: the caller passes the Pareto order (pareto.pareto).
    cum = np.cumsum(c) * 100.0 / total
    x = np.arange(len(c))
    ax = fig.add_subplot()
    ax.set_title(title, pad=14)
    ax.bar(x, c, color=BLUE, label=text["count"])
    ax.set_ylabel(text["count"])
    ax.set_ylim(0, total * 1.02)
    ax2 = ax.twinx()
    ax2.plot(x, cum, color=ORANGE, marker="o", ms=4, lw=1.5, label=text["cumulative"])
    ax2.axhline(80, color=GREY, ls=":", lw=1)
    ax2.set_ylim(0, 102)
    ax2.set_ylabel(text["cumulative"])
    for xi, ci in zip(x, cum, strict=True):
        ax2.annotate(
            f"{ci:.1f}%",
            (xi, ci),
            textcoords="offset points",
            xytext=(0, 5),
            ha="center",
            fontsize=7,
            color=ORANGE,
        )
    _x_ticks(ax, [str(s) for s in categories])
    ax.set_xlabel(text["category"])
    handles = [
        Patch(color=BLUE, label=text["count"]),
        Line2D([], [], color=ORANGE, marker="o", label=text["cumulative"]),
    ]
    ax.legend(handles=handles, loc="center right", fontsize=8, frameon=False)


def pareto_svg(
    *,
    title: str,
    categories: Sequence[str],
    counts: Sequence[float],
    text: Mapping[str, str] | None = None,
    width: float = 8.0,
    height: float = 4.0,
) -> str:
    """Bars of counts (in the order given) and the cumulative percent line on a 0–100 % axis."""
    data = _render(
        lambda fig: _pareto(
            fig, title=title, categories=categories, counts=counts, text=_text(text)
        ),
        "svg",
        size=(width, height),
        dpi=72,
    )
    return data.decode("utf-8")


def pareto_png(
    *,
    title: str,
    categories: Sequence[str],
    counts: Sequence[float],
    text: Mapping[str, str] | None = None,
    width: float = 8.0,
    height: float = 4.0,
    dpi: int = 120,
) -> bytes:
    return _render(
        lambda fig: _pareto(
            fig, title=title, categories=categories, counts=counts, text=_text(text)
        ),
        "png",
        size=(width, height),
        dpi=dpi,
    )
