"""Set-up for tests of the regulator clocks and the working-day calendar (§7.2.1.4): an
administrator, a minimal recall case, the built-in profiles, and a case with its clocks started
from given days."""

from __future__ import annotations

import datetime
from typing import Any

from cqo.organisation import roles as R
from cqo.recall.models import RecallCase
from cqo.testing.factories import member

_numbers = iter(range(1, 1_000_000))


def admin_of(org: Any) -> Any:
    """The enterprise's administrator (the world's ``Org`` has none)."""
    found = getattr(org, "admin", None)
    if found is None:
        found = member([R.ADMIN], unit=org.root, username="admin")
        org.admin = found
    return found


def recall_case(org: Any, **overrides: Any) -> RecallCase:
    """A minimal recall case (written straight, as set-up: the case part owns its services)."""
    values: dict[str, Any] = {
        "number": f"RC-T-{next(_numbers):04d}",
        "title": "制动钳批次召回",
        "created_by": org.cqo,
        **overrides,
    }
    return RecallCase.objects.create(**values)


def profiles(org: Any) -> dict[str, Any]:
    """The built-in profiles, by code."""
    from cqo.recall.models import ClockProfile
    from cqo.recall.services_clocks import profiles_ensure

    profiles_ensure(actor=admin_of(org))
    return {p.code: p for p in ClockProfile.objects.all()}


def case_with_clocks(
    org: Any, events: list[tuple[str, datetime.date]], *, profile: str = "consumer-goods"
) -> RecallCase:
    """A case following ``profile`` whose events happened on the days given (through the
    services, by the CQO in office)."""
    from cqo.recall.services_clocks import case_profile_set, clocks_on_event

    case = recall_case(org)
    case_profile_set(actor=org.cqo, case=case, profile=profiles(org)[profile])
    for event, on in events:
        clocks_on_event(actor=org.cqo, case=case, event=event, on=on)
    return case
