"""The reports app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who holds what follows ``cqo/reports/rules.py``: the principal, the CQO, the deputy and auditors
read the reports; the CQO in office (the matrix's CQO is appointed) and the deputy have one
generated; only the CQO signs and voids; only the principal acknowledges."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

READERS = ("principal", "cqo", "deputy", "auditor")


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 403, **dict.fromkeys(roles, 200)}


PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
API_POST_ONLY = {ANONYMOUS: 403, "*": 403, **dict.fromkeys(READERS, 405)}

EXPECTED: dict[str, dict[str, int]] = {
    "reports:report_list": _page_for(*READERS),
    "reports:report_detail": _page_for(*READERS),
    "reports:report_pdf": _page_for(*READERS),
    "reports:report_sign": PAGE_POST_ONLY,
    "reports:report_acknowledge": PAGE_POST_ONLY,
    "reports:report_void": PAGE_POST_ONLY,
    "api:reports:report-list": _api_for(*READERS),
    "api:reports:report-detail": _api_for(*READERS),
    "api:reports:report-pdf": _api_for(*READERS),
    "api:reports:report-sign": API_POST_ONLY,
    "api:reports:report-acknowledge": API_POST_ONLY,
    "api:reports:report-void": API_POST_ONLY,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:reports:report-list": ("cqo", "deputy"),
    "api:reports:report-sign": ("cqo",),
    "api:reports:report-acknowledge": ("principal",),
    "api:reports:report-void": ("cqo",),
}

OBJECT_FOR_PK: dict[str, str] = {
    "reports:report_": "reports.report",
    "api:reports:report-": "reports.report",
}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    """A monthly report of last month, generated (a draft awaiting the CQO's signature)."""
    from django.utils import timezone

    from cqo.reports import services as S

    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    report = S.report_request(actor=world.users["cqo"], kind="monthly", year=year, part=month,
                              language="zh-hans")  # fmt: skip
    world.objects["reports.report"] = S.report_generate(report.pk)
