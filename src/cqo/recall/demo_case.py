"""The demo's recall case (filled below)."""

from __future__ import annotations

from typing import Any

AFTER = ("organisation", "authorities", "masterdata")


def present() -> bool:
    from .models_case import RecallCase

    return RecallCase.objects.exists()


def build(ctx: Any) -> None:
    pass
