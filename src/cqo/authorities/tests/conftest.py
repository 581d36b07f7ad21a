"""Fixtures: a small enterprise with a CQO appointed a month ago, a deputy, a principal and others
(see ``support``)."""

from __future__ import annotations

from typing import Any

import pytest

from .support import PASSWORD, Org, appoint, days, end_appointment, today

__all__ = ["PASSWORD", "Org", "appoint", "days", "end_appointment", "today"]


@pytest.fixture
def org(db: Any) -> Org:
    return Org()
