"""Control chart constants d2, d3, c4 and the factors derived from them.

Two modes:

* ``"exact"`` (default): d2 and d3 are moments of the range of n independent standard normal
  values, integrated numerically from the studentized range distribution with infinite degrees
  of freedom; c4 comes from the gamma function. Any n >= 2 works; values are cached per n.
* ``"table"``: the 3-decimal d2 and the d3 that R's qcc and the printed textbook tables use, for
  n = 2..25, so that limits agree with qcc digit for digit. c4 is exact in both modes (qcc
  computes it too). Beyond n = 25 there is no table and the exact value is used.

Derived factors are computed from d2, d3, c4 of the chosen mode, never rounded separately.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import integrate, special, stats

from .errors import MethodsInputError

ConstantsMode = Literal["exact", "table"]
MODES: tuple[str, ...] = ("exact", "table")

TABLE_MAX_N = 25

# qcc / textbook tables, n = 2..25 (methods-notes.md).
_D2_TABLE: tuple[float, ...] = (
    1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336,
    3.407, 3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931,
)  # fmt: skip
_D3_TABLE: tuple[float, ...] = (
    0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378, 0.8078413,
    0.7970584, 0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217, 0.7499188, 0.7440627,
    0.7386021, 0.7334929, 0.7286980, 0.7241851, 0.7199267, 0.7158987, 0.7120802, 0.7084528,
)  # fmt: skip


def check_mode(mode: str) -> ConstantsMode:
    if mode not in MODES:
        raise MethodsInputError(f"constants must be 'exact' or 'table', got '{mode}'")
    return mode  # type: ignore[return-value]


def _check_n(n: int) -> int:
    if isinstance(n, bool) or int(n) != n or n < 2:
        raise MethodsInputError(f"control chart constants need a subgroup size n >= 2, got {n}")
    return int(n)


def _range_sf(x: float, n: int) -> float:
    # With infinite degrees of freedom the studentized range is the range of n standard normals.
    return float(stats.studentized_range.sf(x, n, np.inf))


@cache
def _range_moments(n: int) -> tuple[float, float]:
    """E[R] and E[R^2] of the range of n standard normal values (R >= 0, so E[R] = ∫ sf)."""
    first = integrate.quad(_range_sf, 0.0, np.inf, args=(n,), limit=200, epsabs=1e-13)[0]
    second = integrate.quad(
        lambda x: 2.0 * x * _range_sf(x, n), 0.0, np.inf, limit=200, epsabs=1e-13
    )[0]
    return float(first), float(second)


def d2_exact(n: int) -> float:
    return _range_moments(_check_n(n))[0]


def d3_exact(n: int) -> float:
    mean, second = _range_moments(_check_n(n))
    return math.sqrt(second - mean * mean)


@cache
def _c4(n: int) -> float:
    # gammaln keeps large n finite where the plain gamma ratio would overflow.
    log_ratio = special.gammaln(n / 2.0) - special.gammaln((n - 1) / 2.0)
    return math.sqrt(2.0 / (n - 1)) * math.exp(log_ratio)


def c4(n: int) -> float:
    """c4(n) = E[s]/σ for a sample of n normal values (exact in both modes)."""
    return _c4(_check_n(n))


def d2(n: int, mode: str = "exact") -> float:
    """E[R]/σ for subgroups of n."""
    n = _check_n(n)
    if check_mode(mode) == "table" and n <= TABLE_MAX_N:
        return _D2_TABLE[n - 2]
    return d2_exact(n)


def d3(n: int, mode: str = "exact") -> float:
    """SD(R)/σ for subgroups of n."""
    n = _check_n(n)
    if check_mode(mode) == "table" and n <= TABLE_MAX_N:
        return _D3_TABLE[n - 2]
    return d3_exact(n)


def _vectorised(
    fn: object, sizes: npt.ArrayLike, mode: str | None = None
) -> npt.NDArray[np.float64]:
    arr = np.asarray(sizes)
    flat = arr.ravel()
    uniq, inverse = np.unique(flat, return_inverse=True)
    if mode is None:
        vals = np.array([fn(int(u)) for u in uniq], dtype=np.float64)  # type: ignore[operator]
    else:
        vals = np.array([fn(int(u), mode) for u in uniq], dtype=np.float64)  # type: ignore[operator]
    return vals[inverse].reshape(arr.shape)


def d2_array(sizes: npt.ArrayLike, mode: str = "exact") -> npt.NDArray[np.float64]:
    """d2 for each subgroup size (one integration per distinct size, not per subgroup)."""
    return _vectorised(d2, sizes, mode)


def d3_array(sizes: npt.ArrayLike, mode: str = "exact") -> npt.NDArray[np.float64]:
    return _vectorised(d3, sizes, mode)


def c4_array(sizes: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return _vectorised(c4, sizes)


@dataclass(frozen=True)
class ChartConstants:
    """All factors for one subgroup size in one mode."""

    n: int
    mode: str
    d2: float
    d3: float
    c4: float
    A2: float
    A3: float
    B3: float
    B4: float
    D3: float
    D4: float
    E2: float


def chart_constants(n: int, mode: str = "exact") -> ChartConstants:
    n = _check_n(n)
    mode = check_mode(mode)
    d2_n, d3_n, c4_n = d2(n, mode), d3(n, mode), c4(n)
    s_factor = 3.0 * math.sqrt(1.0 - c4_n * c4_n) / c4_n
    r_factor = 3.0 * d3_n / d2_n
    return ChartConstants(
        n=n,
        mode=mode,
        d2=d2_n,
        d3=d3_n,
        c4=c4_n,
        A2=3.0 / (d2_n * math.sqrt(n)),
        A3=3.0 / (c4_n * math.sqrt(n)),
        B3=max(0.0, 1.0 - s_factor),
        B4=1.0 + s_factor,
        D3=max(0.0, 1.0 - r_factor),
        D4=1.0 + r_factor,
        E2=3.0 / d2_n,
    )
