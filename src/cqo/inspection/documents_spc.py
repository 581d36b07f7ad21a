"""The capability report of a characteristic as a page part and as a PDF (WeasyPrint, Noto CJK,
the histogram drawn by ``cqo.methods.plots`` as inline SVG), in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from cqo.core.pdf import render_pdf
from cqo.masterdata.models import Characteristic
from cqo.methods import plots

from . import selectors_spc as sel

INDICES = ("cp", "cpk", "cpl", "cpu", "cpm", "pp", "ppk", "ppl", "ppu")


def words() -> dict[str, str]:
    return {
        "frequency": _("Frequency"),
        "value": _("Value"),
        "lsl": _("LSL"),
        "usl": _("USL"),
        "target": _("Target"),
        "curve": _("Normal curve (overall σ)"),
    }


def tone_word(tone: str) -> str:
    return {
        "danger": _("Not capable (Cpk < 1.0)"),
        "warning": _("Marginal (Cpk < 1.33)"),
        "ok": _("Capable"),
    }.get(tone, "")


def capability_rows(cap: sel.Capability) -> list[dict[str, Any]]:
    """Each index with its confidence interval, as the page and the PDF show them."""
    r = cap.result
    if r is None:
        return []
    out = []
    for name in INDICES:
        value = getattr(r, name)
        low, high = r.intervals.get(name, (None, None))
        out.append(
            {
                "name": name.capitalize(),
                "key": name,
                "value": value,
                "low": low,
                "high": high,
                "tone": sel.cpk_tone(value) if name == "cpk" else "",
            }
        )
    return out


def normality_text(cap: sel.Capability) -> str:
    r = cap.result
    if r is None:
        return ""
    check = r.normality
    if check.normal is None:
        return _("Normality not checked: it needs at least 8 values that are not all equal.")
    params = {"a2": f"{check.statistic:.3f}", "p": f"{check.p_value:.3g}"}
    if check.normal:
        return (
            _("Anderson-Darling A² = %(a2)s, p = %(p)s: no evidence against a normal distribution.")
            % params
        )
    return (
        _(
            "Anderson-Darling A² = %(a2)s, p = %(p)s: the data do not look normal; the indices "
            "and the expected fractions assume a normal distribution."
        )
        % params
    )


def histogram_svg(cap: sel.Capability) -> str:
    r = cap.result
    ch = cap.characteristic
    if r is None or cap.values.shape[0] == 0:
        return ""
    svg = plots.capability_histogram_svg(
        title=f"{ch.item.part_number} · {ch.code}",
        values=cap.values.tolist(),
        lsl=r.lsl,
        usl=r.usl,
        target=r.target,
        mean=r.mean,
        sigma_within=r.sigma_within if r.sigma_within > 0 else None,
        sigma_overall=r.sigma_overall if r.sigma_overall > 0 else None,
        text={
            "frequency": _("Frequency"),
            "value": _("Value"),
            "lsl": _("LSL"),
            "usl": _("USL"),
            "target": _("Target"),
            "within": _("Normal curve (σ within)"),
            "overall": _("Normal curve (overall σ)"),
        },
        width=6.8,
        height=2.6,
    )
    # The XML declaration and doctype are not allowed inside an HTML body.
    return svg[svg.index("<svg") :]


def capability_context(characteristic: Characteristic, *, svg: bool = True) -> dict[str, Any]:
    cap = sel.capability_of(characteristic)
    return {
        "characteristic": characteristic,
        "cap": cap,
        "rows": capability_rows(cap),
        "normality": normality_text(cap),
        "tone": tone_word(cap.tone),
        # The page draws its own histogram (ECharts); the PDF needs the drawing itself.
        "histogram_svg": histogram_svg(cap) if svg else "",
        "window": sel.CAPABILITY_SUBGROUPS,
    }


def capability_pdf(characteristic: Characteristic, *, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        ctx = capability_context(characteristic)
    ctx["document_id"] = f"CAP-{characteristic.item.part_number}-{characteristic.code}"
    return render_pdf("inspection/spc/pdf/capability.html", ctx, language=language)
