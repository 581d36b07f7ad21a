"""The inspection app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app adds its rows under its own heading; ``build`` adds the app's objects to
the world (an item with an approved plan, a supplier on its list, one inspection lot)."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

# The suppliers part keeps its rows in its own module, merged at the end of this one.
from . import matrix_suppliers

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
    "api:inspection:api-root": _api(),
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
    matrix_suppliers.build(world)


# --- suppliers (matrix_suppliers.py) -------------------------------------------------------------
for _table, _rows in (
    (EXPECTED, matrix_suppliers.EXPECTED), (OBJECT_FOR_PK, matrix_suppliers.OBJECT_FOR_PK),
):  # fmt: skip
    assert not set(_rows) & set(_table), "matrix_suppliers declares a row again"
    _table.update(_rows)  # type: ignore[attr-defined]
