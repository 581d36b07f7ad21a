"""FMEA Action Priority (AIAG & VDA FMEA Handbook, 1st edition 2019) for DFMEA and PFMEA.

The priority (H high, M medium, L low) is read from the handbook's table by severity, occurrence
and detection bands. It is deliberately not computed from RPN = S × O × D: the table weighs severity
first, then occurrence, then detection, so equal RPNs can get different priorities: S 9, O 5,
D 2 → H but S 5, O 9, D 2 → M, both RPN 90. FMEA-MSR uses another table (severity, frequency,
monitoring), not this one.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np

from .errors import MethodsInputError
from .io import read_table

_TABLE_PATH = Path(__file__).resolve().parent / "data" / "aiag_vda_2019_fmea_action_priority.csv"
PRIORITIES = ("H", "M", "L")
_GRID: list[np.ndarray] = []


def _load() -> np.ndarray:
    """A 10 × 10 × 10 array of 'H'/'M'/'L', indexed [S-1, O-1, D-1]; checked to cover every cell."""
    if _GRID:
        return _GRID[0]
    table = read_table(_TABLE_PATH)
    grid = np.full((10, 10, 10), "", dtype="<U1")
    columns = ("s_min", "s_max", "o_min", "o_max", "d_min", "d_max")
    bounds = [table.numeric(c).astype(int) for c in columns]
    for i, ap in enumerate(table.text("ap")):
        s0, s1, o0, o1, d0, d1 = (int(b[i]) for b in bounds)
        if ap not in PRIORITIES or np.any(grid[s0 - 1 : s1, o0 - 1 : o1, d0 - 1 : d1] != ""):
            raise AssertionError(f"Action Priority table row {i + 2} is invalid or overlaps")
        grid[s0 - 1 : s1, o0 - 1 : o1, d0 - 1 : d1] = ap
    if np.any(grid == ""):
        raise AssertionError("the Action Priority table leaves some (S, O, D) cells empty")
    _GRID.append(grid)
    return grid


def _rating(value: object, name: str) -> int:
    if isinstance(value, bool):
        raise MethodsInputError(f"{name} must be a whole number from 1 to 10, got {value!r}")
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise MethodsInputError(
            f"{name} must be a whole number from 1 to 10, got '{text}'"
        ) from None
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= 10:
        raise MethodsInputError(f"{name} must be a whole number from 1 to 10, got '{text}'")
    return int(number)


def action_priority(severity: object, occurrence: object, detection: object) -> str:
    """'H', 'M' or 'L' for one failure mode; each rating a whole number 1–10."""
    s = _rating(severity, "severity")
    o = _rating(occurrence, "occurrence")
    d = _rating(detection, "detection")
    return str(_load()[s - 1, o - 1, d - 1])


def priority_counts() -> dict[str, int]:
    """How many of the 1,000 (S, O, D) triples get each priority (the handbook: 318/214/468)."""
    counts = Counter(str(x) for x in _load().ravel())
    return {p: counts.get(p, 0) for p in PRIORITIES}
