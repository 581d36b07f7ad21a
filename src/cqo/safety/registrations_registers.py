"""What the registers part registers (decision 0005)."""

from __future__ import annotations


def register(app_label: str) -> None:
    pass
