"""The demo's incidents: built later in this file."""

from __future__ import annotations

from typing import Any


def build(ctx: Any = None) -> None:
    return None
