"""Who may do what with the master data (§6 e), §7.2.2.1).

Master data is shared reference: every member reads it, auditors included. A few people keep it
(the quality engineers, the CQO and the deputy, the administrator); an inspector records lots at
the gate (a receipt). Approving a new supplier is a business decision the CQO may veto (§6 i)):
the CQO role, the deputy or whoever holds §6 e) (the CQO in office, or a delegate of it) approves.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_<model> (every model)             every member (an account with a role or a person)
add/change/void_item, characteristic,  admin, quality_engineer, cqo, deputy, the CQO in
supplier, approvedsupplier, customer,  office
workcentre, operation
add/change/void_instrument             as above, and the metrology officer (§7.2.2.1)
add_lot                                as above, and inspectors (a receipt at the gate)
void_lot                               admin, quality_engineer, cqo, deputy, CQO in office
add_genealogyfeed (links between lots) as add_lot
void_genealogyfeed                     as void_lot
add_serialnumber (a unit's serial)     as add_lot (also in a feed, as add_genealogyfeed)
void_serialnumber                      as void_lot
import_masterdata                      whoever may keep the items (the import checks each
                                       list's own permission again)
set_status_supplier                    quality_engineer, cqo, deputy, holders of §6 e)
approve_supplier                       cqo, deputy, holders of §6 e) (never its creator)
delete_* (every model)                 nobody: records are voided with a reason
=====================================  =====================================================

The lot's stock status, its holds and the shipments are changed by ``cqo.masterdata.stock``,
which declares its own permissions.
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation.rules import has_role, is_active_user, is_member

MODELS = (
    "item", "characteristic", "supplier", "approvedsupplier", "customer", "workcentre",
    "operation", "instrument", "lot", "lothold", "shipment", "shipmentline", "genealogyfeed",
    "lotlink", "serialnumber",
)  # fmt: skip
KEPT = (
    "item", "characteristic", "supplier", "approvedsupplier", "customer", "workcentre",
    "operation",
)  # fmt: skip

holds_e = exercise("e")
keeper = is_active_user & (has_role("admin", "quality_engineer", "cqo", "deputy") | is_current_cqo)
metrology_keeper = keeper | (is_active_user & has_role("metrology_officer"))
lot_recorder = keeper | (is_active_user & has_role("inspector"))
supplier_status_keeper = is_active_user & (
    has_role("quality_engineer", "cqo", "deputy") | is_current_cqo | holds_e
)
supplier_approver = is_active_user & (has_role("cqo", "deputy") | holds_e)

for _model in MODELS:
    rules.add_perm(f"masterdata.view_{_model}", is_member)
    rules.add_perm(f"masterdata.delete_{_model}", rules.always_deny)
for _model in KEPT:
    for _verb in ("add", "change", "void"):
        rules.add_perm(f"masterdata.{_verb}_{_model}", keeper)
for _verb in ("add", "change", "void"):
    rules.add_perm(f"masterdata.{_verb}_instrument", metrology_keeper)
rules.add_perm("masterdata.add_lot", lot_recorder)
# The lot genealogy (cqo.masterdata.genealogy_feeds, §7.2.3.2): whoever records lots posts the
# links between them (an MES account holds one of these roles); a feed sent in error is voided
# by a keeper.
rules.add_perm("masterdata.add_genealogyfeed", lot_recorder)
rules.add_perm("masterdata.void_genealogyfeed", keeper)
rules.add_perm("masterdata.add_serialnumber", lot_recorder)
rules.add_perm("masterdata.void_serialnumber", keeper)
rules.add_perm("masterdata.void_lot", keeper)
rules.add_perm("masterdata.import_masterdata", keeper | metrology_keeper)
rules.add_perm("masterdata.set_status_supplier", supplier_status_keeper)
rules.add_perm("masterdata.approve_supplier", supplier_approver)

# --- the gate: stock status, holds, shipments (cqo.masterdata.stock, §6 e)) -------------------
#
# =====================================  =====================================================
# permission                             who holds it
# =====================================  =====================================================
# accept_lot, reject_lot                 inspectors and quality engineers (a usage decision),
#                                        the CQO and deputy, holders of §6 e); accept_lot also
#                                        holders of §6 c) (a concession approved), and the
#                                        principal (who decides the CQO's own concession)
# release_lot (a release by hand)        quality engineers, the CQO and deputy, holders of
#                                        §6 e)
# add_lothold                            inspectors, quality engineers, CQO, deputy, §6 e)
# lift_lothold                           quality engineers, CQO, deputy, holders of §6 e);
#                                        a veto's hold only with the veto (§6 i))
# lift_recall_hold                       a hold a recall placed (source ``recall:``): the
#                                        CQO only (the role, or the CQO in office; §7.2.1.4)
# add_shipment, change_shipment,         inspectors, quality engineers, CQO, deputy, §6 e)
# ship_shipment
# release_shipment                       quality engineers, CQO, deputy, holders of §6 e);
#                                        never whoever made the shipment
# =====================================  =====================================================

_gatekeeper = is_active_user & (has_role("cqo", "deputy") | is_current_cqo | exercise("e"))
_gate_engineer = _gatekeeper | (is_active_user & has_role("quality_engineer"))
_gate_staff = _gate_engineer | (is_active_user & has_role("inspector"))

rules.add_perm(
    "masterdata.accept_lot",
    _gate_staff | (is_active_user & (exercise("c") | has_role("principal"))),
)
rules.add_perm("masterdata.reject_lot", _gate_staff)
rules.add_perm("masterdata.release_lot", _gate_engineer)
rules.add_perm("masterdata.add_lothold", _gate_staff)
rules.add_perm("masterdata.lift_lothold", _gate_engineer)
rules.add_perm("masterdata.lift_recall_hold", is_active_user & (has_role("cqo") | is_current_cqo))
rules.add_perm("masterdata.add_shipment", _gate_staff)
rules.add_perm("masterdata.change_shipment", _gate_staff)
rules.add_perm("masterdata.ship_shipment", _gate_staff)
rules.add_perm("masterdata.release_shipment", _gate_engineer)
