"""The incidents app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who holds what follows ``cqo/incidents/rules.py``: every member reads incidents and the rules and
reports an incident; the matrix's CQO (appointed, so holding §6 d)) investigates and proposes;
penalties are read by the principal, the CQO, the deputy, the auditor and the penalised person
(the matrix's employee); the principal decides (the rules name the principal)."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS, ROLES

PAGE = {ANONYMOUS: 302, "*": 200}
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
API = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}
PENALTY_READERS = ("principal", "cqo", "deputy", "auditor")


# A GET on a penalty's action is read as a read of penalties (view_penalty): 405 for readers.
PENALTY_POST_ONLY = {ANONYMOUS: 403, "*": 403, **dict.fromkeys(PENALTY_READERS, 405)}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "incidents:incident_list": PAGE,
    "incidents:incident_report": PAGE,
    "incidents:incident_export": PAGE,
    "incidents:incident_detail": PAGE,
    "incidents:incident_act": PAGE_POST_ONLY,
    "incidents:rules": PAGE,
    "incidents:penalty_list": PAGE,
    "incidents:penalty_detail": _page_for(*PENALTY_READERS, "employee"),
    "incidents:penalty_act": PAGE_POST_ONLY,
    "incidents:cost_void": PAGE_POST_ONLY,
    "incidents:person_record": _page_for(*PENALTY_READERS, "employee"),
    "incidents:unit_record": _page_for(*PENALTY_READERS),
    "api:incidents:incident-list": API,
    "api:incidents:incident-detail": API,
    "api:incidents:incident-investigation": API_POST_ONLY,
    "api:incidents:incident-timeline": API_POST_ONLY,
    "api:incidents:incident-findings": API_POST_ONLY,
    "api:incidents:incident-responsibility": API_POST_ONLY,
    "api:incidents:incident-conclude": API_POST_ONLY,
    "api:incidents:penalty-list": API,
    "api:incidents:penalty-detail": {
        ANONYMOUS: 403,
        "*": 403,
        **dict.fromkeys(PENALTY_READERS, 200),
    },
    "api:incidents:penalty-notify": PENALTY_POST_ONLY,
    "api:incidents:penalty-hear": PENALTY_POST_ONLY,
    "api:incidents:penalty-decide": PENALTY_POST_ONLY,
    "api:incidents:penalty-revise": PENALTY_POST_ONLY,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:incidents:incident-list": ROLES,
    "api:incidents:incident-investigation": ("cqo",),
    "api:incidents:incident-timeline": ("cqo",),
    "api:incidents:incident-findings": ("cqo",),
    "api:incidents:incident-responsibility": ("cqo",),
    "api:incidents:incident-conclude": ("cqo",),
    "api:incidents:penalty-list": ("cqo",),
    "api:incidents:penalty-notify": ("cqo",),
    "api:incidents:penalty-hear": ("cqo", "employee"),
    "api:incidents:penalty-decide": ("principal",),
    "api:incidents:penalty-revise": ("principal",),
}

OBJECT_FOR_PK = {
    "incidents:incident_": "incidents.incident",
    "api:incidents:incident-": "incidents.incident",
    "incidents:penalty_": "incidents.penalty",
    "api:incidents:penalty-": "incidents.penalty",
    "incidents:cost_": "incidents.cost",
    "incidents:person_record": "incidents.person",
    "incidents:unit_record": "unit",
}

KWARGS = {
    "incidents:incident_act": lambda w: {"pk": w.objects["incidents.incident"].pk,
                                         "act": "timeline"},
    "incidents:penalty_act": lambda w: {"pk": w.objects["incidents.penalty"].pk,
                                        "act": "notify"},
}  # fmt: skip


def build(world: Any) -> None:
    """Rules in force, an incident under investigation by the CQO, a penalty proposed on the
    employee, and one cost."""
    from decimal import Decimal

    from django.utils import timezone

    from cqo.incidents import services_costs, services_incidents, services_penalties
    from cqo.testing.incidents import incident_rules

    cqo = world.users["cqo"]
    incident_rules(cqo)
    incident = services_incidents.incident_report(
        actor=world.users["quality_engineer"], title="矩阵事故", description="矩阵",
        occurred_at=timezone.now(), unit=world.objects["unit"],
    )  # fmt: skip
    incident = services_incidents.investigation_open(actor=cqo, incident=incident, lead=cqo)
    person = world.users["employee"].person
    penalty = services_penalties.penalty_propose(
        actor=cqo, incident=incident, person=person, basis="矩阵", measure="warning"
    )
    cost = services_costs.incident_cost_add(
        actor=cqo, incident=incident, item_code="i_incident", amount=Decimal("10"),
        incurred_on=timezone.localdate(),
    )  # fmt: skip
    world.objects.update({
        "incidents.incident": incident, "incidents.penalty": penalty, "incidents.cost": cost,
        "incidents.person": person,
    })  # fmt: skip
