"""The anomalies app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app keeps its rows in ``matrix_<part>.py``, merged here; ``build`` adds each
part's objects to the world."""

from __future__ import annotations

from typing import Any

from . import matrix_capa

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}

# --- CAPA: its rows in matrix_capa.py ---------------------------------------------------------
EXPECTED.update(matrix_capa.EXPECTED)
API_WRITERS.update(matrix_capa.API_WRITERS)
OBJECT_FOR_PK.update(matrix_capa.OBJECT_FOR_PK)
KWARGS.update(matrix_capa.KWARGS)


def build(world: Any) -> None:
    matrix_capa.build(world)
