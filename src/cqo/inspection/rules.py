"""Who may do what in inspection (§6 e), §7.2.3.2). Each part adds its rows below its own
heading; nothing is reordered.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
SPC (§7.2.3.2)
view_spc, view_controllimits,          every member (charts, capability, alarms)
view_spcalarm
freeze_controllimits,                  quality engineers and the CQO (role, or in office):
add_controllimits                        phase I limits judge which period was stable
handle_spcalarm                        quality engineers, the CQO and the deputy
change/delete_controllimits,           nobody: limits are superseded by a new freeze, alarms
change/delete_spcalarm                   are acknowledged or closed through the services
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user, is_member

# --- SPC (§7.2.3.2) ---------------------------------------------------------------------------

spc_freezer = is_active_user & (has_role(R.QUALITY_ENGINEER, R.CQO) | is_current_cqo)
spc_alarm_handler = is_active_user & (
    has_role(R.QUALITY_ENGINEER, R.CQO, R.DEPUTY) | is_current_cqo
)

rules.add_perm("inspection.view_spc", is_member)
for _model in ("controllimits", "spcalarm"):
    rules.add_perm(f"inspection.view_{_model}", is_member)
    rules.add_perm(f"inspection.change_{_model}", rules.always_deny)
    rules.add_perm(f"inspection.delete_{_model}", rules.always_deny)
rules.add_perm("inspection.freeze_controllimits", spc_freezer)
rules.add_perm("inspection.add_controllimits", spc_freezer)
rules.add_perm("inspection.handle_spcalarm", spc_alarm_handler)
