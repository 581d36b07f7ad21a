"""The inspection app's measures in the metric registry (``cqo.core.metrics``, §7.1.2).

Lot acceptance rate at a gate: lots *accepted* at their usage decision over lots decided, the
decision dated in the period; a conditional release (a concession) is not an acceptance, and
voided inspection lots are left out. No lot decided in the period → missing, never 0 % or
100 %. First-pass yield is not registered: an inspection lot records its decision, not the units
that passed at the first attempt and those reworked and inspected again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q

from cqo.core.metrics import MetricValue, day_bounds, ratio


def acceptance_rate(gate: str):  # type: ignore[no-untyped-def]
    def compute(
        first: datetime.date, last: datetime.date, unit_id: int | None = None
    ) -> MetricValue | None:
        from cqo.masterdata.models import Gate

        from .models import InspectionLot, InspectionStatus, UsageDecision

        assert gate in Gate.values
        start, end = day_bounds(first, last)
        row = InspectionLot.objects.filter(
            voided_at__isnull=True, gate=gate, status=InspectionStatus.DECIDED,
            decided_at__gte=start, decided_at__lt=end,
        ).aggregate(
            decided=Count("id"), accepted=Count("id", filter=Q(decision=UsageDecision.ACCEPT))
        )  # fmt: skip
        decided = row["decided"] or 0
        if not decided:
            return None
        accepted = Decimal(row["accepted"] or 0)
        return MetricValue(
            value=ratio(accepted, Decimal(decided)),
            numerator=accepted,
            denominator=Decimal(decided),
            count=decided,
        )

    return compute


iqc_acceptance_rate = acceptance_rate("iqc")
oqc_acceptance_rate = acceptance_rate("oqc")


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clause
    from cqo.core.metrics import Direction, metric_register

    metric_register(
        key="inspection.iqc_acceptance_rate",
        label=_("IQC lot acceptance rate"),
        unit="%",
        direction=Direction.HIGHER,
        clause=clause("§7.1.2"),
        compute=iqc_acceptance_rate,
        app=app_label,
        description=_("Incoming lots accepted at their usage decision over the lots decided in "
                      "the period; a concession is not an acceptance."),
    )  # fmt: skip
    metric_register(
        key="inspection.oqc_acceptance_rate",
        label=_("Final (OQC) lot acceptance rate"),
        unit="%",
        direction=Direction.HIGHER,
        clause=clause("§7.1.2"),
        compute=oqc_acceptance_rate,
        app=app_label,
        description=_("Outgoing lots accepted at their usage decision over the lots decided in "
                      "the period; a concession is not an acceptance."),
    )  # fmt: skip
