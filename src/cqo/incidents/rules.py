"""Who may do what with quality incidents and penalties (§6 d), §7.2.1.3). Shared by the app's
parts: add rows, do not reorder.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_incident, view_incidentrules,     every member (an incident is the enterprise's
view_timelineentry, view_teammember,   business; the rules are published to everyone)
view_responsibility, view_incidentcost
add_incident                           every member: anyone reports an incident
change_incidentrules                   the CQO in office (a new version each time, audited)
classify_incident, investigate_inci-   whoever holds §6 d) over the incident's unit: the
dent, void_incident, propose_penalty,  CQO in office or a delegate of §6 d) (the lead,
hear_penalty, add_incidentcost,        team, timeline, facts, causes, responsibility,
void_incidentcost                      onward report, NCR request, costs, penalties)
add_timelineentry (obj)                holders of §6 d), and the incident's team members
view_penalty                           the principal, the CQO (role or in office), the
                                       deputy, auditors, holders of §6 d); on an object
                                       also the penalised person and the unit's head
state_case_penalty (obj)               holders of §6 d) (recording what the person said),
                                       and the penalised person themself
decide_penalty (obj)                   the role the rules named when it was proposed
                                       (principal, or the CQO), never its proposer
delete_*, change_* (others)            nobody: records are voided, decisions superseded
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation.rules import has_role, is_active_user, is_member

from .models_incidents import DeciderRole

investigates = is_active_user & exercise("d")

for _model in (
    "incident", "incidentrules", "timelineentry", "teammember", "responsibility", "incidentcost",
    "penalty", "penaltydecision",
):  # fmt: skip
    rules.add_perm(f"incidents.delete_{_model}", rules.always_deny)
for _model in (
    "incident", "incidentrules", "timelineentry", "teammember", "responsibility", "incidentcost",
):  # fmt: skip
    rules.add_perm(f"incidents.view_{_model}", is_member)

rules.add_perm("incidents.add_incident", is_member)
rules.add_perm("incidents.change_incidentrules", is_active_user & is_current_cqo)
for _perm in (
    "classify_incident", "investigate_incident", "void_incident", "propose_penalty",
    "hear_penalty", "add_incidentcost", "void_incidentcost",
):  # fmt: skip
    rules.add_perm(f"incidents.{_perm}", investigates)


@rules.predicate
def in_team(user: Any, obj: Any) -> bool:
    incident = getattr(obj, "incident", obj)
    if incident is None or not hasattr(incident, "team"):
        return False
    return incident.team.filter(user=user, voided_at__isnull=True).exists()


rules.add_perm("incidents.add_timelineentry", investigates | (is_active_user & in_team))


@rules.predicate
def is_penalised(user: Any, obj: Any) -> bool:
    """The penalised person, or the head of the penalised unit."""
    if obj is None or not hasattr(obj, "person_id"):
        return False
    person = getattr(obj, "person", None)
    if person is not None and person.user_id == user.pk:
        return True
    unit = getattr(obj, "unit", None)
    return unit is not None and unit.head is not None and unit.head.user_id == user.pk


_penalty_readers = has_role("principal", "cqo", "deputy", "auditor") | is_current_cqo
rules.add_perm(
    "incidents.view_penalty", is_active_user & (_penalty_readers | exercise("d") | is_penalised)
)
rules.add_perm("incidents.view_penaltydecision", is_active_user & (_penalty_readers
                                                                   | exercise("d")))  # fmt: skip
rules.add_perm("incidents.state_case_penalty", investigates | (is_active_user & is_penalised))


@rules.predicate
def holds_deciding_role(user: Any, obj: Any) -> bool:
    """The role the rules named for this penalty; without a penalty, either role (is there a
    button to show?)."""
    role = getattr(obj, "decider_role", None)
    principal = has_role("principal")(user)
    cqo = bool(has_role("cqo")(user) or is_current_cqo(user))
    if role is None:
        return bool(principal or cqo)
    return bool(principal) if role == DeciderRole.PRINCIPAL else cqo


@rules.predicate
def proposed_it(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "proposed_by_id", None) == user.pk


rules.add_perm("incidents.decide_penalty", is_active_user & holds_deciding_role & ~proposed_it)
