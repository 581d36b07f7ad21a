"""Who may do what on the review board (MRB) and with the app's costs (§6 c), §7.1.5). Imported
from ``register_mrb()``; the app's other rules are in ``rules.py``.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_reviewopinion, view_disposition,  every member (auditors read all)
view_costentry, view_reviewpolicy
add_reviewopinion                      board members: quality engineers, inspectors,
                                       department heads, the CQO, the deputy, the CQO in
                                       office
void_reviewopinion                     the member who wrote it (same roles)
add_disposition, void_disposition      quality engineers, the CQO, the deputy, the CQO in
                                       office (approval, when needed, is §6 c)'s rule)
complete_disposition                   as above, and department heads (production carries
                                       out rework and scrap)
add_costentry, void_costentry          quality engineers, the CQO, the deputy, the CQO in
                                       office
change_reviewpolicy                    the CQO (role, or in office)
change_*, delete_*                     nobody: the services change these records; they are
                                       voided, never deleted
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user, is_member

BOARD = (R.QUALITY_ENGINEER, R.INSPECTOR, R.DEPARTMENT_HEAD, R.CQO, R.DEPUTY)
DISPOSERS = (R.QUALITY_ENGINEER, R.CQO, R.DEPUTY)


@rules.predicate
def wrote_opinion(user: Any, opinion: Any) -> bool:
    return opinion is None or getattr(opinion, "member_id", None) == getattr(user, "pk", 0)


board_member = is_active_user & (has_role(*BOARD) | is_current_cqo)
disposer = is_active_user & (has_role(*DISPOSERS) | is_current_cqo)
completer = disposer | (is_active_user & has_role(R.DEPARTMENT_HEAD))
cqo = is_active_user & (has_role(R.CQO) | is_current_cqo)

for _model in ("reviewopinion", "disposition", "costentry", "reviewpolicy"):
    rules.add_perm(f"anomalies.view_{_model}", is_member)
    rules.add_perm(f"anomalies.delete_{_model}", rules.always_deny)
for _model in ("reviewopinion", "disposition", "costentry"):
    rules.add_perm(f"anomalies.change_{_model}", rules.always_deny)

rules.add_perm("anomalies.add_reviewopinion", board_member)
rules.add_perm("anomalies.void_reviewopinion", board_member & wrote_opinion)
rules.add_perm("anomalies.add_disposition", disposer)
rules.add_perm("anomalies.void_disposition", disposer)
rules.add_perm("anomalies.complete_disposition", completer)
rules.add_perm("anomalies.add_costentry", disposer)
rules.add_perm("anomalies.void_costentry", disposer)
rules.add_perm("anomalies.change_reviewpolicy", cqo)
