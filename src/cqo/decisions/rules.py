"""Who may do what with proposals (§6 b)) and business decisions.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_businessdecision                  every member
view_proposal                          principal, CQO, deputy, auditor, department heads,
                                       quality engineers; on an object also its addressee
                                       and proposer
add_proposal                           holders of §6 b)
answer_proposal (obj)                  its addressee, or a principal
add_businessdecision                   principal, CQO, deputy, department heads, quality
                                       engineers
submit/withdraw_businessdecision (obj) its author, a principal, or the head of the decision's
                                       unit or a unit above it; once approved, withdrawing
                                       is the approver's alone
approve/effect_businessdecision (obj)  a principal (effect: also its author)
delete_*                               nobody
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import (
    decision_maker,
    exercise,
    is_addressee,
    is_author,
    is_listing,
    is_management,
    is_principal,
    is_raiser,
)
from cqo.organisation.rules import has_role, headed_paths, is_active_user, is_member

rules.add_perm("decisions.view_businessdecision", is_member)
for _model in ("businessdecision", "proposal"):
    rules.add_perm(f"decisions.delete_{_model}", rules.always_deny)
rules.add_perm(
    "decisions.view_proposal",
    is_management | (is_member & is_listing) | (is_active_user & (is_raiser | is_addressee)),
)
rules.add_perm("decisions.add_proposal", is_active_user & exercise("b"))
rules.add_perm("decisions.answer_proposal", is_active_user & (is_addressee | is_principal))

rules.add_perm("decisions.add_businessdecision", decision_maker)


@rules.predicate
def heads_decision_unit(user: Any, obj: Any) -> bool:
    """A department head, for a decision of a unit in the tree they head. Without an object (is
    there a button to show?) any department head; a decision of no unit is the enterprise's own
    and belongs to no head's tree."""
    if not has_role("department_head")(user):
        return False
    if obj is None:
        return True
    unit = getattr(obj, "unit", None)
    return unit is not None and any(unit.path.startswith(p) for p in headed_paths(user))


@rules.predicate
def approved_by_someone_else(user: Any, obj: Any) -> bool:
    """Once approved, a decision is the approver's to withdraw (issue 8 §1)."""
    return (
        obj is not None
        and getattr(obj, "approved_by_id", None) is not None
        and obj.approved_by_id != user.pk
    )


_author_or_head = is_active_user & (is_author | has_role("principal") | heads_decision_unit)
rules.add_perm("decisions.submit_businessdecision", _author_or_head)
rules.add_perm("decisions.withdraw_businessdecision", _author_or_head & ~approved_by_someone_else)
rules.add_perm("decisions.approve_businessdecision", is_principal & ~is_author)
rules.add_perm("decisions.effect_businessdecision", is_principal | (is_active_user & is_author))
