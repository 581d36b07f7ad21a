# mypy: disable-error-code="misc"
"""Set-up for the metric registry's tests and the objectives': inspection lots decided on a day,
written straight to the database (the gate's services decide real lots)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.inspection.models import InspectionLot, InspectionStatus
from cqo.testing.results import inspection_lot


def decided_lot(
    owner: Any, *, decision: str, on: datetime.date, gate: str = "iqc", voided: bool = False
) -> InspectionLot:
    """An inspection lot at ``gate`` decided ``decision`` at noon of ``on``."""
    ilot = inspection_lot(owner).ilot
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    InspectionLot.objects.filter(pk=ilot.pk).update(
        gate=gate, status=InspectionStatus.DECIDED, decision=decision, decided_at=at,
        decided_by=owner, voided_at=timezone.now() if voided else None,
    )  # fmt: skip
    ilot.refresh_from_db()
    return ilot
