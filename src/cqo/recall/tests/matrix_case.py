"""The case part's rows of the permission matrix (``cqo/recall/rules_case.py``): every member
reads recall cases and prints their documents; the CQO opens and leads them; the principal
agrees to the decision."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

PAGE = {ANONYMOUS: 302, "*": 200}
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
CQO_PAGE = {ANONYMOUS: 302, "*": 403, "cqo": 200}
API = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

CASE_ACTIONS = ("investigate", "scope", "defect", "propose", "stop", "plan", "notice", "reports",
                "progress", "close", "lift")  # fmt: skip

EXPECTED: dict[str, dict[str, int]] = {
    "recall:case_list": PAGE,
    "recall:case_new": CQO_PAGE,
    "recall:case_detail": PAGE,
    "recall:case_act": PAGE_POST_ONLY,
    "recall:case_plan_pdf": PAGE,
    "recall:case_notice_pdf": PAGE,
    "recall:report_pdf": PAGE,
    "api:recall:case-list": API,
    "api:recall:case-detail": API,
    "api:recall:case-agree": API_POST_ONLY,
    **{f"api:recall:case-{name}": API_POST_ONLY for name in CASE_ACTIONS},
}
API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:recall:case-list": ("cqo",),
    "api:recall:case-agree": ("principal",),
    **{f"api:recall:case-{name}": ("cqo",) for name in CASE_ACTIONS},
}
OBJECT_FOR_PK: dict[str, str] = {
    "recall:case_": "recall_case",
    "api:recall:case-": "recall_case",
    "recall:report_": "recall_report",
}
KWARGS: dict[str, Any] = {
    "recall:case_act": lambda w: {"pk": w.objects["recall_case"].pk, "act": "investigate"},
}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    import datetime

    from cqo.recall.models_case import RecallCase, RecallReport

    cqo = world.users["cqo"]
    case = RecallCase.objects.create(
        number="RC-MATRIX-001", title="矩阵召回", status="notified", created_by=cqo,
        signal_kind="complaint", signal_ref="CC-MATRIX",
    )  # fmt: skip
    world.objects["recall_case"] = case
    world.objects["recall_report"] = RecallReport.objects.create(
        case=case, kind="interim", text="阶段性总结", filed_on=datetime.date(2026, 12, 1),
        filed_by=cqo,
    )  # fmt: skip
