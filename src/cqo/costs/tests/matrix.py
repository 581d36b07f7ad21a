"""The costs app's rows of the permission matrix; each part keeps its rows in
``matrix_<part>.py``, merged here."""

from __future__ import annotations

from typing import Any

from . import matrix_fund, matrix_ledger, matrix_rewards

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

EXPECTED.update(matrix_rewards.EXPECTED)
API_WRITERS.update(matrix_rewards.API_WRITERS)
OBJECT_FOR_PK.update(matrix_rewards.OBJECT_FOR_PK)
KWARGS.update(matrix_rewards.KWARGS)
PUBLIC_WRITES.update(matrix_rewards.PUBLIC_WRITES)
BUILDERS.append(matrix_rewards.build)


def build(world: Any) -> None:
    for builder in BUILDERS:
        builder(world)
