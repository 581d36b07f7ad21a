"""Who may read the audit trail and signatures.

=====================================  ======================================================
permission                             who holds it
=====================================  ======================================================
view_auditevent, view_signature,       the CQO and the CQO's deputy (they answer for the
verify_chain                           record), the auditor (read-only, incl. a regulator),
                                       and the system administrator for technical review
add_*, change_*, delete_*              nobody: events and signatures are written only by
                                       ``audit_record`` and ``signature_sign``, never by hand
=====================================  ======================================================
"""

from __future__ import annotations

import rules

from cqo.core.predicates import in_group, is_active_user

AUDIT_READER_ROLES = ("cqo", "deputy", "auditor", "admin")

is_audit_reader = is_active_user & (rules.is_superuser | in_group(*AUDIT_READER_ROLES))

for _model in ("auditevent", "signature"):
    rules.add_perm(f"audit.view_{_model}", is_audit_reader)
    for _verb in ("add", "change", "delete"):
        rules.add_perm(f"audit.{_verb}_{_model}", rules.always_deny)
rules.add_perm("audit.verify_chain", is_audit_reader)
