"""Who may do what with quality anomalies (§6 c)). Shared by the app's parts: add rows, do not
reorder.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_anomaly, view_anomalylot,         every member (an anomaly is everyone's business;
view_anomalydefect, view_anomalyphoto, auditors read all)
view_anomalynotice, view_defectcode
add_anomaly                            every active member (raised by anyone, on a phone)
contain_anomaly                        inspectors, quality engineers, the CQO, the deputy,
                                       the CQO in office, and the NCR's owner (holds, sorting,
                                       customer notices; the gate checks its own permission)
change_anomaly                         quality engineers, the CQO, the deputy, the CQO in
                                       office, and the NCR's owner (status, owner)
close_anomaly                          quality engineers, the CQO, the deputy, the CQO in
                                       office, holders of §6 c); never whoever raised or owns it
void_anomaly                           quality engineers, the CQO, the deputy, the CQO in office
add/change/void_defectcode,            quality engineers, the CQO, the deputy, the CQO in
import_defectcode                      office
export_anomaly                         every member (the list they can read, to Excel)
delete_*                               nobody (quality records are voided, never deleted)
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user, is_member

# Each part keeps its own rows in rules_<part>.py, imported here for django-rules to find.
from . import rules_capa  # noqa: F401


@rules.predicate
def owns_anomaly(user: Any, anomaly: Any) -> bool:
    return anomaly is not None and getattr(anomaly, "owner_id", None) == getattr(user, "pk", 0)


engineer = is_active_user & (has_role(R.QUALITY_ENGINEER, R.CQO, R.DEPUTY) | is_current_cqo)
gate_staff = engineer | (is_active_user & has_role(R.INSPECTOR))

for _model in (
    "anomaly", "anomalylot", "anomalydefect", "anomalyphoto", "anomalynotice", "defectcode",
):  # fmt: skip
    rules.add_perm(f"anomalies.view_{_model}", is_member)
    rules.add_perm(f"anomalies.delete_{_model}", rules.always_deny)

rules.add_perm("anomalies.add_anomaly", is_active_user & is_member)
rules.add_perm("anomalies.export_anomaly", is_member)
rules.add_perm("anomalies.contain_anomaly", gate_staff | (is_active_user & owns_anomaly))
rules.add_perm("anomalies.change_anomaly", engineer | (is_active_user & owns_anomaly))
rules.add_perm("anomalies.close_anomaly", engineer | (is_active_user & exercise("c")))
rules.add_perm("anomalies.void_anomaly", engineer)
for _verb in ("add", "change", "void", "import"):
    rules.add_perm(f"anomalies.{_verb}_defectcode", engineer)
