"""Parts of a supplier's score that domains other than the scorecard's own contribute.

The supplier scorecard (inspection's supplier quality pages) computes what the gate sees; a
domain that knows something else about a supplier — open corrective action requests, answers
late or rejected — registers it here, and the scorecard reads every registered part without
importing the domain that keeps it (decision 0005: the domains never import each other)::

    supplier_score_part_register(
        code="scar", label=_("Corrective action requests"), clause=clause("§7.1.4"),
        figures=[ScoreFigure("open", _("Open"), _("..."), worse_when_higher=True), ...],
        compute=scar_figures,   # (supplier_ids, since, until) -> {supplier_id: {"open": 2, ...}}
    )

``compute`` gets the suppliers shown and the period (``since`` inclusive, ``until`` exclusive,
``None`` for "up to now"); it must answer in a constant number of queries however many
suppliers there are, and leave a supplier out (or give zeros) when it has nothing on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Figures = dict[int, dict[str, int]]
Compute = Callable[[list[int], "datetime | None", "datetime | None"], Figures]


@dataclass(frozen=True)
class ScoreFigure:
    key: str
    label: Any
    help: Any = ""
    # A figure whose rise makes the supplier look worse (open requests, late answers).
    worse_when_higher: bool = True


@dataclass(frozen=True)
class ScorePart:
    code: str
    label: Any
    clause: str
    figures: tuple[ScoreFigure, ...]
    compute: Compute


@dataclass
class SupplierScoreParts:
    """What every registered part says about one supplier: ``values[part][figure]``."""

    values: dict[str, dict[str, int]] = field(default_factory=dict)

    def get(self, part: str, figure: str) -> int:
        return self.values.get(part, {}).get(figure, 0)

    def rows(self) -> list[dict[str, Any]]:
        """Each part with its figures in registered order, for a page."""
        out = []
        for part in supplier_score_parts():
            out.append(
                {
                    "part": part,
                    "figures": [
                        {"figure": f, "value": self.get(part.code, f.key)} for f in part.figures
                    ],
                }
            )
        return out

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            part.code: {f.key: self.get(part.code, f.key) for f in part.figures}
            for part in supplier_score_parts()
        }


_PARTS: dict[str, ScorePart] = {}


def supplier_score_part_register(
    *,
    code: str,
    label: Any,
    clause: str,
    figures: Iterable[ScoreFigure],
    compute: Compute,
) -> None:
    """Add (or replace, by code) a part of the supplier score."""
    _PARTS[code] = ScorePart(
        code=code, label=label, clause=clause, figures=tuple(figures), compute=compute
    )


def supplier_score_parts() -> list[ScorePart]:
    return list(_PARTS.values())


def supplier_score_figures(
    supplier_ids: Iterable[int],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[int, SupplierScoreParts]:
    """Every registered part's figures for each supplier: one call per part."""
    ids = sorted({int(i) for i in supplier_ids})
    out = {pk: SupplierScoreParts() for pk in ids}
    if not ids:
        return out
    for part in _PARTS.values():
        for pk, values in part.compute(ids, since, until).items():
            if pk in out:
                out[pk].values[part.code] = dict(values)
    return out
