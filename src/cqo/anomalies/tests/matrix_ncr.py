"""The NCR core's rows of the permission matrix (§6 c)): the NCR list, form, page and its
actions, photos, the defect catalogue, and their API. ``matrix.py`` merges them."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS, ROLES

# anomalies/rules.py: who holds each permission in the matrix's world.
ENGINEERS = ("quality_engineer", "cqo", "deputy")
GATE_STAFF = ("inspector", *ENGINEERS)

_PAGE = {ANONYMOUS: 302, "*": 200}
_PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
_API = {ANONYMOUS: 403, "*": 200}
_API_POST_ONLY = {ANONYMOUS: 403, "*": 405}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "anomalies:ncr_list": _PAGE,
    "anomalies:ncr_export": _PAGE,
    "anomalies:ncr_new": _PAGE,
    "anomalies:ncr_detail": _PAGE,
    "anomalies:ncr_act": _PAGE_POST_ONLY,
    "anomalies:ncr_photo": _PAGE,
    "anomalies:defect_list": _PAGE,
    "anomalies:defect_new": _page_for(*ENGINEERS),
    "anomalies:defect_import": _page_for(*ENGINEERS),
    "anomalies:defect_template": _page_for(*ENGINEERS),
    "api:anomalies:ncr-list": _API,
    "api:anomalies:ncr-detail": _API,
    "api:anomalies:ncr-contain": _API_POST_ONLY,
    "api:anomalies:ncr-lift": _API_POST_ONLY,
    "api:anomalies:ncr-sorting": _API_POST_ONLY,
    "api:anomalies:ncr-close": _API_POST_ONLY,
    "api:anomalies:ncr-void": _API_POST_ONLY,
    "api:anomalies:defect-list": _API,
    "api:anomalies:defect-detail": _API,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:anomalies:ncr-list": ROLES,
    "api:anomalies:ncr-contain": GATE_STAFF,
    "api:anomalies:ncr-lift": GATE_STAFF,
    "api:anomalies:ncr-sorting": GATE_STAFF,
    "api:anomalies:ncr-close": ENGINEERS,
    "api:anomalies:ncr-void": ENGINEERS,
    "api:anomalies:defect-list": ENGINEERS,
}

OBJECT_FOR_PK = {
    "anomalies:ncr_": "anomalies.ncr",
    "anomalies:ncr_photo": "anomalies.photo",
    "api:anomalies:ncr-": "anomalies.ncr",
    "api:anomalies:defect-": "anomalies.defect",
}

# A PNG's signature and a minimal header: enough for the upload check.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def build(world: Any) -> None:
    """An NCR raised by the inspector on a lot, with one defect and one photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cqo.anomalies.services_ncr import DefectLine, LotLine, anomaly_photos_add, anomaly_raise
    from cqo.testing.anomalies import DefectCodeFactory
    from cqo.testing.masterdata import ItemFactory, LotFactory

    inspector = world.users["inspector"]
    item: Any = ItemFactory(family="valve")
    defect: Any = DefectCodeFactory(family="valve")
    ncr = anomaly_raise(
        actor=inspector,
        title="矩阵",
        item=item,
        lots=[LotLine(lot=LotFactory(item=item, created_by=inspector))],
        defects=[DefectLine(defect=defect)],
    )
    [photo] = anomaly_photos_add(
        actor=inspector,
        anomaly=ncr,
        photos=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
    )
    world.objects.update(
        {"anomalies.ncr": ncr, "anomalies.photo": photo, "anomalies.defect": defect}
    )
