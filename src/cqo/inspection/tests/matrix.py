"""The inspection app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app adds its rows under its own heading; ``build`` adds the app's objects to
the world (an item with an approved plan, a supplier on its list, one inspection lot)."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

from . import matrix_gate, matrix_results, matrix_spc, matrix_suppliers

LOT_WRITERS = ("inspector", "quality_engineer", "cqo", "deputy")
PLAN_WRITERS = ("quality_engineer", "cqo", "deputy")


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
    "inspection:receipt_import": _page_for(*LOT_WRITERS),
    "api:inspection:lot-list": _api(),
    "api:inspection:lot-detail": _api(),
    "api:inspection:receipt-list": API_POST_ONLY,
    "inspection:stream_list": _page(),
    "inspection:stream_detail": _page(),
    "inspection:reduced_table": _page_for("cqo"),
    "api:inspection:stream-list": _api(),
    "api:inspection:stream-detail": _api(),
    "api:inspection:stream-events": _api(),
    "api:inspection:stream-resume": API_POST_ONLY,
    "api:inspection:stream-reduced": API_POST_ONLY,
    # --- plans (sampling) ---------------------------------------------------------------------
    "inspection:plan_list": _page(),
    "inspection:plan_detail": _page(),
    "inspection:plan_export": _page(),
    "inspection:plan_import": _page_for(*PLAN_WRITERS),
    "api:inspection:plan-list": _api(),
    "api:inspection:plan-detail": _api(),
    "api:inspection:plan-sampling": API_POST_ONLY,
    "api:inspection:plan-characteristics": API_POST_ONLY,
    "api:inspection:plan-submit": API_POST_ONLY,
    "api:inspection:plan-new-version": API_POST_ONLY,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:inspection:receipt-list": LOT_WRITERS,
    "api:inspection:stream-resume": ("cqo",),
    "api:inspection:stream-reduced": ("cqo",),
    "api:inspection:plan-list": PLAN_WRITERS,
    "api:inspection:plan-sampling": PLAN_WRITERS,
    "api:inspection:plan-characteristics": PLAN_WRITERS,
    "api:inspection:plan-submit": PLAN_WRITERS,
    "api:inspection:plan-new-version": PLAN_WRITERS,
}

OBJECT_FOR_PK = {
    "inspection:lot_": "inspection.lot",
    "api:inspection:lot-": "inspection.lot",
    "inspection:stream_": "inspection.stream",
    "api:inspection:stream-": "inspection.stream",
    "inspection:plan_": "inspection.plan",
    "api:inspection:plan-": "inspection.plan",
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


# --- results: its rows in matrix_results.py ---------------------------------------------------
EXPECTED.update(matrix_results.EXPECTED)
API_WRITERS.update(matrix_results.API_WRITERS)
OBJECT_FOR_PK.update(matrix_results.OBJECT_FOR_PK)


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
            "inspection.stream": ilot.stream,
        }
    )
    matrix_spc.build(world)
    matrix_gate.build(world)
    matrix_results.build(world)
    matrix_suppliers.build(world)
