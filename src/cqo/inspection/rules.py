"""Who may do what at the inspection gates (§6 e)). Shared by the app's parts: add rows, do not
reorder.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_inspectionplan, view_inspectionlot every member (the gates are everyone's business;
view_switchingstream, view_reducedtable auditors read all)
add_inspectionplan, change_inspection- quality engineers, the CQO and the deputy, and the
plan, submit_inspectionplan            CQO in office whatever their groups
add_inspectionlot                      inspectors, quality engineers, the CQO, the deputy
                                       (receipts from the web, Excel, the API)
resume_switchingstream,                whoever holds §6 e) (the CQO in office or a delegate
approve_reduced_switchingstream        of §6 e)): restoring inspection after discontinuation
                                       and allowing reduced inspection are the gatekeeper's
add_reducedtable                       the CQO in office only (Table 2-C from the enterprise's
                                       licensed copy of GB/T 2828.1)
view_supplierquality                   the principal, the CQO (and the CQO in office), the
                                       deputy, quality engineers, inspectors, auditors
delete_*                               nobody (quality records are voided, never deleted)
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation.rules import has_role, is_active_user, is_member

# --- plans and lots (sampling) ----------------------------------------------------------------

PLAN_WRITERS = ("quality_engineer", "cqo", "deputy")
LOT_WRITERS = ("inspector", "quality_engineer", "cqo", "deputy")

writes_plans = is_active_user & (has_role(*PLAN_WRITERS) | is_current_cqo)
creates_lots = is_active_user & (has_role(*LOT_WRITERS) | is_current_cqo)
holds_gatekeeping = is_active_user & exercise("e")

for _model in (
    "inspectionplan", "plansampling", "plancharacteristic", "inspectionlot", "lotsampling",
    "switchingstream", "switchingevent", "reducedtable",
):  # fmt: skip
    rules.add_perm(f"inspection.view_{_model}", is_member)
    rules.add_perm(f"inspection.delete_{_model}", rules.always_deny)

rules.add_perm("inspection.add_inspectionplan", writes_plans)
rules.add_perm("inspection.change_inspectionplan", writes_plans)
rules.add_perm("inspection.submit_inspectionplan", writes_plans)
rules.add_perm("inspection.add_inspectionlot", creates_lots)
rules.add_perm("inspection.resume_switchingstream", holds_gatekeeping)
rules.add_perm("inspection.approve_reduced_switchingstream", holds_gatekeeping)
rules.add_perm("inspection.add_reducedtable", is_active_user & is_current_cqo)

# --- supplier quality (suppliers) -------------------------------------------------------------
# view_supplierquality: the principal, the CQO (and the CQO in office), the deputy, quality
# engineers, inspectors and auditors read acceptance rates, PPM and scorecards.

SUPPLIER_QUALITY_READERS = (
    "principal", "cqo", "deputy", "quality_engineer", "inspector", "auditor",
)  # fmt: skip
reads_supplier_quality = is_active_user & (has_role(*SUPPLIER_QUALITY_READERS) | is_current_cqo)
rules.add_perm("inspection.view_supplierquality", reads_supplier_quality)
