"""The inspection app's rows of the permission matrix (tests/security/test_permission_matrix.py),
one module per part of the app, merged here so the parts do not edit one table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import matrix_suppliers

PARTS = (matrix_suppliers,)

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {}

for _part in PARTS:
    for _name, _table in (
        ("EXPECTED", EXPECTED), ("API_WRITERS", API_WRITERS),
        ("OBJECT_FOR_PK", OBJECT_FOR_PK), ("KWARGS", KWARGS),
    ):  # fmt: skip
        _rows = getattr(_part, _name, {})
        assert not set(_rows) & set(_table), f"{_part.__name__}.{_name} declares again"
        _table.update(_rows)  # type: ignore[attr-defined]


def build(world: Any) -> None:
    for part in PARTS:
        if hasattr(part, "build"):
            part.build(world)
