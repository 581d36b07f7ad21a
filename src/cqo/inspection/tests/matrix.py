"""The inspection app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app adds its rows under its own heading; ``build`` adds the app's objects to
the world (an item with an approved plan, a supplier on its list, one inspection lot)."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

from . import matrix_gate, matrix_spc, matrix_suppliers

LOT_WRITERS = ("inspector", "quality_engineer", "cqo", "deputy")


def _page(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 200, **who}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api() -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 200}


API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    # --- lots (sampling) ----------------------------------------------------------------------
    "inspection:lot_list": _page(),
    "inspection:lot_detail": _page(),
    "inspection:receipt_new": _page_for(*LOT_WRITERS),
    "api:inspection:lot-list": _api(),
    "api:inspection:lot-detail": _api(),
    "api:inspection:receipt-list": API_POST_ONLY,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:inspection:receipt-list": LOT_WRITERS,
}

OBJECT_FOR_PK = {
    "inspection:lot_": "inspection.lot",
    "api:inspection:lot-": "inspection.lot",
}

# --- SPC: its rows in matrix_spc.py ---------------------------------------------------------------
EXPECTED.update(matrix_spc.EXPECTED)
API_WRITERS.update(matrix_spc.API_WRITERS)
OBJECT_FOR_PK.update(matrix_spc.OBJECT_FOR_PK)

# --- the gate: its rows in matrix_gate.py ------------------------------------------------------
EXPECTED.update(matrix_gate.EXPECTED)
API_WRITERS.update(matrix_gate.API_WRITERS)
OBJECT_FOR_PK.update(matrix_gate.OBJECT_FOR_PK)
KWARGS: dict[str, Any] = {**matrix_gate.KWARGS}

# --- supplier quality and the queue: their rows in matrix_suppliers.py -------------------------
EXPECTED.update(matrix_suppliers.EXPECTED)
OBJECT_FOR_PK.update(matrix_suppliers.OBJECT_FOR_PK)


def build(world: Any) -> None:
    from cqo.testing.inspection import InspectionLotFactory, approved_receipt_world
    from cqo.testing.masterdata import LotFactory

    item, supplier, plan = approved_receipt_world()
    ilot = InspectionLotFactory(lot=LotFactory(item=item, supplier=supplier), plan=plan)
    world.objects.update(
        {
            "inspection.item": item,
            "inspection.supplier": supplier,
            "inspection.plan": plan,
            "inspection.lot": ilot,
        }
    )
    matrix_spc.build(world)
    matrix_gate.build(world)
    matrix_suppliers.build(world)
