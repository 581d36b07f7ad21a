"""The master data's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who may do what follows ``cqo/masterdata/rules.py``: every member reads; the keepers (admin,
quality engineer, CQO, deputy) keep the lists; the metrology officer keeps the instruments too;
inspectors record lots; the CQO and the deputy approve suppliers; quality engineers, the CQO and
the deputy change a supplier's status.

The world: an item with a characteristic, an operation at a work centre and a qualified supplier
on its approved-supplier list, a candidate supplier, a customer, an instrument and a lot.
"""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

KEEPERS = ("admin", "quality_engineer", "cqo", "deputy")
INSTRUMENT_KEEPERS = (*KEEPERS, "metrology_officer")
LOT_RECORDERS = (*KEEPERS, "inspector")
STATUS_SETTERS = ("quality_engineer", "cqo", "deputy")
APPROVERS = ("cqo", "deputy")


def _page(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 200, **who}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api() -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 200}


PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
# POST-only actions whose endpoint asks for the view permission, which every member holds.
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

KEYS = ("item", "characteristic", "supplier", "customer", "workcentre", "operation",
        "instrument", "lot")  # fmt: skip

EXPECTED: dict[str, dict[str, int]] = {
    "masterdata:index": _page(),
    "masterdata:asl_list": _page(),
    "masterdata:asl_create": _page_for(*KEEPERS),
    "masterdata:asl_void": _page_for(*KEEPERS),
    "masterdata:supplier_approve": PAGE_POST_ONLY,
    "masterdata:supplier_status": PAGE_POST_ONLY,
    "masterdata:sheet_export": _page(),
    "masterdata:sheet_template": _page(),
    "masterdata:sheet_import": _page_for(*KEEPERS),
    "masterdata:lot_void": _page_for(*KEEPERS),
}
for _key in KEYS:
    _keepers = INSTRUMENT_KEEPERS if _key == "instrument" else KEEPERS
    EXPECTED[f"masterdata:{_key}_list"] = _page()
    EXPECTED[f"masterdata:{_key}_detail"] = _page()
    if _key != "lot":
        EXPECTED[f"masterdata:{_key}_create"] = _page_for(*_keepers)
        EXPECTED[f"masterdata:{_key}_edit"] = _page_for(*_keepers)
        EXPECTED[f"masterdata:{_key}_void"] = _page_for(*_keepers)

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:masterdata:supplier-approve": APPROVERS,
    "api:masterdata:supplier-status": STATUS_SETTERS,
    "api:masterdata:lot-list": LOT_RECORDERS,
    "api:masterdata:approved-supplier-list": KEEPERS,
    "api:masterdata:approved-supplier-void": KEEPERS,
    "api:masterdata:operation-list": KEEPERS,
}
EXPECTED.update(
    {
        "api:masterdata:supplier-approve": API_POST_ONLY,
        "api:masterdata:supplier-status": API_POST_ONLY,
        "api:masterdata:approved-supplier-list": _api(),
        "api:masterdata:approved-supplier-detail": _api(),
        "api:masterdata:approved-supplier-void": API_POST_ONLY,
        "api:masterdata:operation-list": _api(),
        "api:masterdata:operation-detail": _api(),
        "api:masterdata:lot-list": _api(),
        "api:masterdata:lot-detail": _api(),
    }
)
for _name in ("item", "characteristic", "supplier", "customer", "work-centre", "instrument"):
    _writers = INSTRUMENT_KEEPERS if _name == "instrument" else KEEPERS
    EXPECTED[f"api:masterdata:{_name}-list"] = _api()
    EXPECTED[f"api:masterdata:{_name}-detail"] = _api()
    EXPECTED[f"api:masterdata:{_name}-void"] = API_POST_ONLY
    for _suffix in ("list", "detail", "void"):
        API_WRITERS[f"api:masterdata:{_name}-{_suffix}"] = _writers

# The lot genealogy (§7.2.3.2): every member traces; lot recorders post feeds and links; keepers
# void a feed. The trace without a starting point: the page shows its form, the export goes
# back to it, the API answers 400.
EXPECTED.update(
    {
        "masterdata:genealogy_trace": _page(),
        "masterdata:genealogy_trace_export": {ANONYMOUS: 302, "*": 302},
        "masterdata:genealogy_template": _page(),
        "masterdata:genealogy_import": _page_for(*LOT_RECORDERS),
        "masterdata:lot_link_create": _page_for(*LOT_RECORDERS),
        # Units' serial numbers: recorded as lots are, voided by a keeper.
        "masterdata:lot_serial_create": _page_for(*LOT_RECORDERS),
        "masterdata:serial_void": _page_for(*KEEPERS),
        "api:masterdata:serial-number-list": _api(),
        "api:masterdata:serial-number-detail": _api(),
        "api:masterdata:serial-number-void": API_POST_ONLY,
        "api:masterdata:genealogy-feed-list": _api(),
        "api:masterdata:genealogy-feed-detail": _api(),
        "api:masterdata:genealogy-feed-void": API_POST_ONLY,
        "api:masterdata:trace-list": {ANONYMOUS: 403, "*": 200},  # no start: an empty trace
    }
)
API_WRITERS.update(
    {
        "api:masterdata:genealogy-feed-list": LOT_RECORDERS,
        "api:masterdata:genealogy-feed-void": KEEPERS,
        "api:masterdata:serial-number-list": LOT_RECORDERS,
        "api:masterdata:serial-number-void": KEEPERS,
    }
)

OBJECT_FOR_PK = {
    "api:masterdata:genealogy-feed-": "md.feed",
    "api:masterdata:serial-number-": "md.serial",
    "masterdata:serial_": "md.serial",
    "masterdata:item_": "md.item",
    "masterdata:characteristic_": "md.characteristic",
    "masterdata:characteristic_create": "md.item",
    "masterdata:supplier_": "md.supplier",
    "masterdata:supplier_approve": "md.candidate",
    "masterdata:asl_": "md.asl",
    "masterdata:asl_create": "md.item",
    "masterdata:customer_": "md.customer",
    "masterdata:workcentre_": "md.workcentre",
    "masterdata:operation_": "md.operation",
    "masterdata:operation_create": "md.item",
    "masterdata:instrument_": "md.instrument",
    "masterdata:lot_": "md.lot",
    "api:masterdata:item-": "md.item",
    "api:masterdata:characteristic-": "md.characteristic",
    "api:masterdata:supplier-": "md.supplier",
    "api:masterdata:supplier-approve": "md.candidate",
    "api:masterdata:approved-supplier-": "md.asl",
    "api:masterdata:customer-": "md.customer",
    "api:masterdata:work-centre-": "md.workcentre",
    "api:masterdata:operation-": "md.operation",
    "api:masterdata:instrument-": "md.instrument",
    "api:masterdata:lot-": "md.lot",
}

KWARGS = {
    "masterdata:sheet_export": lambda world: {"sheet": "items"},
    "masterdata:sheet_template": lambda world: {"sheet": "items"},
    "masterdata:sheet_import": lambda world: {"sheet": "items"},
}


def build(world: Any) -> None:
    from cqo.masterdata.models import SerialNumber, SupplierStatus
    from cqo.testing.genealogy import GenealogyFeedFactory
    from cqo.testing.masterdata import (
        ApprovedSupplierFactory,
        CharacteristicFactory,
        CustomerFactory,
        InstrumentFactory,
        LotFactory,
        OperationFactory,
        SupplierFactory,
    )

    characteristic: Any = CharacteristicFactory()
    item = characteristic.item
    asl: Any = ApprovedSupplierFactory(item=item)
    operation: Any = OperationFactory(item=item)
    lot: Any = LotFactory(item=item, supplier=asl.supplier, created_by=world.users["inspector"])
    world.objects.update(
        {
            "md.item": item,
            "md.characteristic": characteristic,
            "md.supplier": asl.supplier,
            "md.candidate": SupplierFactory(status=SupplierStatus.CANDIDATE),
            "md.asl": asl,
            "md.customer": CustomerFactory(),
            "md.workcentre": operation.work_centre,
            "md.operation": operation,
            "md.instrument": InstrumentFactory(),
            "md.lot": lot,
            "md.feed": GenealogyFeedFactory(created_by=world.users["inspector"]),
            "md.serial": SerialNumber.objects.create(
                serial="SN-MATRIX-1", item=item, lot=lot, created_by=world.users["inspector"]
            ),
        }
    )
