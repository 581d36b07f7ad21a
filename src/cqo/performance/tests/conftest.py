"""Fixtures: a small enterprise with a CQO appointed a month ago (``cqo.testing.world.Org``)."""

from __future__ import annotations

from typing import Any

import pytest

from cqo.testing.world import Org


@pytest.fixture
def org(db: Any) -> Org:
    return Org()
