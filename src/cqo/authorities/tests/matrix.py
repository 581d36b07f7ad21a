"""The authorities' rows of the permission matrix (tests/security/test_permission_matrix.py).

The world: the matrix's CQO-role account holds a signed appointment (so it holds the nine
authorities), the deputy holds §6 c) for the quality unit, an inspector has raised a request
there, the CQO has put a proposal to the principal, a quality engineer owns a plan item and
recorded two business decisions (one vetoed).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.decisions import services as DS
from cqo.plans import services as PS
from cqo.testing.matrix import ANONYMOUS, ROLES

MANAGEMENT = ("principal", "cqo", "deputy", "auditor", "department_head", "quality_engineer")


def _page(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 200, **who}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


def _api() -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 200}


def _api_seen_by(*roles: str) -> dict[str, int]:
    # Detail endpoints read through the selectors: what a user may not see is not there (404).
    return {ANONYMOUS: 403, "*": 404, **dict.fromkeys(roles, 200)}


# A POST-only page or API action: a GET is not allowed (after sign-in for the pages).
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "authorities:index": {ANONYMOUS: 302, "*": 302},
    "authorities:approval_list": _page(),
    "authorities:approval_detail": _page_for(*MANAGEMENT, "inspector"),
    "authorities:approval_new": _page(),
    "authorities:approval_attachment": _page_for(*MANAGEMENT, "inspector"),
    "authorities:approval_withdraw": PAGE_POST_ONLY,
    "authorities:delegation_list": _page(),
    "authorities:delegation_revoke": PAGE_POST_ONLY,
    "plans:strategy_list": _page(),
    "plans:strategy_status": PAGE_POST_ONLY,
    "plans:plan_detail": _page(),
    "plans:plan_item_progress": PAGE_POST_ONLY,
    "decisions:proposal_list": _page(),
    "decisions:proposal_detail": _page_for(*MANAGEMENT),
    "decisions:decision_list": _page(),
    "decisions:decision_detail": _page(),
    "decisions:decision_step": PAGE_POST_ONLY,
    "authorities:veto_list": _page(),
    "authorities:veto_lift": PAGE_POST_ONLY,
    "authorities:veto_impose": PAGE_POST_ONLY,
    "notifications:notification_list": _page(),
    "api:authorities:api-root": _api(),
    "api:authorities:delegation-list": _api(),
    "api:authorities:delegation-detail": _api(),
    "api:authorities:delegation-revoke": API_POST_ONLY,
    "api:authorities:approval-list": _api(),
    "api:authorities:approval-detail": _api_seen_by(*MANAGEMENT, "inspector"),
    "api:authorities:approval-decide": API_POST_ONLY,
    "api:authorities:approval-attachment": {
        ANONYMOUS: 403,
        "*": 403,
        **dict.fromkeys((*MANAGEMENT, "inspector"), 200),
    },
    "api:authorities:approval-withdraw": API_POST_ONLY,
    "api:plans:strategy-list": _api(),
    "api:plans:strategy-detail": _api(),
    "api:plans:strategy-set-status": API_POST_ONLY,
    "api:plans:plan-list": _api(),
    "api:plans:plan-detail": _api(),
    "api:plans:plan-items": API_POST_ONLY,
    "api:plans:plan-submit": API_POST_ONLY,
    "api:plans:plan-close": API_POST_ONLY,
    "api:plans:plan-item-detail": _api(),
    "api:plans:plan-item-progress": API_POST_ONLY,
    "api:decisions:proposal-list": _api(),
    "api:decisions:proposal-detail": _api_seen_by(*MANAGEMENT),
    "api:decisions:proposal-answer": API_POST_ONLY,
    "api:decisions:decision-list": _api(),
    "api:decisions:decision-detail": _api(),
    "api:decisions:decision-submit": API_POST_ONLY,
    "api:decisions:decision-approve": API_POST_ONLY,
    "api:decisions:decision-effect": API_POST_ONLY,
    "api:decisions:decision-withdraw": API_POST_ONLY,
    "api:authorities:veto-list": _api(),
    "api:authorities:veto-detail": _api(),
    "api:authorities:veto-lift": API_POST_ONLY,
    "api:notifications:notification-list": _api(),
    "api:notifications:notification-read": API_POST_ONLY,
}

DECIDERS = ("principal", "cqo", "deputy", "department_head", "quality_engineer")

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:authorities:delegation-list": ("cqo", "deputy"),
    "api:authorities:delegation-revoke": ("cqo",),
    "api:authorities:approval-list": ROLES,  # any module raises requests for its users
    "api:authorities:approval-decide": ("cqo", "deputy"),
    "api:authorities:approval-withdraw": ("cqo", "inspector"),
    "api:plans:strategy-list": ("cqo",),
    "api:plans:strategy-set-status": ("cqo",),
    "api:plans:plan-list": ("cqo",),
    "api:plans:plan-items": ("cqo",),
    "api:plans:plan-submit": ("cqo",),
    "api:plans:plan-close": ("cqo",),
    "api:plans:plan-item-progress": ("cqo", "quality_engineer"),
    "api:decisions:proposal-list": ("cqo",),
    "api:decisions:proposal-answer": ("principal",),
    "api:decisions:decision-list": DECIDERS,
    "api:decisions:decision-submit": ("principal", "department_head", "quality_engineer"),
    "api:decisions:decision-approve": ("principal",),
    "api:decisions:decision-effect": ("principal", "quality_engineer"),
    "api:decisions:decision-withdraw": ("principal", "department_head", "quality_engineer"),
    "api:authorities:veto-lift": ("cqo",),
    "api:authorities:veto-list": ("cqo",),  # POST vetoes any vetoable record (§6 i))
    "api:notifications:notification-read": ROLES,  # each marks only their own
}

OBJECT_FOR_PK = {
    "authorities:approval_": "authorities.approval",
    "authorities:delegation_": "authorities.delegation",
    "plans:plan_detail": "authorities.plan",
    "plans:plan_item_": "authorities.item",
    "decisions:proposal_": "decisions.proposal",
    "decisions:decision_": "authorities.decision",
    "authorities:veto_": "authorities.veto",
    "api:authorities:delegation-": "authorities.delegation",
    "api:authorities:approval-": "authorities.approval",
    "api:plans:strategy-": "authorities.strategy",
    "plans:strategy_status": "authorities.strategy",
    "api:plans:plan-": "authorities.plan",
    "api:plans:plan-item-": "authorities.item",
    "api:decisions:proposal-": "decisions.proposal",
    "api:decisions:decision-": "authorities.decision",
    "api:authorities:veto-": "authorities.veto",
}


def _attachment(world: Any) -> dict[str, Any]:
    approval = world.objects["authorities.approval"]
    return {"pk": approval.pk, "attachment": approval.attachments.get().pk}


KWARGS = {
    "authorities:approval_attachment": _attachment,
    "api:authorities:approval-attachment": _attachment,
    "authorities:veto_impose": lambda world: {
        "subject_type": "decisions.proposal",
        "pk": world.objects["decisions.proposal"].pk,
    },
    "decisions:decision_step": lambda world: {
        "pk": world.objects["authorities.decision"].pk,
        "step": "submit",
    },
}


def build(world: Any) -> None:
    from cqo.authorities import services as S
    from cqo.post.selectors import cqo_current
    from cqo.testing.factories import TEST_PASSWORD
    from cqo.testing.world import appoint

    users = world.users
    unit = world.objects["unit"]
    today = timezone.localdate()
    if cqo_current() is None:
        appoint(world, users["cqo"], start=today - datetime.timedelta(days=30))
    enterprise = world.objects["enterprise"]
    if enterprise.principal_id is None:
        enterprise.principal = users["principal"].person
        enterprise.save(update_fields=["principal"])
    delegation = S.delegation_create(
        actor=users["cqo"], authority="c", delegate=users["deputy"].person, units=[unit],
        start_date=today, end_date=today + datetime.timedelta(days=30),
    )  # fmt: skip
    decision = DS.decision_create(
        actor=users["quality_engineer"], kind="other", title="矩阵决策", unit=unit
    )
    vetoed = DS.decision_create(
        actor=users["quality_engineer"], kind="product_launch", title="矩阵否决", unit=unit
    )
    veto = S.veto_impose(actor=users["cqo"], subject=vetoed, reason="矩阵", password=TEST_PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    approval = S.approval_request_raise(
        actor=users["inspector"], subject=decision, kind="concession", unit=unit, summary="矩阵",
        attachments=[SimpleUploadedFile("matrix.pdf", b"%PDF-1.4 matrix")],
    )  # fmt: skip
    strategy = PS.strategy_create(actor=users["cqo"], title="矩阵战略", start_year=today.year,
                                 end_year=today.year)  # fmt: skip
    plan = PS.plan_create(actor=users["cqo"], title="矩阵计划", year=today.year, strategy=strategy)
    item = PS.plan_item_add(
        actor=users["cqo"], plan=plan, title="矩阵事项",
        owner=users["quality_engineer"].person, due_date=today + datetime.timedelta(days=30),
    )  # fmt: skip
    proposal = DS.proposal_submit(
        actor=users["cqo"], title="矩阵建议", body="……", addressee=users["principal"]
    )
    world.objects.update(
        {
            "authorities.delegation": delegation,
            "authorities.decision": decision,
            "authorities.veto": veto,
            "authorities.approval": approval,
            "authorities.strategy": strategy,
            "authorities.plan": plan,
            "authorities.item": item,
            "decisions.proposal": proposal,
        }
    )
