"""The clocks part's writes: the regulator's deadlines of a recall case, counted in working days.

``clocks_on_event`` is what the case part calls when a case event starts or stops a clock; the
clocks part owns its body."""

from __future__ import annotations

import datetime
from typing import Any


def clocks_on_event(*, actor: Any, case: Any, event: str, on: datetime.date) -> None:
    """Start or stop the case's clocks that ``event`` concerns (one of ``CLOCK_EVENTS``)."""


# The case events a clock profile can start from or stop at, in the case's order.
CLOCK_EVENTS: tuple[str, ...] = (
    "signal_received",
    "defect_confirmed",
    "decision_made",
    "plan_filed",
    "notice_published",
    "summary_filed",
    "closed",
)
