"""Who may do what with the CQO's reports to the decision layer (§7.1.6).

=========================  ===============================================================
permission                 who holds it
=========================  ===============================================================
view_cqoreport             the principal, the CQO (role or in office), the deputy, auditors
add_cqoreport              the CQO in office and the deputy: they have a report generated
sign_cqoreport             the CQO in office, on a draft
acknowledge_cqoreport      the principal, on a report the CQO signed
void_cqoreport             the CQO in office, on a draft or a failed generation
change_*, delete_*         nobody: a report is regenerated, never edited; voided, never deleted
=========================  ===============================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation.rules import has_role, is_active_user

readers = is_active_user & (has_role("principal", "cqo", "deputy", "auditor") | is_current_cqo)
cqo_in_office = is_active_user & is_current_cqo
principal = is_active_user & has_role("principal")

rules.add_perm("reports.view_cqoreport", readers)
rules.add_perm("reports.add_cqoreport", cqo_in_office | (is_active_user & has_role("deputy")))
rules.add_perm("reports.sign_cqoreport", cqo_in_office)
rules.add_perm("reports.acknowledge_cqoreport", principal)
rules.add_perm("reports.void_cqoreport", cqo_in_office)
rules.add_perm("reports.change_cqoreport", rules.always_deny)
rules.add_perm("reports.delete_cqoreport", rules.always_deny)
