"""Who may do what with the authorities' records.

The nine ``exercise_<code>`` permissions come from the engine (appointment or delegation, never a
group). Everything else is written here, so this table and the code below are the whole matrix.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
exercise_a .. exercise_i               the current CQO; a delegate in force for that
                                       authority and the object's unit (i only when the
                                       charter allows its delegation)
view_delegation, view_veto,            every member (delegations and vetoes are visible)
view_businessdecision,
view_qualitystrategy, view_qualityplan
add_delegation                         a holder of some delegable authority (the service
                                       checks the delegation is no wider than theirs)
revoke_delegation (obj)                the delegator, or the current CQO
view_approvalrequest                   principal, CQO, deputy, auditor, department heads,
                                       quality engineers; on an object also its raiser and
                                       whoever holds its authority; the list opens for every
                                       member and shows them their own requests
add_approvalrequest                    every member (modules raise requests for their users)
decide_approvalrequest (obj)           whoever holds the request's authority for its unit;
                                       the principal instead when the CQO raised it; never
                                       its raiser or anyone its record is about
withdraw_approvalrequest (obj)         its raiser, or the current CQO
add/change_qualitystrategy, add/       holders of §6 a)
change_qualityplan, submit_qualityplan
update_planitem (obj)                  holders of §6 a), or the item's owner
view_proposal                          as view_approvalrequest; on an object also its
                                       addressee and proposer
add_proposal                           holders of §6 b)
answer_proposal (obj)                  its addressee, or a principal
add_businessdecision                   principal, CQO, deputy, department heads, quality
                                       engineers
submit/withdraw_businessdecision (obj) its author, a principal, or the head of the decision's
                                       unit or a unit above it; once approved, withdrawing
                                       is the approver's alone
approve/effect_businessdecision (obj)  a principal who did not record it (effect: also its
                                       author)
veto (obj)                             holders of §6 i) for the decision's unit
lift_veto (obj)                        the current CQO only (never a delegate of §6 i))
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.core.sod import sod_conflict
from cqo.organisation.rules import has_role, is_active_user, is_member

from . import engine
from .catalogue import AUTHORITIES

MANAGEMENT_ROLES = ("principal", "cqo", "deputy", "auditor", "department_head", "quality_engineer")


def exercise(code: str) -> rules.Predicate:
    @rules.predicate(name=f"exercise_{code}")
    def _exercise(user: Any, obj: Any = None) -> bool:
        return engine.holds(user, code, unit=engine.unit_of(obj))

    return _exercise


for _authority in AUTHORITIES:
    rules.add_perm(_authority.perm, is_active_user & exercise(_authority.code))


@rules.predicate
def holds_any_delegable(user: Any) -> bool:
    return any(engine.holds(user, a.code) for a in AUTHORITIES if a.delegable) or engine.holds(
        user, "i"
    )


@rules.predicate
def is_current_cqo(user: Any) -> bool:
    return engine.is_current_cqo(user)


@rules.predicate
def is_delegator(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "delegator_id", None) == user.pk


@rules.predicate
def is_raiser(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "raised_by_id", None) == user.pk


@rules.predicate
def is_addressee(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "addressee_id", None) == user.pk


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "created_by_id", None) == user.pk


@rules.predicate
def is_item_owner(user: Any, obj: Any) -> bool:
    owner = getattr(obj, "owner", None) if obj is not None else None
    return owner is not None and getattr(owner, "user_id", None) == user.pk


@rules.predicate
def is_listing(user: Any, obj: Any) -> bool:
    """No object: the question is whether to open the list, which the selector then filters to
    what this user may see."""
    return obj is None


@rules.predicate
def holds_request_authority(user: Any, obj: Any) -> bool:
    if obj is None:
        return any(engine.holds(user, a.code) for a in AUTHORITIES)
    return engine.holds(user, obj.authority, unit=engine.unit_of(obj))


@rules.predicate
def sod_clear(user: Any, obj: Any) -> bool:
    """Not the request's raiser nor anyone its record is about (``cqo.core.sod``)."""
    if obj is None:
        return True
    from .services import approval_subject_people

    return not sod_conflict(
        actor=user, raised_by=obj.raised_by_id, subject_people=approval_subject_people(obj)
    )


@rules.predicate
def raised_by_cqo(user: Any, obj: Any) -> bool:
    return obj is not None and engine.is_current_cqo(obj.raised_by)


@rules.predicate
def holds_veto_over(user: Any, obj: Any) -> bool:
    # A veto record stands for its decision: lifting asks about the decision's unit.
    subject = getattr(obj, "subject", obj) if obj is not None and hasattr(obj, "lifted_at") else obj
    return engine.holds(user, "i", unit=engine.unit_of(subject))


# Management reads the whole inbox and all proposals. The CQO in office counts whatever their
# groups say: the post, not a group, carries the authorities (§6).
is_management = is_active_user & (has_role(*MANAGEMENT_ROLES) | is_current_cqo)
is_principal = is_active_user & has_role("principal")
decision_maker = is_active_user & has_role(
    "principal", "cqo", "deputy", "department_head", "quality_engineer"
)
exercise_a = is_active_user & exercise("a")

for _model in ("delegation", "veto"):
    rules.add_perm(f"authorities.view_{_model}", is_member)
for _model in ("delegation", "veto", "approvalrequest"):
    rules.add_perm(f"authorities.delete_{_model}", rules.always_deny)

rules.add_perm("authorities.add_delegation", is_active_user & holds_any_delegable)
rules.add_perm("authorities.revoke_delegation", is_active_user & (is_delegator | is_current_cqo))
rules.add_perm("authorities.change_delegation", rules.always_deny)

rules.add_perm(
    "authorities.view_approvalrequest",
    is_management
    | (is_member & is_listing)
    | (is_active_user & (is_raiser | holds_request_authority)),
)
rules.add_perm("authorities.add_approvalrequest", is_member)
# Segregation of duties: never one's own request; the CQO's own requests go to the principal.
rules.add_perm(
    "authorities.decide_approvalrequest",
    is_active_user
    & sod_clear
    & ((holds_request_authority & ~raised_by_cqo) | (has_role("principal") & raised_by_cqo)),
)
rules.add_perm(
    "authorities.withdraw_approvalrequest", is_active_user & (is_raiser | is_current_cqo)
)


rules.add_perm("authorities.veto", is_active_user & holds_veto_over)
# Lifting is the CQO's alone: a deputy holding a delegated §6 i) may veto but not lift.
rules.add_perm("authorities.lift_veto", is_active_user & is_current_cqo)

# The post's panels (below this app) ask by name whether someone holds an authority by delegation.
rules.add_rule("holds_a_delegated_authority", lambda user: bool(_delegated_codes(user)))


def _delegated_codes(user: Any) -> frozenset[str]:
    from .panels import delegated_codes

    return delegated_codes(user)
