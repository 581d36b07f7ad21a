"""The costs app's rows of the permission matrix; each part keeps its rows in
``matrix_<part>.py``, merged here."""

from __future__ import annotations

from typing import Any

from . import matrix_fund, matrix_ledger

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}
BUILDERS: list[Any] = []

EXPECTED.update(matrix_ledger.EXPECTED)
API_WRITERS.update(matrix_ledger.API_WRITERS)
OBJECT_FOR_PK.update(matrix_ledger.OBJECT_FOR_PK)
KWARGS.update(matrix_ledger.KWARGS)
PUBLIC_WRITES.update(matrix_ledger.PUBLIC_WRITES)
BUILDERS.append(matrix_ledger.build)

EXPECTED.update(matrix_fund.EXPECTED)
API_WRITERS.update(matrix_fund.API_WRITERS)
OBJECT_FOR_PK.update(matrix_fund.OBJECT_FOR_PK)
KWARGS.update(matrix_fund.KWARGS)
PUBLIC_WRITES.update(matrix_fund.PUBLIC_WRITES)
BUILDERS.append(matrix_fund.build)


def build(world: Any) -> None:
    for builder in BUILDERS:
        builder(world)
