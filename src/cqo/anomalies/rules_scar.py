"""Who may do what with supplier corrective action requests (§7.1.4); loaded from
``registrations.register_scar``.

==========================  =========================================================
permission                  who holds it
==========================  =========================================================
view_scar, view_scaranswer  the principal, the CQO (and the CQO in office), the deputy,
                            quality engineers, inspectors, auditors (the readers of
                            supplier quality)
add_scar                    quality engineers, the CQO and the deputy, the CQO in
                            office: issue a SCAR from an NCR, with its link
review_scar                 the same: accept or return the supplier's answer
link_scar                   the same: issue the link again, revoke it
void_scar                   the same
answer_scar                 nobody signed in: only the supplier's actor of a live link
                            (``link_scar.SupplierActor``), for its own SCAR
change_scar, delete_*       nobody (the services change a SCAR; nothing is deleted)
==========================  =========================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user

SCAR_READERS = (R.PRINCIPAL, R.CQO, R.DEPUTY, R.QUALITY_ENGINEER, R.INSPECTOR, R.AUDITOR)
SCAR_WRITERS = (R.QUALITY_ENGINEER, R.CQO, R.DEPUTY)

reads_scars = is_active_user & (has_role(*SCAR_READERS) | is_current_cqo)
handles_scars = is_active_user & (has_role(*SCAR_WRITERS) | is_current_cqo)

for _model in ("scar", "scaranswer"):
    rules.add_perm(f"anomalies.view_{_model}", reads_scars)
    rules.add_perm(f"anomalies.change_{_model}", rules.always_deny)
    rules.add_perm(f"anomalies.delete_{_model}", rules.always_deny)
rules.add_perm("anomalies.add_scar", handles_scars)
rules.add_perm("anomalies.review_scar", handles_scars)
rules.add_perm("anomalies.link_scar", handles_scars)
rules.add_perm("anomalies.void_scar", handles_scars)
rules.add_perm("anomalies.answer_scar", rules.always_deny)
