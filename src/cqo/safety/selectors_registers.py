"""The registers part's reads. ``controls_for_records`` is what the regime part (daily control,
weekly check) reads from the risk-control list in force; the registers part owns its body."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ControlItem:
    """One control of the risk-control list in force. ``key`` is stable across versions of the
    list (the regime part stores it with a snapshot of ``code`` and ``text``); ``frequency`` is
    ``"daily"``, ``"weekly"`` or ``"monthly"``; ``owner_user_id`` the officer who records it."""

    key: str
    code: str
    text: str
    frequency: str
    risk_code: str = ""
    unit_id: int | None = None
    owner_user_id: int | None = None


def controls_for_records(*, on: datetime.date, frequency: str = "daily") -> list[ControlItem]:
    """The controls of the list in force on ``on`` with this frequency (empty until the
    registers part publishes a list)."""
    return []
