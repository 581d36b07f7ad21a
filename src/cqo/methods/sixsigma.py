"""Six Sigma metrics: DPMO, sigma level with the 1.5σ shift, yield, and the way back.

Convention (Motorola; Harry & Schroeder): a process whose long-term defect rate is DPMO is
credited with the short-term sigma level Z = Φ⁻¹(1 − DPMO/10⁶) + 1.5, i.e. the mean is assumed to
drift by 1.5σ in the long run. So 3.4 DPMO is "6σ" and 66 807 DPMO is "3σ". The shift is a
parameter for users whose organisation quotes sigma levels without it (shift = 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from .errors import MethodsInputError

SHIFT = 1.5
MILLION = 1_000_000.0


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool):
        raise MethodsInputError(f"{name} must be a number, got {value!r}")
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MethodsInputError(f"{name} must be a number, got '{value}'") from None
    if not math.isfinite(out):
        raise MethodsInputError(f"{name} must be a finite number, got '{value}'")
    return out


def dpmo(defects: object, units: object, opportunities: object = 1) -> float:
    """Defects per million opportunities = defects / (units × opportunities per unit) × 10⁶."""
    d = _finite(defects, "defects")
    u = _finite(units, "units")
    o = _finite(opportunities, "opportunities")
    if d < 0:
        raise MethodsInputError(f"defects must not be negative, got {d:g}")
    if u <= 0:
        raise MethodsInputError(f"units must be positive, got {u:g}")
    if o <= 0:
        raise MethodsInputError(f"opportunities per unit must be positive, got {o:g}")
    if d > u * o:
        raise MethodsInputError(
            f"defects ({d:g}) exceed the opportunities ({u:g} units × {o:g} = {u * o:g})"
        )
    return d / (u * o) * MILLION


def _check_dpmo(value: object) -> float:
    x = _finite(value, "dpmo")
    if not 0.0 < x < MILLION:
        # Both ends map to an infinite sigma level, which no report can print.
        raise MethodsInputError(
            f"dpmo must be greater than 0 and less than 1,000,000, got {x:g} "
            "(the sigma level is unbounded at 0 and at 1,000,000)"
        )
    return x


def sigma_level(dpmo_value: object, *, shift: float = SHIFT) -> float:
    """Short-term sigma level Φ⁻¹(1 − DPMO/10⁶) + shift."""
    x = _check_dpmo(dpmo_value)
    # isf(q) = Φ⁻¹(1 − q) without losing digits to 1 − q when DPMO is a few parts per million.
    return float(stats.norm.isf(x / MILLION)) + _finite(shift, "shift")


def process_yield(dpmo_value: object) -> float:
    """Yield as a fraction: 1 − DPMO/10⁶ (the share of opportunities without a defect)."""
    x = _finite(dpmo_value, "dpmo")
    if not 0.0 <= x <= MILLION:
        raise MethodsInputError(f"dpmo must be between 0 and 1,000,000, got {x:g}")
    return 1.0 - x / MILLION


def dpmo_from_sigma(level: object, *, shift: float = SHIFT) -> float:
    """The inverse of :func:`sigma_level`: 10⁶ × (1 − Φ(Z − shift))."""
    z = _finite(level, "sigma level")
    return float(stats.norm.sf(z - _finite(shift, "shift"))) * MILLION


def dpmo_from_yield(fraction: object) -> float:
    y = _finite(fraction, "yield")
    if not 0.0 <= y <= 1.0:
        raise MethodsInputError(f"yield must be a fraction between 0 and 1, got {y:g}")
    return (1.0 - y) * MILLION


@dataclass(frozen=True)
class SigmaSummary:
    dpmo: float
    sigma_level: float
    yield_fraction: float
    shift: float

    def as_dict(self) -> dict[str, float]:
        return {
            "dpmo": self.dpmo,
            "sigma_level": self.sigma_level,
            "yield": self.yield_fraction,
            "shift": self.shift,
        }


def summarize(dpmo_value: object, *, shift: float = SHIFT) -> SigmaSummary:
    x = _check_dpmo(dpmo_value)
    return SigmaSummary(
        dpmo=x,
        sigma_level=sigma_level(x, shift=shift),
        yield_fraction=process_yield(x),
        shift=float(shift),
    )
