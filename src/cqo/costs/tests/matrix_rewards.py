"""The rewards part's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who holds what follows ``cqo/costs/rules_rewards.py``: the rules and the decisions are open to
every member, and every member may raise a decision; the matrix's CQO (appointed, so in office)
sets and voids the rules and decides."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS, ROLES

PAGE = {ANONYMOUS: 302, "*": 200}
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
API = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "costs:reward_rule_list": PAGE,
    "costs:reward_rule_detail": PAGE,
    "costs:reward_decision_list": PAGE,
    "costs:reward_decision_new": PAGE,
    "costs:reward_decision_detail": PAGE,
    "costs:reward_decision_decide": PAGE_POST_ONLY,
    "costs:reward_decision_void": PAGE_POST_ONLY,
    "costs:reward_decision_pay": PAGE_POST_ONLY,
    "costs:reward_decision_evidence": PAGE,
    "api:costs:reward-rule-list": API,
    "api:costs:reward-rule-detail": API,
    "api:costs:reward-rule-void": API_POST_ONLY,
    "api:costs:reward-decision-list": API,
    "api:costs:reward-decision-detail": API,
    "api:costs:reward-decision-decide": API_POST_ONLY,
    "api:costs:reward-decision-void": API_POST_ONLY,
    "api:costs:reward-decision-pay": API_POST_ONLY,
}
API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:costs:reward-rule-list": ("cqo",),
    "api:costs:reward-rule-void": ("cqo",),
    "api:costs:reward-decision-list": ROLES,
    "api:costs:reward-decision-decide": ("cqo",),
    # the decision awaits the CQO: its raiser (the employee) may still withdraw it
    "api:costs:reward-decision-void": ("cqo", "employee"),
    "api:costs:reward-decision-pay": ("cqo",),
}
OBJECT_FOR_PK: dict[str, str] = {
    "costs:reward_rule_": "costs.reward_rule",
    "api:costs:reward-rule-": "costs.reward_rule",
    "costs:reward_decision_": "costs.reward_decision",
    "api:costs:reward-decision-": "costs.reward_decision",
}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    """A reward rule set by the CQO and the employee's decision under it, with its evidence,
    awaiting the CQO."""
    from cqo.costs import services_rewards as S
    from cqo.testing.fund import voucher
    from cqo.testing.world import today

    cqo = world.users["cqo"]
    rule = S.reward_rule_create(actor=cqo, code="MX-R", kind="reward", title="矩阵奖励",
                                basis="矩阵", amount_min="100", amount_max="1000",
                                active_from=today())  # fmt: skip
    decision = S.reward_decision_raise(
        actor=world.users["employee"], rule=rule, unit=world.objects["unit"], amount="500",
        reason="矩阵", evidence=voucher("evidence.pdf"),
    )  # fmt: skip
    world.objects.update({"costs.reward_rule": rule, "costs.reward_decision": decision})
