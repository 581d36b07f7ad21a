from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cqo.core import metrics


def _fake(
    first: datetime.date, last: datetime.date, unit_id: int | None
) -> metrics.MetricValue | None:
    if first.year < 2026:
        return None
    return metrics.MetricValue(
        value=Decimal("2") / Decimal("3") * 100, numerator=Decimal(2), denominator=Decimal(3),
        count=3 if unit_id is None else unit_id,
    )  # fmt: skip


@pytest.fixture
def registered():
    saved = dict(metrics._METRICS)
    try:
        metrics.metric_register(key="test.rate", label="Rate", unit="%", direction="higher",
                                clause="§7.1.2", compute=_fake)  # fmt: skip
        metrics.metric_register(key="test.by_unit", label="By unit", unit="%",
                                direction="lower", clause="§7.1.2", compute=_fake, by_unit=True)  # fmt: skip
        yield
    finally:
        metrics._METRICS.clear()
        metrics._METRICS.update(saved)


def test_it_rounds_a_computed_value_to_the_metric_places_and_keeps_its_basis(registered) -> None:
    found = metrics.metric_compute("test.rate", first=datetime.date(2026, 1, 1),
                                   last=datetime.date(2026, 1, 31))  # fmt: skip
    assert found.value is not None
    assert found.value.value == Decimal("66.67")
    assert (found.value.numerator, found.value.denominator) == (Decimal(2), Decimal(3))


def test_a_period_without_data_is_missing_not_zero(registered) -> None:
    found = metrics.metric_compute("test.rate", first=datetime.date(2025, 1, 1),
                                   last=datetime.date(2025, 1, 31))  # fmt: skip
    assert found.missing and found.value is None


def test_it_passes_the_unit_only_to_a_metric_computed_by_unit(registered) -> None:
    day = datetime.date(2026, 2, 1)
    assert metrics.metric_compute("test.rate", first=day, last=day, unit_id=7).unit_id is None
    by_unit = metrics.metric_compute("test.by_unit", first=day, last=day, unit_id=7)
    assert by_unit.unit_id == 7 and by_unit.value is not None and by_unit.value.count == 7


def test_it_refuses_a_second_metric_under_the_same_key_and_a_float(registered) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        metrics.metric_register(key="test.rate", label="x", unit="%", direction="higher",
                                clause="§7.1.2", compute=lambda a, b, c: None)  # fmt: skip
    with pytest.raises(TypeError):
        metrics.MetricValue(value=0.5, numerator=Decimal(1))  # type: ignore[arg-type]


def test_the_domains_register_their_measures() -> None:
    keys = {m.key for m in metrics.metrics()}
    assert {
        "inspection.iqc_acceptance_rate", "inspection.oqc_acceptance_rate",
        "anomalies.ncr_closure_days", "anomalies.ncr_repeat_rate", "anomalies.complaints",
        "anomalies.customer_ppm", "costs.quality_cost_ratio",
    } <= keys  # fmt: skip
