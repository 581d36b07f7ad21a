"""The results part's rows of the permission matrix (merged by ``matrix.py``): an IQC inspection
lot with its results recorded by the inspector and rejected, a concession awaiting approval, a
disposition and a photo."""

from __future__ import annotations

import io
from typing import Any

from cqo.testing.matrix import ANONYMOUS

RECORDERS = ("inspector", "quality_engineer")
CONCESSION_RAISERS = ("inspector", "quality_engineer", "cqo", "deputy")
DISPOSERS = ("quality_engineer", "cqo", "deputy")

_PAGE = {ANONYMOUS: 302, "*": 200}
_PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
_API = {ANONYMOUS: 403, "*": 200}
_API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
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

API_WRITERS: dict[str, tuple[str, ...]] = {
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

OBJECT_FOR_PK: dict[str, str] = {
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


def build(world: Any) -> None:
    from cqo.inspection import services_results as S
    from cqo.testing.results import full_rows, inspection_lot

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
