"""The ledger part's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who holds what follows ``cqo/costs/rules_ledger.py``: the ledger and its reports are read by the
principal, the CQO, the deputy, auditors, department heads and quality engineers; the CQO (the
matrix's CQO is appointed, so holds §6 f)) and the deputy keep the ledger (lines, imports, pulls,
reversals, the close); the CQO keeps the chart and names finance keepers; figures are entered by
finance keepers only (the matrix names none, so nobody)."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

READERS = ("principal", "cqo", "deputy", "auditor", "department_head", "quality_engineer")
KEEPERS = ("cqo", "deputy")


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 403, **dict.fromkeys(roles, 200)}


PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
# A GET on a POST-only API action is read as a read of the ledger: 405 for readers.
API_POST_ONLY = {ANONYMOUS: 403, "*": 403, **dict.fromkeys(READERS, 405)}

EXPECTED: dict[str, dict[str, int]] = {
    "costs:ledger_report": _page_for(*READERS),
    "costs:ledger_report_pdf": _page_for(*READERS),
    "costs:ledger_lines": _page_for(*READERS),
    "costs:ledger_lines_export": _page_for(*READERS),
    "costs:ledger_line_add": _page_for(*KEEPERS),
    "costs:ledger_line_detail": _page_for(*READERS),
    "costs:ledger_import": _page_for(*KEEPERS),
    "costs:ledger_job": _page_for(*READERS),
    "costs:ledger_sync": PAGE_POST_ONLY,
    "costs:ledger_months": _page_for(*READERS),
    "costs:ledger_figures": _page_for(*READERS),
    "costs:ledger_keepers": PAGE_POST_ONLY,
    "costs:ledger_chart": _page_for(*READERS),
    "costs:ledger_chart_void": PAGE_POST_ONLY,
    "api:costs:ledger-line-list": _api_for(*READERS),
    "api:costs:ledger-line-detail": _api_for(*READERS),
    "api:costs:ledger-line-reverse": API_POST_ONLY,
    "api:costs:ledger-item-list": _api_for(*READERS),
    "api:costs:ledger-figure-list": _api_for(*READERS),
    "api:costs:ledger-month-list": _api_for(*READERS),
    "api:costs:ledger-report-list": _api_for(*READERS),
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:costs:ledger-line-list": KEEPERS,
    "api:costs:ledger-line-reverse": KEEPERS,
    "api:costs:ledger-item-list": ("cqo",),
    "api:costs:ledger-figure-list": (),
    "api:costs:ledger-month-list": KEEPERS,
}

OBJECT_FOR_PK: dict[str, str] = {
    "costs:ledger_line_": "costs.line",
    "api:costs:ledger-line-": "costs.line",
    "costs:ledger_job": "costs.job",
    "costs:ledger_chart_void": "costs.chartitem",
}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    """A line entered by the CQO (with its job from a pull of the sources) and an added item."""
    import datetime

    from django.utils import timezone

    from cqo.costs import services_ledger as S

    cqo = world.users["cqo"]
    today = timezone.localdate()
    line = S.ledger_line_add(actor=cqo, date=today, item_code="p_training", amount="120.00",
                             unit=world.objects["unit"], note="matrix")  # fmt: skip
    job = S.ledger_sync(actor=cqo, first=today - datetime.timedelta(days=31), last=today)
    item = S.chart_item_add(actor=cqo, code="p_matrix", category="prevention", name="矩阵")
    world.objects.update({"costs.line": line, "costs.job": job, "costs.chartitem": item})
