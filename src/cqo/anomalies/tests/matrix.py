"""The anomalies app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app keeps its rows in ``matrix_<part>.py``, merged here; ``build`` adds the
app's objects to the world."""

from __future__ import annotations

from typing import Any

from . import matrix_analysis, matrix_capa, matrix_complaints, matrix_mrb, matrix_scar

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}

# --- the review board and the costs: matrix_mrb.py --------------------------------------------
EXPECTED.update(matrix_mrb.EXPECTED)
API_WRITERS.update(matrix_mrb.API_WRITERS)
OBJECT_FOR_PK.update(matrix_mrb.OBJECT_FOR_PK)
KWARGS.update(matrix_mrb.KWARGS)

# --- the analysis: matrix_analysis.py (read-only pages, no object) ----------------------------
EXPECTED.update(matrix_analysis.EXPECTED)

# --- SCAR: matrix_scar.py -----------------------------------------------------------------------
EXPECTED.update(matrix_scar.EXPECTED)
API_WRITERS.update(matrix_scar.API_WRITERS)
OBJECT_FOR_PK.update(matrix_scar.OBJECT_FOR_PK)
KWARGS.update(matrix_scar.KWARGS)
PUBLIC_WRITES.update(matrix_scar.PUBLIC_WRITES)

# --- CAPA: matrix_capa.py ---------------------------------------------------------------------
EXPECTED.update(matrix_capa.EXPECTED)
API_WRITERS.update(matrix_capa.API_WRITERS)
OBJECT_FOR_PK.update(matrix_capa.OBJECT_FOR_PK)
KWARGS.update(matrix_capa.KWARGS)


# --- complaints: its rows in matrix_complaints.py ---------------------------------------------
EXPECTED.update(matrix_complaints.EXPECTED)
API_WRITERS.update(matrix_complaints.API_WRITERS)
OBJECT_FOR_PK.update(matrix_complaints.OBJECT_FOR_PK)


def build(world: Any) -> None:
    matrix_mrb.build(world)
    matrix_scar.build(world)
    matrix_capa.build(world)
    matrix_complaints.build(world)
