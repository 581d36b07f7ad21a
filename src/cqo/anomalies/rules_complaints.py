"""Who may do what with customer complaints (§6 c)). Loaded by ``register_complaints``.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_complaint, view_complaintpolicy   every member (a complaint is everyone's business;
                                       auditors read all)
add_complaint, change_complaint        quality engineers, the CQO and the deputy, and the
(contain, 8D submitted, reject,        CQO in office whatever their groups
withdraw), void_complaint
close_complaint                        the same people; the service refuses the complaint's
                                       owner and recorder (segregation of duties)
add_complaintpolicy,                   the CQO and the deputy, and the CQO in office: the
change_complaintpolicy                 deadlines are a promise to the customer
delete_*                               nobody (records are voided, never deleted)
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user, is_member

COMPLAINT_WRITERS = (R.QUALITY_ENGINEER, R.CQO, R.DEPUTY)
POLICY_WRITERS = (R.CQO, R.DEPUTY)

handles_complaints = is_active_user & (has_role(*COMPLAINT_WRITERS) | is_current_cqo)
sets_policies = is_active_user & (has_role(*POLICY_WRITERS) | is_current_cqo)

for _model in ("complaint", "complaintpolicy"):
    rules.add_perm(f"anomalies.view_{_model}", is_member)
    rules.add_perm(f"anomalies.delete_{_model}", rules.always_deny)
rules.add_perm("anomalies.add_complaint", handles_complaints)
rules.add_perm("anomalies.change_complaint", handles_complaints)
rules.add_perm("anomalies.close_complaint", handles_complaints)
rules.add_perm("anomalies.void_complaint", handles_complaints)
rules.add_perm("anomalies.add_complaintpolicy", sets_policies)
rules.add_perm("anomalies.change_complaintpolicy", sets_policies)
