"""The inspection app's rows of the permission matrix (tests/security/test_permission_matrix.py),
one module per part of the app, merged here."""

from __future__ import annotations

from typing import Any

from . import matrix_gate

EXPECTED: dict[str, dict[str, int]] = {**matrix_gate.EXPECTED}
API_WRITERS: dict[str, tuple[str, ...]] = {**matrix_gate.API_WRITERS}
OBJECT_FOR_PK: dict[str, str] = {**matrix_gate.OBJECT_FOR_PK}
KWARGS: dict[str, Any] = {**matrix_gate.KWARGS}


def build(world: Any) -> None:
    matrix_gate.build(world)
