"""Who may do what with corrective and preventive action (§7.1.4); imported by ``rules.py``.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_capa, view_capaaction,            every member (auditors read all)
view_capamember, view_whychain,
view_fishbonecause, view_caparepeat
add_capa                               quality engineers, the CQO, the deputy, the CQO in
                                       office
change_capa                            the same, and the CAPA's owner and team members (the
                                       8D's sections, team, 5-Why, fishbone, actions)
complete_capaaction                    the action's owner, and whoever may change the CAPA
verify_capa                            quality engineers, the CQO, the deputy, the CQO in
                                       office; never the CAPA's owner nor an action's owner
                                       (checked by the service: core.sod)
close_capa                             the CAPA's owner, quality engineers, the CQO, the
                                       deputy, the CQO in office
void_capa                              quality engineers, the CQO, the deputy, the CQO in
                                       office
delete_*, change_caparepeat            nobody (voided with a reason; repeats are found)
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user, is_member


def _capa_of(obj: Any) -> Any:
    return getattr(obj, "capa", None) if obj is not None and hasattr(obj, "capa_id") else obj


@rules.predicate
def owns_capa(user: Any, obj: Any) -> bool:
    capa = _capa_of(obj)
    return capa is not None and getattr(capa, "owner_id", None) == getattr(user, "pk", 0)


@rules.predicate
def on_capa_team(user: Any, obj: Any) -> bool:
    capa = _capa_of(obj)
    if capa is None or not getattr(capa, "pk", None):
        return False
    return capa.members.filter(user_id=user.pk, voided_at__isnull=True).exists()


@rules.predicate
def owns_action(user: Any, action: Any) -> bool:
    return action is not None and getattr(action, "owner_id", None) == getattr(user, "pk", 0)


capa_engineer = is_active_user & (has_role(R.QUALITY_ENGINEER, R.CQO, R.DEPUTY) | is_current_cqo)
capa_writer = capa_engineer | (is_active_user & (owns_capa | on_capa_team))

for _model in ("capa", "capaaction", "capamember", "whychain", "fishbonecause", "caparepeat"):
    rules.add_perm(f"anomalies.view_{_model}", is_member)
    rules.add_perm(f"anomalies.delete_{_model}", rules.always_deny)

rules.add_perm("anomalies.add_capa", capa_engineer)
rules.add_perm("anomalies.change_capa", capa_writer)
rules.add_perm("anomalies.complete_capaaction", capa_writer | (is_active_user & owns_action))
rules.add_perm("anomalies.verify_capa", capa_engineer)
rules.add_perm("anomalies.close_capa", capa_engineer | (is_active_user & owns_capa))
rules.add_perm("anomalies.void_capa", capa_engineer)
rules.add_perm("anomalies.change_caparepeat", rules.always_deny)
