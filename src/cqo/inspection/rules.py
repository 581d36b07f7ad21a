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
view_measurement, view_concession,     every member
view_disposition,
view_inspectionattachment
add_measurement, void_measurement,     inspectors and quality engineers (results part)
add_inspectionattachment,
void_inspectionattachment
decide_inspectionlot                   inspectors and quality engineers (the usage decision)
add_concession                         inspectors, quality engineers, the CQO and the deputy
                                       (approving it is §6 c): the approval request's rule)
add_disposition, void_disposition      quality engineers, the CQO and the deputy
view_supplierquality                   the principal, the CQO (and the CQO in office), the
                                       deputy, quality engineers, inspectors, auditors
delete_*                               nobody (quality records are voided, never deleted)
SPC (§7.2.3.2)
view_spc, view_controllimits,          every member (charts, capability, alarms)
view_spcalarm
freeze_controllimits,                  quality engineers and the CQO (role, or in office):
add_controllimits                        phase I limits judge which period was stable
handle_spcalarm                        quality engineers, the CQO and the deputy
change_controllimits, change_spcalarm  nobody: limits are superseded by a new freeze, alarms
                                         acknowledged or closed through the services
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation import roles as R
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

# --- results, decisions, concessions, dispositions (results) ----------------------------------

records_results = is_active_user & has_role("inspector", "quality_engineer")
raises_concessions = is_active_user & (
    has_role("inspector", "quality_engineer", "cqo", "deputy") | is_current_cqo
)
disposes = is_active_user & (has_role("quality_engineer", "cqo", "deputy") | is_current_cqo)

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

# --- supplier quality (suppliers) -------------------------------------------------------------
# view_supplierquality: the principal, the CQO (and the CQO in office), the deputy, quality
# engineers, inspectors and auditors read acceptance rates, PPM and scorecards.

SUPPLIER_QUALITY_READERS = (
    "principal", "cqo", "deputy", "quality_engineer", "inspector", "auditor",
)  # fmt: skip
reads_supplier_quality = is_active_user & (has_role(*SUPPLIER_QUALITY_READERS) | is_current_cqo)
rules.add_perm("inspection.view_supplierquality", reads_supplier_quality)
