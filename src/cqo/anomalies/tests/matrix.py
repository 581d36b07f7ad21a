"""The anomalies app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app keeps its rows in ``matrix_<part>.py``, merged here; ``build`` adds the
app's objects to the world."""

from __future__ import annotations

from typing import Any

from . import matrix_complaints

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}

# --- complaints: its rows in matrix_complaints.py ---------------------------------------------
EXPECTED.update(matrix_complaints.EXPECTED)
API_WRITERS.update(matrix_complaints.API_WRITERS)
OBJECT_FOR_PK.update(matrix_complaints.OBJECT_FOR_PK)


def build(world: Any) -> None:
    matrix_complaints.build(world)
