"""The anomalies app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app keeps its rows in ``matrix_<part>.py`` (``EXPECTED``, ``API_WRITERS``,
``OBJECT_FOR_PK``, ``KWARGS``, ``build``) and adds them here, under its own heading."""

from __future__ import annotations

from typing import Any

from . import matrix_mrb, matrix_ncr

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}
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


def build(world: Any) -> None:
    for part_build in BUILDERS:
        part_build(world)
