"""QFD house of quality: technical importance from customer weights and 9/3/1 relationships.

Rooms of the house handled here: customer requirements (WHATs) with importance weights, technical
characteristics (HOWs), the relationship matrix, the correlation roof between HOWs, and the
targets and directions of improvement of each HOW. The computation is Akao's independent scoring
method: technical importance of HOW j = Σ_i weight_i × relationship_ij, relative importance = its
share of the sum, in percent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import MethodsInputError

# Symbols users type in Chinese and Japanese QFD sheets: ◎ strong, ○ medium, △ weak.
_RELATION_SYMBOLS = {"◎": 9, "●": 9, "○": 3, "△": 1, "▲": 1}
_CORRELATION_SYMBOLS = {
    "++": 2,
    "+": 1,
    "-": -1,
    "−": -1,
    "--": -2,
    "−−": -2,
    "0": 0,
    "": 0,
}
DIRECTIONS = {
    "max": "max",
    "maximize": "max",
    "up": "max",
    "↑": "max",
    "▲": "max",
    "min": "min",
    "minimize": "min",
    "down": "min",
    "↓": "min",
    "▼": "min",
    "target": "target",
    "nominal": "target",
    "○": "target",
    "◎": "target",
}


@dataclass(frozen=True)
class HouseOfQuality:
    requirements: tuple[str, ...]
    weights: tuple[float, ...]
    characteristics: tuple[str, ...]
    relationships: tuple[tuple[int, ...], ...]
    technical_importance: tuple[float, ...]
    relative_importance: tuple[float, ...]
    rank: tuple[int, ...]
    correlations: tuple[tuple[int, ...], ...]
    targets: tuple[object | None, ...]
    directions: tuple[str | None, ...]

    def conflicts(self) -> list[tuple[str, str, int]]:
        """Pairs of characteristics that work against each other (negative roof cells)."""
        out = []
        m = len(self.characteristics)
        for i in range(m):
            for j in range(i + 1, m):
                if self.correlations[i][j] < 0:
                    out.append(
                        (self.characteristics[i], self.characteristics[j], self.correlations[i][j])
                    )
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "requirements": [
                {"name": r, "weight": w}
                for r, w in zip(self.requirements, self.weights, strict=True)
            ],
            "characteristics": [
                {
                    "name": c,
                    "technical_importance": self.technical_importance[j],
                    "relative_importance": self.relative_importance[j],
                    "rank": self.rank[j],
                    "target": self.targets[j],
                    "direction": self.directions[j],
                }
                for j, c in enumerate(self.characteristics)
            ],
            "relationships": [list(r) for r in self.relationships],
            "correlations": [list(r) for r in self.correlations],
            "conflicts": [{"a": a, "b": b, "strength": s} for a, b, s in self.conflicts()],
        }


def _names(values: Sequence[object], what: str) -> tuple[str, ...]:
    out = tuple("" if v is None else str(v).strip() for v in values)
    if not out:
        raise MethodsInputError(f"give at least one {what}")
    for i, name in enumerate(out):
        if name == "":
            raise MethodsInputError(f"{what} {i + 1} has no name")
    seen: set[str] = set()
    for name in out:
        if name in seen:
            raise MethodsInputError(f"{what} '{name}' is listed twice")
        seen.add(name)
    return out


def _relation(value: object, req: str, char: str) -> int:
    where = f"relationship of requirement '{req}' to characteristic '{char}'"
    if value is None:
        return 0
    if isinstance(value, bool):
        raise MethodsInputError(f"{where} must be 9, 3, 1 or blank, got {value!r}")
    text = str(value).strip()
    if text in _RELATION_SYMBOLS:
        return _RELATION_SYMBOLS[text]
    if text == "":
        return 0
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if number in (0.0, 1.0, 3.0, 9.0):
        return int(number)
    raise MethodsInputError(f"{where} must be 9, 3, 1 or blank (0), got '{text}'")


def _correlation(value: object, a: str, b: str) -> int:
    where = f"correlation of '{a}' with '{b}'"
    if value is None:
        return 0
    if isinstance(value, bool):
        raise MethodsInputError(f"{where} must be ++, +, −, −− or -2..2, got {value!r}")
    text = str(value).strip()
    if text in _CORRELATION_SYMBOLS:
        return _CORRELATION_SYMBOLS[text]
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if number in (-2.0, -1.0, 0.0, 1.0, 2.0):
        return int(number)
    raise MethodsInputError(f"{where} must be ++, +, −, −− or a whole number -2..2, got '{text}'")


def _roof(
    correlations: Sequence[Sequence[object]] | Mapping[tuple[str, str], object] | None,
    chars: tuple[str, ...],
) -> tuple[tuple[int, ...], ...]:
    m = len(chars)
    roof = [[0] * m for _ in range(m)]
    if correlations is None:
        return tuple(tuple(r) for r in roof)
    index = {c: j for j, c in enumerate(chars)}
    if isinstance(correlations, Mapping):
        for key, value in correlations.items():
            a, b = key
            for name in (a, b):
                if name not in index:
                    raise MethodsInputError(f"correlation names unknown characteristic '{name}'")
            if a == b:
                raise MethodsInputError(f"correlation of '{a}' with itself is not part of the roof")
            v = _correlation(value, a, b)
            i, j = index[a], index[b]
            if (b, a) in correlations and _correlation(correlations[(b, a)], b, a) != v:
                raise MethodsInputError(
                    f"correlation of '{a}' with '{b}' differs from '{b}' with '{a}'"
                )
            roof[i][j] = roof[j][i] = v
        return tuple(tuple(r) for r in roof)
    if len(correlations) != m or any(len(row) != m for row in correlations):
        raise MethodsInputError(
            f"the correlation roof must be a {m} × {m} matrix, one row and column per "
            "technical characteristic"
        )
    cells = [
        [_correlation(correlations[i][j], chars[i], chars[j]) for j in range(m)] for i in range(m)
    ]
    for i in range(m):
        for j in range(i + 1, m):
            # A roof drawn as a triangle fills one side only: the blank side takes the other's.
            upper, lower = cells[i][j], cells[j][i]
            if upper != 0 and lower != 0 and upper != lower:
                raise MethodsInputError(
                    f"the correlation roof is not symmetric: '{chars[i]}' with '{chars[j]}' is "
                    f"{upper}, but '{chars[j]}' with '{chars[i]}' is {lower}"
                )
            roof[i][j] = roof[j][i] = upper or lower
    return tuple(tuple(r) for r in roof)


def _direction(value: object, char: str) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    key = str(value).strip()
    found = DIRECTIONS.get(key) or DIRECTIONS.get(key.lower())
    if found is None:
        raise MethodsInputError(
            f"direction of improvement of '{char}' must be max (↑), min (↓) or target (○), "
            f"got '{key}'"
        )
    return found


def house_of_quality(
    requirements: Sequence[object],
    weights: Sequence[object],
    characteristics: Sequence[object],
    relationships: Sequence[Sequence[object]],
    *,
    correlations: Sequence[Sequence[object]] | Mapping[tuple[str, str], object] | None = None,
    targets: Sequence[object | None] | None = None,
    directions: Sequence[object | None] | None = None,
) -> HouseOfQuality:
    """Compute the house of quality; ``relationships[i][j]`` links requirement i to HOW j."""
    reqs = _names(requirements, "customer requirement")
    chars = _names(characteristics, "technical characteristic")
    if len(weights) != len(reqs):
        raise MethodsInputError(f"{len(reqs)} customer requirements but {len(weights)} weights")
    w: list[float] = []
    for name, raw in zip(reqs, weights, strict=True):
        try:
            value = float(str(raw).strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise MethodsInputError(
                f"weight of requirement '{name}' must be a number ≥ 0, got '{raw}'"
            )
        w.append(value)
    if len(relationships) != len(reqs):
        raise MethodsInputError(
            f"the relationship matrix has {len(relationships)} rows for {len(reqs)} requirements"
        )
    rel: list[tuple[int, ...]] = []
    for req, row in zip(reqs, relationships, strict=True):
        if len(row) != len(chars):
            raise MethodsInputError(
                f"relationship row of requirement '{req}' has {len(row)} cells for "
                f"{len(chars)} technical characteristics"
            )
        rel.append(tuple(_relation(v, req, c) for v, c in zip(row, chars, strict=True)))
    tech = tuple(math.fsum(w[i] * rel[i][j] for i in range(len(reqs))) for j in range(len(chars)))
    total = math.fsum(tech)
    if total <= 0:
        raise MethodsInputError(
            "no weighted relationships: every technical importance is 0 (check weights and matrix)"
        )
    relative = tuple(t * 100.0 / total for t in tech)
    # Competition ranking (1, 2, 2, 4): equal importance gets equal rank.
    rank = tuple(1 + sum(1 for other in tech if other > t) for t in tech)

    if targets is not None and len(targets) != len(chars):
        raise MethodsInputError(
            f"{len(targets)} targets for {len(chars)} technical characteristics"
        )
    if directions is not None and len(directions) != len(chars):
        raise MethodsInputError(
            f"{len(directions)} directions for {len(chars)} technical characteristics"
        )
    tgt = tuple(targets) if targets is not None else tuple(None for _ in chars)
    dirs = (
        tuple(_direction(d, c) for d, c in zip(directions, chars, strict=True))
        if directions is not None
        else tuple(None for _ in chars)
    )
    return HouseOfQuality(
        requirements=reqs,
        weights=tuple(w),
        characteristics=chars,
        relationships=tuple(rel),
        technical_importance=tech,
        relative_importance=relative,
        rank=rank,
        correlations=_roof(correlations, chars),
        targets=tgt,
        directions=dirs,
    )
