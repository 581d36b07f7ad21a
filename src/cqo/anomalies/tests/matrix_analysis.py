"""The analysis part's rows of the permission matrix (merged by ``matrix.py``).

The analysis of nonconformances (``anomalies.view_analysis``) is read by the principal, the CQO,
the deputy, quality engineers, inspectors, department heads and auditors. Everything here is read
only: no URL takes an object.
"""

from __future__ import annotations

from cqo.testing.matrix import ANONYMOUS

READERS = (
    "principal", "cqo", "deputy", "quality_engineer", "inspector", "department_head", "auditor",
)  # fmt: skip


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "anomalies:analysis": _page_for(*READERS),
    "anomalies:analysis_xlsx": _page_for(*READERS),
    "anomalies:analysis_ageing": _page_for(*READERS),
    "anomalies:analysis_ageing_xlsx": _page_for(*READERS),
}
