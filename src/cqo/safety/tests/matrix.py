"""The safety app's rows of the permission matrix; each part keeps its rows in
``matrix_<part>.py``, merged here."""

from __future__ import annotations

from typing import Any

from . import matrix_regime, matrix_registers

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}
BUILDERS: list[Any] = []

EXPECTED.update(matrix_registers.EXPECTED)
API_WRITERS.update(matrix_registers.API_WRITERS)
OBJECT_FOR_PK.update(matrix_registers.OBJECT_FOR_PK)
KWARGS.update(matrix_registers.KWARGS)
PUBLIC_WRITES.update(matrix_registers.PUBLIC_WRITES)
BUILDERS.append(matrix_registers.build)

EXPECTED.update(matrix_regime.EXPECTED)
API_WRITERS.update(matrix_regime.API_WRITERS)
OBJECT_FOR_PK.update(matrix_regime.OBJECT_FOR_PK)
KWARGS.update(matrix_regime.KWARGS)
PUBLIC_WRITES.update(matrix_regime.PUBLIC_WRITES)
BUILDERS.append(matrix_regime.build)


def build(world: Any) -> None:
    for builder in BUILDERS:
        builder(world)
