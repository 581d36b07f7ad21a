"""The inspection measures of the metric registry (§7.1.2): acceptance over the lots decided in
the period, a concession not counted as accepted, voided lots left out, no lot → missing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from cqo.core.metrics import metric_compute
from cqo.testing.metrics import decided_lot

JAN1, JAN31 = datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)


def test_the_iqc_acceptance_rate_counts_accepted_lots_over_lots_decided_in_the_period(
    org: Any,
) -> None:
    for decision in ("accept", "accept", "reject", "conditional"):
        decided_lot(org.inspector, decision=decision, on=datetime.date(2026, 1, 10))
    decided_lot(org.inspector, decision="reject", on=datetime.date(2026, 1, 11), voided=True)
    decided_lot(org.inspector, decision="reject", on=datetime.date(2026, 2, 1))
    decided_lot(org.inspector, decision="reject", on=datetime.date(2026, 1, 12), gate="oqc")
    found = metric_compute("inspection.iqc_acceptance_rate", first=JAN1, last=JAN31)
    assert found.value is not None
    assert (found.value.value, found.value.numerator, found.value.denominator) == (
        Decimal("50.00"), Decimal(2), Decimal(4),
    )  # fmt: skip
    oqc = metric_compute("inspection.oqc_acceptance_rate", first=JAN1, last=JAN31)
    assert oqc.value is not None and oqc.value.value == Decimal("0.00")


def test_a_month_without_decided_lots_is_missing_not_a_rate(org: Any) -> None:
    decided_lot(org.inspector, decision="accept", on=datetime.date(2026, 2, 3))
    assert metric_compute("inspection.iqc_acceptance_rate", first=JAN1, last=JAN31).missing
