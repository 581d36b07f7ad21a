"""The gate's rows of the permission matrix (§6 e)): pages and API of lot release, holds and
shipments. ``matrix.py`` merges them into the inspection app's tables."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

# masterdata/rules.py: who holds each of the gate's permissions in the matrix's world.
GATE_STAFF = ("inspector", "quality_engineer", "cqo", "deputy")
GATE_ENGINEERS = ("quality_engineer", "cqo", "deputy")

_PAGE = {ANONYMOUS: 302, "*": 200}
_PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
_API = {ANONYMOUS: 403, "*": 200}
_API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "inspection:lot_gate": _PAGE,
    "inspection:lot_release": _PAGE_POST_ONLY,
    "inspection:lot_hold_place": _PAGE_POST_ONLY,
    "inspection:hold_list": _PAGE,
    "inspection:hold_lift": _PAGE_POST_ONLY,
    "inspection:shipment_list": _PAGE,
    "inspection:shipment_create": {ANONYMOUS: 302, "*": 403, **dict.fromkeys(GATE_STAFF, 200)},
    "inspection:shipment_detail": _PAGE,
    "inspection:shipment_release": _PAGE_POST_ONLY,
    "inspection:shipment_ship": _PAGE_POST_ONLY,
    "api:inspection:lot-release-status": _API,
    "api:inspection:lot-release": _API_POST_ONLY,
    "api:inspection:hold-list": _API,
    "api:inspection:hold-detail": _API,
    "api:inspection:hold-lift": _API_POST_ONLY,
    "api:inspection:shipment-list": _API,
    "api:inspection:shipment-detail": _API,
    "api:inspection:shipment-lines": _API_POST_ONLY,
    "api:inspection:shipment-release": _API_POST_ONLY,
    "api:inspection:shipment-ship": _API_POST_ONLY,
    "api:inspection:shipment-release-status": _API,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:inspection:lot-release": GATE_ENGINEERS,
    "api:inspection:hold-list": GATE_STAFF,
    "api:inspection:hold-lift": GATE_ENGINEERS,
    "api:inspection:shipment-list": GATE_STAFF,
    "api:inspection:shipment-lines": GATE_STAFF,
    "api:inspection:shipment-release": GATE_ENGINEERS,
    "api:inspection:shipment-ship": GATE_STAFF,
}

OBJECT_FOR_PK = {
    "inspection:lot_gate": "gate.lot",
    "inspection:lot_release": "gate.lot",
    "inspection:lot_hold_place": "gate.lot",
    "inspection:hold_": "gate.hold",
    "inspection:shipment_": "gate.shipment",
    "api:inspection:hold-": "gate.hold",
}


def _lot_number(world: Any) -> dict[str, Any]:
    return {"number": world.objects["gate.lot"].number}


def _shipment_number(world: Any) -> dict[str, Any]:
    return {"number": world.objects["gate.shipment"].number}


KWARGS = {
    "api:inspection:lot-release-status": _lot_number,
    "api:inspection:lot-release": _lot_number,
    **{
        f"api:inspection:shipment-{name}": _shipment_number
        for name in ("detail", "lines", "release", "ship", "release-status")
    },
}


def build(world: Any) -> None:
    """A quarantined lot with an open hold, and a draft shipment with a lot on it."""
    from cqo.masterdata import stock
    from cqo.testing.masterdata import CustomerFactory, LotFactory

    inspector = world.users["inspector"]
    lot: Any = LotFactory(created_by=inspector)
    hold = stock.lot_hold_place(actor=inspector, lot=lot, reason="矩阵", clause="§6 e)")
    shipment = stock.shipment_create(
        actor=inspector, customer=CustomerFactory(), planned_on=lot.arrived_on
    )
    stock.shipment_line_add(actor=inspector, shipment=shipment, lot=LotFactory(), quantity=1)
    world.objects.update({"gate.lot": lot, "gate.hold": hold, "gate.shipment": shipment})
