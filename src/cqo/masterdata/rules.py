"""Who may do what with the master data (§6 e)).

The lot's stock status, its holds and the shipments are changed by ``cqo.masterdata.stock``;
their permissions are the table below.
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation.rules import has_role, is_active_user

# --- the gate: stock status, holds, shipments (cqo.masterdata.stock, §6 e)) -------------------
#
# =====================================  =====================================================
# permission                             who holds it
# =====================================  =====================================================
# accept_lot, reject_lot                 inspectors and quality engineers (a usage decision),
#                                        the CQO and deputy, holders of §6 e); accept_lot also
#                                        holders of §6 c) (a concession approved)
# release_lot (a release by hand)        quality engineers, the CQO and deputy, holders of
#                                        §6 e)
# add_lothold                            inspectors, quality engineers, CQO, deputy, §6 e)
# lift_lothold                           quality engineers, CQO, deputy, holders of §6 e);
#                                        a veto's hold only with the veto (§6 i))
# add_shipment, change_shipment,         inspectors, quality engineers, CQO, deputy, §6 e)
# ship_shipment
# release_shipment                       quality engineers, CQO, deputy, holders of §6 e);
#                                        never whoever made the shipment
# =====================================  =====================================================

_gatekeeper = is_active_user & (has_role("cqo", "deputy") | is_current_cqo | exercise("e"))
_gate_engineer = _gatekeeper | (is_active_user & has_role("quality_engineer"))
_gate_staff = _gate_engineer | (is_active_user & has_role("inspector"))

rules.add_perm("masterdata.accept_lot", _gate_staff | (is_active_user & exercise("c")))
rules.add_perm("masterdata.reject_lot", _gate_staff)
rules.add_perm("masterdata.release_lot", _gate_engineer)
rules.add_perm("masterdata.add_lothold", _gate_staff)
rules.add_perm("masterdata.lift_lothold", _gate_engineer)
rules.add_perm("masterdata.add_shipment", _gate_staff)
rules.add_perm("masterdata.change_shipment", _gate_staff)
rules.add_perm("masterdata.ship_shipment", _gate_staff)
rules.add_perm("masterdata.release_shipment", _gate_engineer)
