"""The CAPA part's rows of the permission matrix (merged by ``matrix.py``).

Every member reads CAPAs, their 8D PDF and the list's export (``anomalies.view_capa``); opening
one is for quality engineers, the CQO and the deputy (``anomalies.add_capa``). The steps of a
CAPA are POST only (405 to a GET); who may post each is the rules' and the services' business,
covered by the CAPA tests. The API's writes: opening a CAPA (quality engineers, the CQO, the
deputy), a 5-Why chain and an action (the same, or the owner and the team), an action done
(its owner as well).
"""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS, ROLES

WRITERS = ("quality_engineer", "cqo", "deputy")


def _page(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 200, **who}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "anomalies:capa_list": _page(),
    "anomalies:capa_export": _page(),
    "anomalies:capa_new": _page_for(*WRITERS),
    "anomalies:capa_detail": _page(),
    "anomalies:capa_pdf": _page(),
    "anomalies:capa_step": {ANONYMOUS: 302, "*": 405},
    "api:anomalies:capa-list": {ANONYMOUS: 403, "*": 200},
    "api:anomalies:capa-detail": {ANONYMOUS: 403, "*": 200},
    "api:anomalies:capa-why-chains": API_POST_ONLY,
    "api:anomalies:capa-actions": API_POST_ONLY,
    "api:anomalies:capa-action-done": API_POST_ONLY,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:anomalies:capa-list": WRITERS,
    # The CAPA's owner in the world is the quality engineer.
    "api:anomalies:capa-why-chains": WRITERS,
    "api:anomalies:capa-actions": WRITERS,
    # Any member may own an action: the service checks the action, after the body is read.
    "api:anomalies:capa-action-done": tuple(ROLES),
}

OBJECT_FOR_PK = {
    "anomalies:capa_": "capa",
    "api:anomalies:capa-": "capa",
}


def _step(world: Any) -> dict[str, Any]:
    return {"pk": world.objects["capa"].pk, "step": "edit"}


KWARGS = {"anomalies:capa_step": _step}


def build(world: Any) -> None:
    """A CAPA owned by the quality engineer, on no NCR (the NCR part builds its own)."""
    from cqo.anomalies import services_capa

    engineer = world.users["quality_engineer"]
    world.objects["capa"] = services_capa.capa_create(
        actor=engineer, title="矩阵纠正措施", owner=engineer
    )
