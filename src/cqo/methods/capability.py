"""Process capability (ISO 22514-2 / AIAG SPC manual conventions, numbers as R's qcc).

* σ_within comes from the control chart's σ method: subgroups (R̄/d2 by default) when groups are
  given, else the moving range of span 2. σ_overall is the sample SD with n − 1 and no c4 (qcc;
  Minitab since release 15).
* Cp = (USL−LSL)/6σ_w, Cpu = (USL−μ)/3σ_w, Cpl = (μ−LSL)/3σ_w, Cpk = min(Cpl, Cpu),
  Cpm = Cp/√(1 + ((μ−T)/σ_w)²); Pp, Ppl, Ppu, Ppk the same with σ_overall.
* With one specification limit only the one-sided indices exist; the others are None.
* Expected fractions out of specification use the normal model with μ and σ_within; observed
  fractions count values strictly beyond a limit.
* Confidence intervals: Cp and Pp from the chi-square distribution of s² (ν = n − 1);
  Cpk, Cpl, Cpu, Ppk, Ppl, Ppu by Bissell's normal approximation.
* Normality: Anderson-Darling with the D'Agostino-Stephens small-sample adjustment; a small
  p-value gives a warning, never an error, because the indices are still what users report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from . import constants as K
from .charts import _quiet, estimate_sigma, subgroups_from_rows
from .errors import MethodsInputError
from .io import Table

NORMALITY_ALPHA = 0.05
MIN_NORMALITY_N = 8


@dataclass(frozen=True)
class NormalityCheck:
    test: str
    n: int
    statistic: float | None
    adjusted_statistic: float | None
    p_value: float | None
    normal: bool | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "statistic": self.statistic,
            "adjusted_statistic": self.adjusted_statistic,
            "p_value": self.p_value,
            "normal": self.normal,
        }


@_quiet
def anderson_darling(values: npt.ArrayLike) -> NormalityCheck:
    """A² against a normal with the sample mean and SD, and its approximate p-value.

    p-value from A*² = A²(1 + 0.75/n + 2.25/n²) with the piecewise formulas of D'Agostino and
    Stephens (1986), as Minitab reports it.
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = int(x.shape[0])
    sd = float(np.std(x, ddof=1)) if n > 1 else 0.0
    if n < MIN_NORMALITY_N or not (sd > 0 and math.isfinite(sd)):
        return NormalityCheck("anderson-darling", n, None, None, None, None)
    z = (x - float(np.mean(x))) / sd
    i = np.arange(1, n + 1, dtype=np.float64)
    # log cdf of the i-th and log sf of the (n+1-i)-th value: no log(0) in the tails.
    s = np.sum((2.0 * i - 1.0) * (stats.norm.logcdf(z) + stats.norm.logsf(z[::-1])))
    a2 = float(-n - s / n)
    a2s = a2 * (1.0 + 0.75 / n + 2.25 / (n * n))
    if a2s >= 0.6:
        p = math.exp(1.2937 - 5.709 * a2s + 0.0186 * a2s * a2s)
    elif a2s >= 0.34:
        p = math.exp(0.9177 - 4.279 * a2s - 1.38 * a2s * a2s)
    elif a2s >= 0.2:
        p = 1.0 - math.exp(-8.318 + 42.796 * a2s - 59.938 * a2s * a2s)
    else:
        p = 1.0 - math.exp(-13.436 + 101.14 * a2s - 223.73 * a2s * a2s)
    p = min(1.0, max(0.0, p))
    return NormalityCheck("anderson-darling", n, a2, a2s, p, p >= NORMALITY_ALPHA)


@dataclass(frozen=True)
class CapabilityResult:
    n: int
    mean: float
    sigma_within: float
    sigma_overall: float
    sigma_method: str
    constants: str
    lsl: float | None
    usl: float | None
    target: float | None
    cp: float | None
    cpl: float | None
    cpu: float | None
    cpk: float | None
    cpm: float | None
    pp: float | None
    ppl: float | None
    ppu: float | None
    ppk: float | None
    expected_below_lsl: float | None
    expected_above_usl: float | None
    observed_below_lsl: float | None
    observed_above_usl: float | None
    confidence: float
    intervals: dict[str, tuple[float | None, float | None]]
    normality: NormalityCheck
    warnings: list[str] = field(default_factory=list)

    CONTRACT = (
        "n", "mean", "sigma_within", "sigma_overall", "cp", "cpl", "cpu", "cpk", "cpm", "pp",
        "ppl", "ppu", "ppk", "expected_below_lsl", "expected_above_usl", "observed_below_lsl",
        "observed_above_usl",
    )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: _finite_or_none(getattr(self, k)) for k in self.CONTRACT}
        out["n"] = self.n
        out.update(
            {
                "lsl": self.lsl,
                "usl": self.usl,
                "target": self.target,
                "sigma_method": self.sigma_method,
                "constants": self.constants,
                "confidence": self.confidence,
                "intervals": {
                    k: [_finite_or_none(lo), _finite_or_none(hi)]
                    for k, (lo, hi) in self.intervals.items()
                },
                "normality": {
                    k: _finite_or_none(v) if isinstance(v, float) else v
                    for k, v in self.normality.as_dict().items()
                },
                "warnings": list(self.warnings),
            }
        )
        return out


def _finite_or_none(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        f = float(v)
        return f if math.isfinite(f) else None
    return v


def _spec(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise MethodsInputError(f"{name} must be a number, got '{value}'") from None
    if not math.isfinite(v):
        raise MethodsInputError(f"{name} must be a finite number, got '{value}'")
    return v


def _ratio(num: float, den: float) -> float:
    if den > 0:
        return num / den
    return math.nan if num == 0 else math.copysign(math.inf, num)


def _bissell(index: float | None, n: int, z: float) -> tuple[float | None, float | None]:
    if index is None or not math.isfinite(index) or n < 2:
        return None, None
    half = z * math.sqrt(1.0 / (9.0 * n) + index * index / (2.0 * (n - 1)))
    return index - half, index + half


def _chi2(index: float | None, n: int, alpha: float) -> tuple[float | None, float | None]:
    if index is None or not math.isfinite(index) or n < 2:
        return None, None
    nu = n - 1
    lo = index * math.sqrt(float(stats.chi2.ppf(alpha / 2.0, nu)) / nu)
    hi = index * math.sqrt(float(stats.chi2.ppf(1.0 - alpha / 2.0, nu)) / nu)
    return lo, hi


@_quiet
def capability(
    values: npt.ArrayLike,
    groups: Sequence[Any] | None = None,
    *,
    lsl: float | None = None,
    usl: float | None = None,
    target: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    confidence: float = 0.95,
    row_numbers: Sequence[int] | np.ndarray | None = None,
) -> CapabilityResult:
    """Capability of the given values (already restricted to phase I by the caller).

    ``row_numbers`` (spreadsheet row of each value) only serve error messages."""
    lo = _spec(lsl, "LSL")
    hi = _spec(usl, "USL")
    tgt = _spec(target, "target")
    if lo is None and hi is None:
        raise MethodsInputError("give at least one specification limit (--lsl and/or --usl)")
    if lo is not None and hi is not None and lo >= hi:
        raise MethodsInputError(f"LSL ({lo:g}) must be less than USL ({hi:g})")
    if not 0.0 < confidence < 1.0:
        raise MethodsInputError(f"confidence must be between 0 and 1, got {confidence:g}")
    mode = K.check_mode(constants)
    x = np.asarray(values, dtype=np.float64).ravel()
    n = int(x.shape[0])
    if n < 2:
        raise MethodsInputError(f"capability needs at least 2 values, got {n}")
    if not np.all(np.isfinite(x)):
        raise MethodsInputError("a value is not a finite number")
    data = subgroups_from_rows(x, groups, row_numbers=row_numbers)
    method = sigma_method or ("mr" if groups is None else "rbar")
    use = np.ones(data.k, dtype=bool)
    sigma_w = estimate_sigma(data, use, method, mode)
    with np.errstate(over="ignore", invalid="ignore"):
        mu = float(np.mean(x))
        sigma_o = float(np.std(x, ddof=1))
    warnings: list[str] = []
    if tgt is None and lo is not None and hi is not None:
        # qcc's default: the target is the middle of the specification.
        tgt = (lo + hi) / 2.0
    if tgt is not None and ((lo is not None and tgt < lo) or (hi is not None and tgt > hi)):
        warnings.append(f"the target {tgt:g} lies outside the specification limits")

    def indices(sig: float) -> tuple[float | None, float | None, float | None, float | None]:
        two = lo is not None and hi is not None
        p = _ratio(hi - lo, 6.0 * sig) if two else None  # type: ignore[operator]
        low = _ratio(mu - lo, 3.0 * sig) if lo is not None else None
        up = _ratio(hi - mu, 3.0 * sig) if hi is not None else None
        k = min(low, up) if two else None  # type: ignore[type-var]
        return p, low, up, k

    cp, cpl, cpu, cpk = indices(sigma_w)
    pp, ppl, ppu, ppk = indices(sigma_o)
    cpm = None
    if cp is not None and tgt is not None:
        # hypot(1, r) = √(1 + r²) without overflow for absurd inputs.
        cpm = cp / math.hypot(1.0, _ratio(mu - tgt, sigma_w))

    def normal_tail(limit: float | None, below: bool) -> float | None:
        if limit is None:
            return None
        if sigma_w > 0:
            zed = (limit - mu) / sigma_w
            return float(stats.norm.cdf(zed) if below else stats.norm.sf(zed))
        if below:
            return 1.0 if mu < limit else 0.0
        return 1.0 if mu > limit else 0.0

    exp_lo = normal_tail(lo, True)
    exp_hi = normal_tail(hi, False)
    obs_lo = float(np.count_nonzero(x < lo) / n) if lo is not None else None
    obs_hi = float(np.count_nonzero(x > hi) / n) if hi is not None else None

    alpha = 1.0 - confidence
    zq = float(stats.norm.ppf(1.0 - alpha / 2.0))
    intervals = {
        "cp": _chi2(cp, n, alpha),
        "cpl": _bissell(cpl, n, zq),
        "cpu": _bissell(cpu, n, zq),
        "cpk": _bissell(cpk, n, zq),
        "pp": _chi2(pp, n, alpha),
        "ppl": _bissell(ppl, n, zq),
        "ppu": _bissell(ppu, n, zq),
        "ppk": _bissell(ppk, n, zq),
    }
    normality = anderson_darling(x)
    if normality.normal is False:
        warnings.append(
            f"the data do not look normal (Anderson-Darling A² = {normality.statistic:.3f}, "
            f"p = {normality.p_value:.3g}): the indices and expected fractions assume a normal "
            "distribution"
        )
    elif normality.normal is None:
        warnings.append(
            f"normality not checked: needs at least {MIN_NORMALITY_N} values that are not all equal"
        )
    if not sigma_w > 0:
        warnings.append("σ within is 0: the Cp-family indices are not defined")
    if not sigma_o > 0:
        warnings.append("σ overall is 0: the Pp-family indices are not defined")
    return CapabilityResult(
        n=n,
        mean=mu,
        sigma_within=sigma_w,
        sigma_overall=sigma_o,
        sigma_method=method,
        constants=mode,
        lsl=lo,
        usl=hi,
        target=tgt,
        cp=cp,
        cpl=cpl,
        cpu=cpu,
        cpk=cpk,
        cpm=cpm,
        pp=pp,
        ppl=ppl,
        ppu=ppu,
        ppk=ppk,
        expected_below_lsl=exp_lo,
        expected_above_usl=exp_hi,
        observed_below_lsl=obs_lo,
        observed_above_usl=obs_hi,
        confidence=confidence,
        intervals=intervals,
        normality=normality,
        warnings=warnings,
    )


@_quiet
def capability_from_table(
    table: Table,
    *,
    value: str,
    group: str | None = None,
    phase1: str | None = None,
    lsl: float | None = None,
    usl: float | None = None,
    target: float | None = None,
    sigma_method: str | None = None,
    constants: str = "exact",
    confidence: float = 0.95,
) -> CapabilityResult:
    """Capability from named columns, using only the phase I rows when ``phase1`` is given."""
    # Check the specification first: a bad LSL/USL is the cheaper mistake to report.
    lo, hi = _spec(lsl, "LSL"), _spec(usl, "USL")
    if lo is not None and hi is not None and lo >= hi:
        raise MethodsInputError(f"LSL ({lo:g}) must be less than USL ({hi:g})")
    if table.n_rows == 0:
        raise MethodsInputError("the input has no data rows")
    x = table.numeric(value)
    groups = table.text(group) if group else None
    rows = table.rows()
    if phase1:
        keep = table.boolean(phase1)
        if not keep.any():
            raise MethodsInputError(f"no row is marked phase I in column '{phase1}'")
        x = x[keep]
        rows = rows[keep]
        if groups is not None:
            groups = [g for g, k in zip(groups, keep.tolist(), strict=True) if k]
    return capability(
        x,
        groups,
        lsl=lo,
        usl=hi,
        target=target,
        sigma_method=sigma_method,
        constants=constants,
        confidence=confidence,
        row_numbers=rows,
    )
