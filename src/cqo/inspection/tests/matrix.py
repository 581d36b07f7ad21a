"""The inspection app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Each part of the app adds its rows under its own heading; ``build`` adds the app's objects to
the world (an item with an approved plan, a supplier on its list, one inspection lot)."""

from __future__ import annotations

import io
from typing import Any

from cqo.testing.matrix import ANONYMOUS

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


# --- results (results) ---------------------------------------------------------------------------

RECORDERS = ("inspector", "quality_engineer")
CONCESSION_RAISERS = ("inspector", "quality_engineer", "cqo", "deputy")
DISPOSERS = ("quality_engineer", "cqo", "deputy")

_PAGE = {ANONYMOUS: 302, "*": 200}
_PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
_API = {ANONYMOUS: 403, "*": 200}
_API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

RESULTS_EXPECTED: dict[str, dict[str, int]] = {
    "inspection:results_entry": _PAGE,
    "inspection:results_import": _PAGE_POST_ONLY,
    "inspection:results_template": _PAGE,
    "inspection:result_void": _PAGE_POST_ONLY,
    "inspection:attachment_add": _PAGE_POST_ONLY,
    "inspection:attachment_file": _PAGE,
    "inspection:lot_decision": _PAGE,
    "inspection:concession_raise": {
        ANONYMOUS: 302,
        "*": 403,
        **dict.fromkeys(CONCESSION_RAISERS, 200),
    },
    "inspection:concession_detail": _PAGE,
    "inspection:disposition_add": _PAGE_POST_ONLY,
    "inspection:disposition_void": _PAGE_POST_ONLY,
    "api:inspection:lot-results": _API,
    "api:inspection:lot-tally": _API,
    "api:inspection:lot-decide": _API_POST_ONLY,
    "api:inspection:lot-concessions": _API_POST_ONLY,
    "api:inspection:lot-dispositions": _API_POST_ONLY,
    "api:inspection:lot-attachments": _API_POST_ONLY,
    "api:inspection:result-list": _API,
    "api:inspection:result-detail": _API,
    "api:inspection:result-bulk": _API_POST_ONLY,
    "api:inspection:result-void": _API_POST_ONLY,
    "api:inspection:concession-list": _API,
    "api:inspection:concession-detail": _API,
    "api:inspection:concession-consent": _API_POST_ONLY,
    "api:inspection:disposition-list": _API,
    "api:inspection:disposition-detail": _API,
    "api:inspection:disposition-void": _API_POST_ONLY,
}

RESULTS_API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:inspection:lot-results": RECORDERS,
    "api:inspection:lot-decide": RECORDERS,
    "api:inspection:lot-concessions": CONCESSION_RAISERS,
    "api:inspection:lot-dispositions": DISPOSERS,
    "api:inspection:lot-attachments": RECORDERS,
    "api:inspection:result-bulk": RECORDERS,
    "api:inspection:result-void": RECORDERS,
    "api:inspection:concession-consent": CONCESSION_RAISERS,
    "api:inspection:disposition-void": DISPOSERS,
}

RESULTS_OBJECT_FOR_PK: dict[str, str] = {
    "inspection:results_entry": "results_ilot",
    "inspection:results_import": "results_ilot",
    "inspection:results_template": "results_ilot",
    "inspection:result_void": "results_ilot",
    "inspection:attachment_add": "results_ilot",
    "inspection:attachment_file": "results_attachment",
    "inspection:lot_decision": "results_ilot",
    "inspection:concession_raise": "results_ilot",
    "inspection:concession_detail": "results_concession",
    "inspection:disposition_add": "results_ilot",
    "inspection:disposition_void": "results_disposition",
    "api:inspection:lot-results": "results_ilot",
    "api:inspection:lot-tally": "results_ilot",
    "api:inspection:lot-decide": "results_ilot",
    "api:inspection:lot-concessions": "results_ilot",
    "api:inspection:lot-dispositions": "results_ilot",
    "api:inspection:lot-attachments": "results_ilot",
    "api:inspection:result-": "results_measurement",
    "api:inspection:concession-": "results_concession",
    "api:inspection:disposition-": "results_disposition",
}


def build_results(world: Any) -> None:
    from cqo.inspection import services_results as S

    from .results_setup import full_rows, inspection_lot

    inspector = world.users["inspector"]
    engineer = world.users["quality_engineer"]
    sheet = inspection_lot(engineer)
    saved = S.results_record(
        actor=inspector, inspection_lot=sheet.ilot, rows=full_rows(sheet, bad_bore=(1, 2))
    )
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    photo.name = "photo.png"
    attachment = S.attachment_add(actor=inspector, inspection_lot=sheet.ilot, file=photo)
    S.inspection_lot_decide(actor=inspector, inspection_lot=sheet.ilot, decision="reject")
    concession = S.concession_raise(
        actor=engineer,
        inspection_lot=sheet.ilot,
        quantity="100",
        reason="matrix",
        limits="matrix",
        customer_consent_required=False,
    )
    disposition = S.disposition_record(
        actor=engineer, inspection_lot=sheet.ilot, kind="return", quantity="300"
    )
    world.objects.update(
        results_ilot=sheet.ilot,
        results_measurement=saved.created[0],
        results_attachment=attachment,
        results_concession=concession,
        results_disposition=disposition,
    )


EXPECTED.update(RESULTS_EXPECTED)
API_WRITERS.update(RESULTS_API_WRITERS)
OBJECT_FOR_PK.update(RESULTS_OBJECT_FOR_PK)


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
    build_results(world)
