"""The inspection app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app keeps its rows in ``matrix_<part>.py``; this module merges them (a name may
be declared once only) and runs each part's ``build`` in turn."""

from __future__ import annotations

from typing import Any

from . import matrix_spc

_PARTS = (matrix_spc,)

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}

for _part in _PARTS:
    for _name, _table in (
        ("EXPECTED", EXPECTED), ("API_WRITERS", API_WRITERS),
        ("OBJECT_FOR_PK", OBJECT_FOR_PK), ("KWARGS", KWARGS),
    ):  # fmt: skip
        _rows = getattr(_part, _name, {})
        _twice = set(_rows) & set(_table)
        assert not _twice, f"{_part.__name__}.{_name} declares again: {sorted(_twice)}"
        _table.update(_rows)  # type: ignore[attr-defined]


def build(world: Any) -> None:
    for part in _PARTS:
        if hasattr(part, "build"):
            part.build(world)
