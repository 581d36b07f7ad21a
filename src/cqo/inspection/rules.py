"""Who may do what at the inspection gates (§6 e)). Shared by the app's parts: add rows, do not
reorder.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_supplierquality                   the principal, the CQO (and the CQO in office), the
                                       deputy, quality engineers, inspectors, auditors
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation.rules import has_role, is_active_user, is_member

# --- supplier quality (suppliers) -------------------------------------------------------------

SUPPLIER_QUALITY_READERS = (
    "principal", "cqo", "deputy", "quality_engineer", "inspector", "auditor",
)  # fmt: skip
reads_supplier_quality = is_active_user & (has_role(*SUPPLIER_QUALITY_READERS) | is_current_cqo)
rules.add_perm("inspection.view_supplierquality", reads_supplier_quality)
# TEMP until the sampling part lands its rows: every member reads inspection lots.
rules.add_perm("inspection.view_inspectionlot", is_member)
