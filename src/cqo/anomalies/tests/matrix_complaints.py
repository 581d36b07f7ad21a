"""The complaints part's rows of the permission matrix (merged by ``matrix.py``).

Every member reads complaints and the response policies; quality engineers, the CQO and the
deputy record complaints and take their steps; the CQO and the deputy set the policies.
"""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

WRITERS = ("quality_engineer", "cqo", "deputy")
POLICY_WRITERS = ("cqo", "deputy")
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}


def _page(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 200, **who}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api() -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 200}


EXPECTED: dict[str, dict[str, int]] = {
    "anomalies:complaint_list": _page(),
    "anomalies:complaint_new": _page_for(*WRITERS),
    "anomalies:complaint_export": _page(),
    "anomalies:complaint_policy_list": _page(),
    "anomalies:complaint_detail": _page(),
    "api:anomalies:complaint-list": _api(),
    "api:anomalies:complaint-detail": _api(),
    "api:anomalies:complaint-contain": API_POST_ONLY,
    "api:anomalies:complaint-eightd": API_POST_ONLY,
    "api:anomalies:complaint-close": API_POST_ONLY,
    "api:anomalies:complaint-reject": API_POST_ONLY,
    "api:anomalies:complaint-withdraw": API_POST_ONLY,
    "api:anomalies:complaint-void": API_POST_ONLY,
    "api:anomalies:complaint-policy-list": _api(),
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:anomalies:complaint-list": WRITERS,
    "api:anomalies:complaint-contain": WRITERS,
    "api:anomalies:complaint-eightd": WRITERS,
    "api:anomalies:complaint-close": WRITERS,
    "api:anomalies:complaint-reject": WRITERS,
    "api:anomalies:complaint-withdraw": WRITERS,
    "api:anomalies:complaint-void": WRITERS,
    "api:anomalies:complaint-policy-list": POLICY_WRITERS,
}

OBJECT_FOR_PK = {
    "anomalies:complaint_": "anomalies.complaint",
    "api:anomalies:complaint-": "anomalies.complaint",
}


def build(world: Any) -> None:
    from cqo.anomalies.services_complaints import complaint_record
    from cqo.testing.complaints import complaint_world

    engineer = world.users["quality_engineer"]
    w = complaint_world(created_by=engineer)
    world.objects["anomalies.complaint"] = complaint_record(
        actor=engineer, customer=w.customer, item=w.item, lot=w.lot,
        description="矩阵投诉：孔径偏大", claim_amount="100.00",
    )  # fmt: skip
