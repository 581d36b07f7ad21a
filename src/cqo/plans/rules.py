"""Who may do what with the strategy and plans (§6 a)).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_qualitystrategy, view_qualityplan every member
view_planitem
add/change_qualitystrategy, add/       holders of §6 a)
change_qualityplan, submit_qualityplan
add_planitem                           holders of §6 a)
update_planitem (obj)                  holders of §6 a), or the item's owner
delete_*                               nobody
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import exercise_a, is_item_owner
from cqo.organisation.rules import is_active_user, is_member

for _model in ("qualitystrategy", "qualityplan", "planitem"):
    rules.add_perm(f"plans.view_{_model}", is_member)
    rules.add_perm(f"plans.delete_{_model}", rules.always_deny)
for _verb in ("add", "change"):
    rules.add_perm(f"plans.{_verb}_qualitystrategy", exercise_a)
    rules.add_perm(f"plans.{_verb}_qualityplan", exercise_a)
rules.add_perm("plans.submit_qualityplan", exercise_a)
rules.add_perm("plans.add_planitem", exercise_a)
rules.add_perm("plans.update_planitem", exercise_a | (is_active_user & is_item_owner))
