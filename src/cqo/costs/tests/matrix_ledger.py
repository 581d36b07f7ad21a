"""The ledger part's rows of the permission matrix."""

from __future__ import annotations

from typing import Any

EXPECTED: dict[str, dict[str, int]] = {}
API_WRITERS: dict[str, tuple[str, ...]] = {}
OBJECT_FOR_PK: dict[str, str] = {}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    pass
