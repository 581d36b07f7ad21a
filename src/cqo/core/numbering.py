"""Record numbers that run per prefix (``CAPA-2026-000001``, ``SCAR-2026-0001``, ``INC-2026-001``).

The next number follows the highest one already taken under the prefix, voided records included
(a number is never given twice). Callers take it inside the transaction that saves the record;
the record's unique constraint is what finally refuses a number two writers drew at once."""

from __future__ import annotations

from typing import Any

from django.db import models


def number_next(model: type[models.Model], prefix: str, width: int) -> str:
    """``prefix`` followed by the sequence after the highest ``model.number`` under it, zero-padded
    to ``width`` digits."""
    manager: Any = model._base_manager
    last = (
        manager.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    return f"{prefix}{int(tail) + 1 if tail.isdigit() else 1:0{width}d}"
