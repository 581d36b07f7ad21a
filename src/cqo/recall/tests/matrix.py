"""The recall app's rows of the permission matrix; each part keeps its rows in
``matrix_<part>.py``, merged here."""

from __future__ import annotations

from typing import Any

from . import matrix_case, matrix_clocks

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}
BUILDERS: list[Any] = []

EXPECTED.update(matrix_case.EXPECTED)
API_WRITERS.update(matrix_case.API_WRITERS)
OBJECT_FOR_PK.update(matrix_case.OBJECT_FOR_PK)
KWARGS.update(matrix_case.KWARGS)
PUBLIC_WRITES.update(matrix_case.PUBLIC_WRITES)
BUILDERS.append(matrix_case.build)

EXPECTED.update(matrix_clocks.EXPECTED)
API_WRITERS.update(matrix_clocks.API_WRITERS)
OBJECT_FOR_PK.update(matrix_clocks.OBJECT_FOR_PK)
KWARGS.update(matrix_clocks.KWARGS)
PUBLIC_WRITES.update(matrix_clocks.PUBLIC_WRITES)
BUILDERS.append(matrix_clocks.build)


def build(world: Any) -> None:
    for builder in BUILDERS:
        builder(world)
