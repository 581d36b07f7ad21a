"""Who may do what with the requirements register, the risk register, the risk-control list
and key posts (§7.2.1.1–§7.2.1.3). The registers part's rows; the regime part keeps its own.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_requirementsource, view_require-  every member (the registers are the enterprise's
ment, view_impactreview, view_risk,    business; the control list is posted for everyone)
view_riskcontrol, view_controllist,
view_riskmatrix, view_postacknowledge-
ment
add/change/void_requirementsource,     the register keepers: the CQO (role or in office),
add/change/void_requirement,           the deputy, quality engineers, the holder of the
add/change/void_risk,                  quality-safety director or officer post
add/void_riskcontrol
close_impactreview (obj)               the review's owner, or a register keeper
change_riskmatrix, publish_controllist the CQO (role or in office) or the quality-safety
                                       director (§7.2.1.2: the list is theirs to issue)
acknowledge_post (obj)                 the person holding the key post today, themself
delete_* (any)                         nobody: records are voided, versions superseded
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.core import request_cache
from cqo.organisation.rules import has_role, is_active_user, is_member, user_person


def _held_kinds(user: Any) -> frozenset[str]:
    """The kinds of the posts the user's person holds today (read once per request)."""
    person = user_person(user)
    if person is None:
        return frozenset()

    def compute() -> frozenset[str]:
        from cqo.organisation.models import PostAssignment

        return frozenset(
            PostAssignment.objects.current()
            .filter(person=person, post__voided_at__isnull=True)
            .values_list("post__kind", flat=True)
        )

    return request_cache.remember(("safety.held_kinds", person.pk), compute)


@rules.predicate
def holds_safety_director(user: Any) -> bool:
    return "quality_safety_director" in _held_kinds(user)


@rules.predicate
def holds_safety_officer(user: Any) -> bool:
    return "quality_safety_officer" in _held_kinds(user)


@rules.predicate
def is_review_owner(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "owner_id", None) == user.pk


@rules.predicate
def holds_the_post(user: Any, obj: Any) -> bool:
    """Without a post: has a person at all (is there a button to show?)."""
    person = user_person(user)
    if person is None:
        return False
    if obj is None:
        return True
    from cqo.organisation.models import PostAssignment

    return PostAssignment.objects.current().filter(person=person, post=obj).exists()


issues_list = is_active_user & (has_role("cqo") | is_current_cqo | holds_safety_director)
keeps_registers = is_active_user & (
    has_role("cqo", "deputy", "quality_engineer")
    | is_current_cqo
    | holds_safety_director
    | holds_safety_officer
)

_MODELS = (
    "requirementsource", "requirement", "impactreview", "risk", "riskcontrol", "controllist",
    "riskmatrix", "postacknowledgement",
)  # fmt: skip
for _model in _MODELS:
    rules.add_perm(f"safety.view_{_model}", is_member)
    rules.add_perm(f"safety.delete_{_model}", rules.always_deny)

for _model in ("requirementsource", "requirement", "risk"):
    for _verb in ("add", "change", "void"):
        rules.add_perm(f"safety.{_verb}_{_model}", keeps_registers)
rules.add_perm("safety.add_riskcontrol", keeps_registers)
rules.add_perm("safety.void_riskcontrol", keeps_registers)
rules.add_perm("safety.change_riskcontrol", rules.always_deny)
rules.add_perm("safety.close_impactreview", keeps_registers | (is_active_user & is_review_owner))
rules.add_perm("safety.change_riskmatrix", issues_list)
rules.add_perm("safety.publish_controllist", issues_list)
rules.add_perm("safety.change_controllist", rules.always_deny)
rules.add_perm("safety.acknowledge_post", is_active_user & holds_the_post)
