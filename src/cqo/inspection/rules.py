"""Who may do what in the inspection app (§6 e), §6 c)). Each part adds its rows; shared file:
add, don't reorder.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_measurement, view_concession,     every member (inspection records are the enterprise's
view_disposition,                      quality data; auditors read all)
view_inspectionattachment
add_measurement, void_measurement,     inspectors and quality engineers
add_inspectionattachment,
void_inspectionattachment
decide_inspectionlot                   inspectors and quality engineers (the usage decision)
add_concession                         inspectors, quality engineers, the CQO and deputies
                                       (approving it is §6 c): the approval request's rule)
add_disposition, void_disposition      quality engineers, the CQO and deputies
delete_*                               nobody
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user, is_member

# --- results (results part) -------------------------------------------------------------------

records_results = is_active_user & has_role(R.INSPECTOR, R.QUALITY_ENGINEER)
raises_concessions = is_active_user & has_role(R.INSPECTOR, R.QUALITY_ENGINEER, R.CQO, R.DEPUTY)
disposes = is_active_user & has_role(R.QUALITY_ENGINEER, R.CQO, R.DEPUTY)

for _model in ("measurement", "concession", "disposition", "inspectionattachment"):
    rules.add_perm(f"inspection.view_{_model}", is_member)
    rules.add_perm(f"inspection.delete_{_model}", rules.always_deny)
rules.add_perm("inspection.add_measurement", records_results)
rules.add_perm("inspection.void_measurement", records_results)
rules.add_perm("inspection.add_inspectionattachment", records_results)
rules.add_perm("inspection.void_inspectionattachment", records_results)
rules.add_perm("inspection.decide_inspectionlot", records_results)
rules.add_perm("inspection.add_concession", raises_concessions)
rules.add_perm("inspection.add_disposition", disposes)
rules.add_perm("inspection.void_disposition", disposes)

# The lots part owns the inspection lot's own permissions; until it defines them, results are
# shown to the members who may read them.
if not rules.perm_exists("inspection.view_inspectionlot"):
    rules.add_perm("inspection.view_inspectionlot", is_member)
