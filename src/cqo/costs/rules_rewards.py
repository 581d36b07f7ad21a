"""Who may do what with rewards and penalties (§7.2.4.2).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_rewardrule, view_rewarddecision   every member: the rules and the decisions are open
add_rewardrule, void_rewardrule        the CQO in office sets the rules and voids them
add_rewarddecision                     every member raises a decision with its evidence
decide_rewarddecision                  the CQO in office; never the person concerned nor
                                       the raiser (checked in the service, SoD)
delete_*, change_*                     nobody: records are voided
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation.rules import is_active_user, is_member

cqo_in_office = is_active_user & is_current_cqo

for _model in ("rewardrule", "rewarddecision"):
    rules.add_perm(f"costs.delete_{_model}", rules.always_deny)
    rules.add_perm(f"costs.change_{_model}", rules.always_deny)
    rules.add_perm(f"costs.view_{_model}", is_member)
rules.add_perm("costs.add_rewardrule", cqo_in_office)
rules.add_perm("costs.void_rewardrule", cqo_in_office)
rules.add_perm("costs.add_rewarddecision", is_member)
rules.add_perm("costs.decide_rewarddecision", cqo_in_office)
