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
submit/withdraw_businessdecision (obj) its author, a principal or a department head
approve/effect_businessdecision (obj)  a principal (effect: also its author)
delete_*                               nobody
=====================================  =====================================================
"""

from __future__ import annotations

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
from cqo.organisation.rules import has_role, is_active_user, is_member

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
_author_or_head = is_active_user & (is_author | has_role("principal", "department_head"))
rules.add_perm("decisions.submit_businessdecision", _author_or_head)
rules.add_perm("decisions.withdraw_businessdecision", _author_or_head)
rules.add_perm("decisions.approve_businessdecision", is_principal)
rules.add_perm("decisions.effect_businessdecision", is_principal | (is_active_user & is_author))
