"""The clocks part's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who holds what follows ``cqo/recall/rules_clocks.py``: every member reads the clocks, the
profiles and the calendar; the matrix's CQO (appointed, so in office) records case events on the
clocks, stops and waives them; profiles are changed by the CQO or the administrator; the
calendar by the administrator alone."""

from __future__ import annotations

import datetime
from typing import Any

from cqo.testing.matrix import ANONYMOUS

PAGE = {ANONYMOUS: 302, "*": 200}
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
API = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}


def _page_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200)}


EXPECTED: dict[str, dict[str, int]] = {
    "recall:clocks_due": PAGE,
    "recall:case_clocks": PAGE,
    "recall:case_clocks_act": PAGE_POST_ONLY,
    "recall:profile_list": PAGE,
    "recall:profile_new": _page_for("cqo", "admin"),
    "recall:profile_detail": PAGE,
    "recall:profile_revise": _page_for("cqo", "admin"),
    "recall:calendar": PAGE,
    "recall:calendar_year": PAGE,
    "recall:calendar_admin": _page_for("admin"),
    "api:recall:clockprofile-list": API,
    "api:recall:clockprofile-detail": API,
    "api:recall:clockprofile-revise": API_POST_ONLY,
    "api:recall:clock-list": API,
    "api:recall:clock-detail": API,
    "api:recall:clock-event": API_POST_ONLY,
    "api:recall:clock-profile": API_POST_ONLY,
    "api:recall:clock-stop": API_POST_ONLY,
    "api:recall:clock-waive": API_POST_ONLY,
    "api:recall:calendar-list": API_POST_ONLY,
    "api:recall:calendar-detail": API,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:recall:clockprofile-list": ("cqo", "admin"),
    "api:recall:clockprofile-revise": ("cqo", "admin"),
    "api:recall:clock-event": ("cqo",),
    "api:recall:clock-profile": ("cqo",),
    "api:recall:clock-stop": ("cqo",),
    "api:recall:clock-waive": ("cqo",),
    "api:recall:calendar-list": ("admin",),
}

OBJECT_FOR_PK: dict[str, str] = {
    "recall:case_clocks": "recall.clocks_case",
    "recall:profile_": "recall.clockprofile",
    "api:recall:clockprofile-": "recall.clockprofile",
    "api:recall:clock-": "recall.clock",
}

KWARGS: dict[str, Any] = {
    "recall:case_clocks_act": lambda w: {"pk": w.objects["recall.clocks_case"].pk, "act": "event"},
    "recall:calendar_year": lambda w: {"year": 2026},
    "api:recall:calendar-detail": lambda w: {"pk": "2026"},
}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    """A minimal case with its report clock running (started on the eve of National Day 2026),
    and the built-in profiles."""
    from cqo.recall.models import ClockProfile, RecallCase, RecallClock
    from cqo.recall.services_clocks import clocks_on_event, profiles_ensure

    cqo = world.users["cqo"]
    profiles_ensure(actor=world.users["admin"])
    case = RecallCase.objects.create(number="RC-MATRIX-1", title="矩阵召回", created_by=cqo)
    clocks_on_event(actor=cqo, case=case, event="signal_received", on=datetime.date(2026, 9, 30))
    world.objects.update({
        "recall.clocks_case": case,
        "recall.clockprofile": ClockProfile.objects.get(code="consumer-goods"),
        "recall.clock": RecallClock.objects.get(case=case, key="report"),
    })  # fmt: skip
