"""Who may do what with rewards and penalties (§7.2.4.2).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_rewardrule, view_rewarddecision   every member: the rules and the decisions are open
add_rewardrule, void_rewardrule        the CQO in office sets the rules and voids them
add_rewarddecision                     every member raises a decision with its evidence
decide_rewarddecision                  the CQO in office; never the person concerned nor
                                       the raiser (checked in the service, SoD); also sends a
                                       reward the fund refused to the fund again
void_rewarddecision                    the CQO in office; the raiser while it awaits the CQO
delete_*, change_*                     nobody: records are voided
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation.rules import is_active_user, is_member

cqo_in_office = is_active_user & is_current_cqo


@rules.predicate
def raised_it_awaiting(user: Any, decision: Any) -> bool:
    from .models_rewards import DecisionStatus

    return (
        decision is not None
        and decision.raised_by_id == user.pk
        and decision.status == DecisionStatus.PROPOSED
    )


for _model in ("rewardrule", "rewarddecision"):
    rules.add_perm(f"costs.delete_{_model}", rules.always_deny)
    rules.add_perm(f"costs.change_{_model}", rules.always_deny)
    rules.add_perm(f"costs.view_{_model}", is_member)
rules.add_perm("costs.add_rewardrule", cqo_in_office)
rules.add_perm("costs.void_rewardrule", cqo_in_office)
rules.add_perm("costs.add_rewarddecision", is_member)
rules.add_perm("costs.decide_rewarddecision", cqo_in_office)
rules.add_perm("costs.void_rewarddecision", cqo_in_office | (is_active_user & raised_it_awaiting))
