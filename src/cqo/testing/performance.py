"""Set-up for the performance app's tests: an evidence file, an objective on the inspection
data, a person round signed through the approval inbox."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n% evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def iqc_objective(org: Any, *, owner: Any, first: datetime.date, last: datetime.date,
                  target: str = "90", tolerance: str = "5", unit: Any = None,
                  metric: str = "inspection.iqc_acceptance_rate") -> Any:  # fmt: skip
    from cqo.performance import services as S

    return S.objective_create(
        actor=org.cqo, title="来料检验批合格率", metric=metric,
        target=target, tolerance=tolerance, first=first, last=last, owner=owner,
        unit=unit,
    )  # fmt: skip


def round_signed(org: Any, objective: Any, *, first: datetime.date, last: datetime.date) -> Any:
    """A person round weighing ``objective``, proposed by the engineer, reviewed by the deputy,
    signed by the CQO."""
    from cqo.authorities.models import ApprovalRequest
    from cqo.authorities.services import approval_decide
    from cqo.performance import services as S
    from cqo.testing.world import PASSWORD

    found = S.round_create(actor=org.engineer, title="季度考核", subject_kind="person",
                           first=first, last=last)  # fmt: skip
    S.round_weight_set(actor=org.engineer, round=found, objective=objective, weight="100")
    S.round_propose(actor=org.engineer, round=found)
    found = S.round_review(actor=org.deputy, round=found)
    assert found.approval_id is not None
    approval_decide(actor=org.cqo, request=ApprovalRequest.objects.get(pk=found.approval_id),
                    decision="approve", reason="同意", password=PASSWORD)  # fmt: skip
    found.refresh_from_db()
    return found


class FakeRate:
    """A metric the test feeds: ``add(day, accepted, decided)``; the rate over a period is
    accepted ÷ decided × 100 of the days in it, missing when none (registered as ``test.rate``,
    higher is better)."""

    key = "test.rate"

    def __init__(self) -> None:
        self.days: dict[datetime.date, tuple[int, int]] = {}

    def add(self, day: datetime.date, accepted: int, decided: int) -> None:
        self.days[day] = (accepted, decided)

    def compute(self, first: datetime.date, last: datetime.date, unit_id: int | None) -> Any:
        from decimal import Decimal

        from cqo.core.metrics import MetricValue

        found = [v for d, v in self.days.items() if first <= d <= last]
        decided = sum(v[1] for v in found)
        if not decided:
            return None
        accepted = sum(v[0] for v in found)
        return MetricValue(value=Decimal(accepted) * 100 / Decimal(decided),
                           numerator=Decimal(accepted), denominator=Decimal(decided),
                           count=decided)  # fmt: skip


def fake_rate(monkeypatch: Any) -> FakeRate:
    from cqo.core import metrics

    rate = FakeRate()
    monkeypatch.setitem(
        metrics._METRICS, rate.key,
        metrics.Metric(rate.key, "Test rate", "%", "higher", "§7.1.2", rate.compute),
    )  # fmt: skip
    return rate
