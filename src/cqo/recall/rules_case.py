"""Who may do what with recall cases (§7.2.1.4). The CQO leads a recall; the principal agrees
to the decision to recall (never the one who proposed it, ``core.sod``).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_recallcase, view_recalllot,       every member (a recall is the enterprise's business;
view_recalltarget, view_recallreport   the plan and notice are public anyway)
add_recallcase                         the CQO (the role, or the CQO in office)
lead_recallcase (investigate, scope,   the CQO (the role, or the CQO in office)
defect, propose, stop, plan, notice,
reports, targets, progress, close,
lift the case's holds)
agree_recallcase                       the principal
void_recallcase                        the CQO, before the stop
delete_*, change_* (others)            nobody: records are voided, cases ended
=====================================  =====================================================

Lifting a hold a recall placed from the gate's own pages is reserved to the CQO as well
(``masterdata.lift_recall_hold``, declared by the master data).
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation.rules import has_role, is_active_user, is_member

leads = is_active_user & (has_role("cqo") | is_current_cqo)

for _model in ("recallcase", "recalllot", "recalltarget", "recallprogress", "recallreport"):
    rules.add_perm(f"recall.view_{_model}", is_member)
    rules.add_perm(f"recall.delete_{_model}", rules.always_deny)

rules.add_perm("recall.add_recallcase", leads)
rules.add_perm("recall.lead_recallcase", leads)
rules.add_perm("recall.void_recallcase", leads)
rules.add_perm("recall.agree_recallcase", is_active_user & has_role("principal"))
