"""The suppliers part's rows of the permission matrix (merged by ``matrix.py``).

Supplier quality (``inspection.view_supplierquality``) is read by the principal, the CQO, the
deputy, quality engineers, inspectors and auditors; the queue of lots to inspect by every member
(``inspection.view_inspectionlot``). Everything here is read only: a POST to a page is 405.
"""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

READERS = ("principal", "cqo", "deputy", "quality_engineer", "inspector", "auditor")


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 403, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "inspection:queue": {ANONYMOUS: 302, "*": 200},
    "inspection:supplier_ranking": _page_for(*READERS),
    "inspection:supplier_ranking_xlsx": _page_for(*READERS),
    "inspection:supplier_detail": _page_for(*READERS),
    "inspection:supplier_scorecard_xlsx": _page_for(*READERS),
    "inspection:supplier_scorecard_pdf": _page_for(*READERS),
    "api:inspection:inspection-supplier-scorecard-list": _api_for(*READERS),
    "api:inspection:inspection-supplier-scorecard-detail": _api_for(*READERS),
}

OBJECT_FOR_PK = {
    "inspection:supplier_": "sq_supplier",
    "api:inspection:inspection-supplier-scorecard-": "sq_supplier",
}


def build(world: Any) -> None:
    from cqo.testing.masterdata import SupplierFactory

    world.objects["sq_supplier"] = SupplierFactory(code="MX-SQ", name="矩阵供应商")
