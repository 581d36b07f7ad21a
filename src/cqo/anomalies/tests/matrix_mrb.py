"""The review board's and the costs' rows of the permission matrix (merged by ``matrix.py``): an
NCR of 500 on a rejected lot with an opinion, a decided scrap, a concession awaiting the CQO and
a cost line."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

BOARD = ("quality_engineer", "inspector", "department_head", "cqo", "deputy")
DISPOSERS = ("quality_engineer", "cqo", "deputy")
COMPLETERS = (*DISPOSERS, "department_head")

_PAGE = {ANONYMOUS: 302, "*": 200}
_PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
_API = {ANONYMOUS: 403, "*": 200}
_API_POST_ONLY = {ANONYMOUS: 403, "*": 405}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "anomalies:opinion_add": _PAGE_POST_ONLY,
    "anomalies:opinion_void": _PAGE_POST_ONLY,
    "anomalies:disposition_new": _page_for(*DISPOSERS),
    "anomalies:disposition_detail": _PAGE,
    "anomalies:disposition_complete": _PAGE_POST_ONLY,
    "anomalies:disposition_void": _PAGE_POST_ONLY,
    "anomalies:cost_add": _page_for(*DISPOSERS),
    "anomalies:cost_void": _PAGE_POST_ONLY,
    "anomalies:review_policy": _PAGE,
    "api:anomalies:disposition-list": _API,
    "api:anomalies:disposition-detail": _API,
    "api:anomalies:disposition-done": _API_POST_ONLY,
    "api:anomalies:disposition-void": _API_POST_ONLY,
    "api:anomalies:opinion-list": _API,
    "api:anomalies:opinion-detail": _API,
    "api:anomalies:cost-list": _API,
    "api:anomalies:cost-detail": _API,
    "api:anomalies:cost-void": _API_POST_ONLY,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:anomalies:disposition-list": DISPOSERS,
    "api:anomalies:disposition-done": COMPLETERS,
    "api:anomalies:disposition-void": DISPOSERS,
    "api:anomalies:opinion-list": BOARD,
    "api:anomalies:cost-list": DISPOSERS,
    "api:anomalies:cost-void": DISPOSERS,
}

OBJECT_FOR_PK: dict[str, str] = {
    "anomalies:opinion_add": "mrb_ncr",
    "anomalies:opinion_void": "mrb_opinion",
    "anomalies:disposition_new": "mrb_ncr",
    "anomalies:disposition_": "mrb_disposition",
    "anomalies:cost_void": "mrb_cost",
    "api:anomalies:disposition-": "mrb_disposition",
    "api:anomalies:opinion-": "mrb_opinion",
    "api:anomalies:cost-": "mrb_cost",
}

KWARGS: dict[str, Any] = {
    "anomalies:cost_add": lambda world: {"record": "anomaly", "pk": world.objects["mrb_ncr"].pk},
}


def build(world: Any) -> None:
    from cqo.anomalies import services_costs as C
    from cqo.anomalies import services_mrb as S
    from cqo.testing.mrb import rejected_ncr

    engineer = world.users["quality_engineer"]
    ncr = rejected_ncr(engineer, quantity="500")
    opinion = S.opinion_record(actor=engineer, anomaly=ncr, text="矩阵", recommendation="scrap")
    disposition = S.disposition_propose(
        actor=engineer, anomaly=ncr, kind="scrap", quantity="100", reason="矩阵", unit_cost="1"
    )
    S.disposition_propose(
        actor=engineer, anomaly=ncr, kind="concession", quantity="100", reason="矩阵",
        conditions="矩阵",
    )  # fmt: skip
    cost = C.cost_entry_add(actor=engineer, record=ncr, item_code="i_nonconformity", amount="10")
    world.objects.update(
        mrb_ncr=ncr, mrb_opinion=opinion, mrb_disposition=disposition, mrb_cost=cost
    )
