"""The anomalies app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app keeps its rows in ``matrix_<part>.py``, merged here; ``build`` adds the
app's objects to the world."""

from __future__ import annotations

from typing import Any

from . import (
    matrix_analysis,
    matrix_capa,
    matrix_complaints,
    matrix_mrb,
    matrix_ncr,
    matrix_scar,
)

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}
BUILDERS: list[Any] = []

# --- ncr: the NCR core, containment, the defect catalogue ---------------------------------------
EXPECTED.update(matrix_ncr.EXPECTED)
API_WRITERS.update(matrix_ncr.API_WRITERS)
OBJECT_FOR_PK.update(matrix_ncr.OBJECT_FOR_PK)
BUILDERS.append(matrix_ncr.build)

# --- the review board and the costs: matrix_mrb.py --------------------------------------------
EXPECTED.update(matrix_mrb.EXPECTED)
API_WRITERS.update(matrix_mrb.API_WRITERS)
OBJECT_FOR_PK.update(matrix_mrb.OBJECT_FOR_PK)
KWARGS.update(matrix_mrb.KWARGS)
BUILDERS.append(matrix_mrb.build)

# --- the analysis: matrix_analysis.py (read-only pages, no object) ----------------------------
EXPECTED.update(matrix_analysis.EXPECTED)

# --- SCAR: matrix_scar.py -----------------------------------------------------------------------
EXPECTED.update(matrix_scar.EXPECTED)
API_WRITERS.update(matrix_scar.API_WRITERS)
OBJECT_FOR_PK.update(matrix_scar.OBJECT_FOR_PK)
KWARGS.update(matrix_scar.KWARGS)
PUBLIC_WRITES.update(matrix_scar.PUBLIC_WRITES)
BUILDERS.append(matrix_scar.build)

# --- CAPA: matrix_capa.py ---------------------------------------------------------------------
EXPECTED.update(matrix_capa.EXPECTED)
API_WRITERS.update(matrix_capa.API_WRITERS)
OBJECT_FOR_PK.update(matrix_capa.OBJECT_FOR_PK)
KWARGS.update(matrix_capa.KWARGS)
BUILDERS.append(matrix_capa.build)


# --- complaints: its rows in matrix_complaints.py ---------------------------------------------
EXPECTED.update(matrix_complaints.EXPECTED)
API_WRITERS.update(matrix_complaints.API_WRITERS)
OBJECT_FOR_PK.update(matrix_complaints.OBJECT_FOR_PK)
BUILDERS.append(matrix_complaints.build)


def build(world: Any) -> None:
    for part_build in BUILDERS:
        part_build(world)
