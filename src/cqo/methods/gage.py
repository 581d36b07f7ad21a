"""Gage R&R for a crossed study by the ANOVA method (AIAG MSA, 4th edition, 2010).

Every part is measured by every operator the same number of times. The two-way ANOVA with
interaction gives mean squares for parts (P), operators (O), part × operator (PO) and repeatability
(E). When the interaction is not significant (p > alpha, AIAG: 0.05) it is pooled into the error
term before the variance components are formed. Negative component estimates are set to zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .errors import MethodsInputError
from .io import Table

COMPONENTS: tuple[str, ...] = (
    "repeatability",
    "reproducibility",
    "operator",
    "interaction",
    "gage_rr",
    "part",
    "total",
)
# AIAG's number of distinct categories uses 1.41 (≈ √2) and truncates to an integer.
NDC_FACTOR = 1.41


@dataclass(frozen=True)
class AnovaRow:
    source: str
    df: int
    ss: float
    ms: float
    f: float | None
    p: float | None


@dataclass(frozen=True)
class GageRRResult:
    parts: tuple[str, ...]
    operators: tuple[str, ...]
    trials: int
    anova: tuple[AnovaRow, ...]
    interaction_p: float
    interaction_pooled: bool
    variance: dict[str, float]
    std_dev: dict[str, float]
    study_var: dict[str, float]
    percent_contribution: dict[str, float]
    percent_study_var: dict[str, float]
    percent_tolerance: dict[str, float] | None
    ndc: int | None
    study_var_multiplier: float

    def as_dict(self) -> dict[str, object]:
        return {
            "variance": dict(self.variance),
            "percent_contribution": dict(self.percent_contribution),
            "percent_study_var": dict(self.percent_study_var),
            "percent_tolerance": (
                None if self.percent_tolerance is None else dict(self.percent_tolerance)
            ),
            "ndc": self.ndc,
            "interaction_p": self.interaction_p,
            "interaction_pooled": self.interaction_pooled,
            "parts": len(self.parts),
            "operators": len(self.operators),
            "trials": self.trials,
            "study_var_multiplier": self.study_var_multiplier,
            "anova": [
                {"source": r.source, "df": r.df, "ss": r.ss, "ms": r.ms, "f": r.f, "p": r.p}
                for r in self.anova
            ],
        }


def _cube(
    parts: Sequence[object], operators: Sequence[object], values: Sequence[float] | np.ndarray
) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    if not len(parts) == len(operators) == len(values):
        raise MethodsInputError(
            f"parts ({len(parts)}), operators ({len(operators)}) and values ({len(values)}) "
            "must have the same length"
        )
    cells: dict[tuple[str, str], list[float]] = {}
    part_order: dict[str, None] = {}
    op_order: dict[str, None] = {}
    for i, (p_raw, o_raw, v_raw) in enumerate(zip(parts, operators, values, strict=True)):
        p, o = str(p_raw).strip(), str(o_raw).strip()
        if p == "":
            raise MethodsInputError(f"measurement {i + 1} has an empty part")
        if o == "":
            raise MethodsInputError(f"measurement {i + 1} has an empty operator")
        try:
            v = float(v_raw)
        except (TypeError, ValueError):
            raise MethodsInputError(f"measurement {i + 1} is not a number: {v_raw!r}") from None
        if not math.isfinite(v):
            raise MethodsInputError(f"measurement {i + 1} is not a finite number")
        part_order.setdefault(p)
        op_order.setdefault(o)
        cells.setdefault((p, o), []).append(v)
    part_ids, op_ids = tuple(part_order), tuple(op_order)
    if len(part_ids) < 2:
        raise MethodsInputError("a Gage R&R study needs at least 2 parts")
    if len(op_ids) < 2:
        raise MethodsInputError("a Gage R&R study needs at least 2 operators")
    for p in part_ids:
        for o in op_ids:
            if (p, o) not in cells:
                raise MethodsInputError(
                    f"unbalanced design: part '{p}' was not measured by operator '{o}'"
                )
    trials = len(cells[(part_ids[0], op_ids[0])])
    for (p, o), vals in cells.items():
        if len(vals) != trials:
            raise MethodsInputError(
                f"unbalanced design: part '{p}' by operator '{o}' has {len(vals)} measurements, "
                f"but part '{part_ids[0]}' by operator '{op_ids[0]}' has {trials}; every part × "
                "operator cell needs the same number of trials"
            )
    if trials < 2:
        raise MethodsInputError(
            "each operator must measure each part at least twice (repeatability needs trials)"
        )
    y = np.empty((len(part_ids), len(op_ids), trials))
    for i, p in enumerate(part_ids):
        for j, o in enumerate(op_ids):
            y[i, j, :] = cells[(p, o)]
    return part_ids, op_ids, y


def _f_test(ms: float, ms_den: float, df: int, df_den: int) -> tuple[float | None, float]:
    if ms_den > 0:
        f = ms / ms_den
        return f, float(stats.f.sf(f, df, df_den))
    # A zero error term: any spread in the numerator is infinitely significant, none is not.
    return None, (0.0 if ms > 0 else 1.0)


def gage_rr(
    parts: Sequence[object],
    operators: Sequence[object],
    values: Sequence[float] | np.ndarray,
    *,
    lsl: float | None = None,
    usl: float | None = None,
    alpha: float = 0.05,
    study_var_multiplier: float = 6.0,
) -> GageRRResult:
    """Crossed Gage R&R by ANOVA; one entry per measurement in the three sequences."""
    if (lsl is None) != (usl is None):
        raise MethodsInputError("% tolerance needs both lsl and usl (or neither)")
    tolerance: float | None = None
    if lsl is not None and usl is not None:
        if not (math.isfinite(lsl) and math.isfinite(usl)):
            raise MethodsInputError("lsl and usl must be finite numbers")
        if lsl >= usl:
            raise MethodsInputError(f"lsl ({lsl:g}) must be smaller than usl ({usl:g})")
        tolerance = usl - lsl
    if not 0 < alpha < 1:
        raise MethodsInputError(f"alpha must be between 0 and 1, got {alpha:g}")
    if not study_var_multiplier > 0:
        raise MethodsInputError("study_var_multiplier must be positive")

    part_ids, op_ids, y = _cube(parts, operators, values)
    n_p, n_o, n_r = y.shape
    grand = y.mean()
    part_means = y.mean(axis=(1, 2))
    op_means = y.mean(axis=(0, 2))
    cell_means = y.mean(axis=2)
    ss_p = n_o * n_r * float(np.sum((part_means - grand) ** 2))
    ss_o = n_p * n_r * float(np.sum((op_means - grand) ** 2))
    ss_po = n_r * float(np.sum((cell_means - part_means[:, None] - op_means[None, :] + grand) ** 2))
    ss_e = float(np.sum((y - cell_means[:, :, None]) ** 2))
    ss_t = float(np.sum((y - grand) ** 2))
    df_p, df_o = n_p - 1, n_o - 1
    df_po, df_e = df_p * df_o, n_p * n_o * (n_r - 1)
    ms_p, ms_o, ms_po, ms_e = ss_p / df_p, ss_o / df_o, ss_po / df_po, ss_e / df_e

    f_po, p_po = _f_test(ms_po, ms_e, df_po, df_e)
    anova: tuple[AnovaRow, ...]
    pooled = p_po > alpha
    if pooled:
        df_err = df_po + df_e
        ms_err = (ss_po + ss_e) / df_err
        f_p, p_p = _f_test(ms_p, ms_err, df_p, df_err)
        f_o, p_o = _f_test(ms_o, ms_err, df_o, df_err)
        var_rep = ms_err
        var_int = 0.0
        var_op = (ms_o - ms_err) / (n_p * n_r)
        var_part = (ms_p - ms_err) / (n_o * n_r)
        anova = (
            AnovaRow("part", df_p, ss_p, ms_p, f_p, p_p),
            AnovaRow("operator", df_o, ss_o, ms_o, f_o, p_o),
            AnovaRow("repeatability", df_err, ss_po + ss_e, ms_err, None, None),
            AnovaRow("total", n_p * n_o * n_r - 1, ss_t, ss_t / (n_p * n_o * n_r - 1), None, None),
        )
    else:
        # Parts and operators are tested against the interaction in the random-effects model.
        f_p, p_p = _f_test(ms_p, ms_po, df_p, df_po)
        f_o, p_o = _f_test(ms_o, ms_po, df_o, df_po)
        var_rep = ms_e
        var_int = (ms_po - ms_e) / n_r
        var_op = (ms_o - ms_po) / (n_p * n_r)
        var_part = (ms_p - ms_po) / (n_o * n_r)
        anova = (
            AnovaRow("part", df_p, ss_p, ms_p, f_p, p_p),
            AnovaRow("operator", df_o, ss_o, ms_o, f_o, p_o),
            AnovaRow("part_x_operator", df_po, ss_po, ms_po, f_po, p_po),
            AnovaRow("repeatability", df_e, ss_e, ms_e, None, None),
            AnovaRow("total", n_p * n_o * n_r - 1, ss_t, ss_t / (n_p * n_o * n_r - 1), None, None),
        )
    var_rep, var_int, var_op, var_part = (max(v, 0.0) for v in (var_rep, var_int, var_op, var_part))
    var_reprod = var_op + var_int
    var_grr = var_rep + var_reprod
    var_total = var_grr + var_part
    variance = {
        "repeatability": var_rep,
        "reproducibility": var_reprod,
        "operator": var_op,
        "interaction": var_int,
        "gage_rr": var_grr,
        "part": var_part,
        "total": var_total,
    }
    sd = {k: math.sqrt(v) for k, v in variance.items()}
    sv = {k: study_var_multiplier * s for k, s in sd.items()}
    if var_total > 0:
        pct_contrib = {k: v / var_total * 100.0 for k, v in variance.items()}
        pct_sv = {k: s / sd["total"] * 100.0 for k, s in sd.items()}
    else:
        raise MethodsInputError("all measurements are equal: there is no variation to analyse")
    pct_tol = None if tolerance is None else {k: s / tolerance * 100.0 for k, s in sv.items()}
    ndc = math.floor(NDC_FACTOR * sd["part"] / sd["gage_rr"]) if sd["gage_rr"] > 0 else None
    return GageRRResult(
        parts=part_ids,
        operators=op_ids,
        trials=n_r,
        anova=anova,
        interaction_p=float(p_po),
        interaction_pooled=bool(pooled),
        variance=variance,
        std_dev=sd,
        study_var=sv,
        percent_contribution=pct_contrib,
        percent_study_var=pct_sv,
        percent_tolerance=pct_tol,
        ndc=ndc,
        study_var_multiplier=float(study_var_multiplier),
    )


def gage_rr_from_table(
    table: Table,
    part: str,
    operator: str,
    value: str,
    *,
    lsl: float | None = None,
    usl: float | None = None,
    alpha: float = 0.05,
    study_var_multiplier: float = 6.0,
) -> GageRRResult:
    parts = table.text(part)
    ops = table.text(operator)
    values = table.numeric(value)
    for i, (p, o) in enumerate(zip(parts, ops, strict=True)):
        if not p.strip():
            raise MethodsInputError("the part is empty", row=table.row(i), column=part)
        if not o.strip():
            raise MethodsInputError("the operator is empty", row=table.row(i), column=operator)
    return gage_rr(
        parts,
        ops,
        values,
        lsl=lsl,
        usl=usl,
        alpha=alpha,
        study_var_multiplier=study_var_multiplier,
    )
