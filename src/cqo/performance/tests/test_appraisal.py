"""Appraisal (§6 g), §7.1.7): scores computed from the objectives' lights and the quality
record, proposed, reviewed by someone else, signed by the CQO with an e-signature, seen by the
person, appealed and answered, exported for HR; nobody appraises themselves."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook

from cqo.audit.models import AuditEvent, Signature
from cqo.core.sod import SegregationOfDutiesError
from cqo.organisation import quality_record as QR
from cqo.performance import services as S
from cqo.performance.models import AppealStatus, RoundStatus
from cqo.testing.performance import fake_rate, iqc_objective, round_signed
from cqo.testing.world import PASSWORD, today


def _period() -> tuple[datetime.date, datetime.date]:
    return today() - datetime.timedelta(days=20), today()


@pytest.fixture(autouse=True)
def rate(monkeypatch: Any) -> Any:
    found = fake_rate(monkeypatch)
    found.add(today() - datetime.timedelta(days=2), 3, 4)
    return found


def _world(org: Any) -> Any:
    first, last = _period()
    return iqc_objective(org, owner=org.head, first=first, last=last, target="80", tolerance="5",
                         metric="test.rate")  # fmt: skip


def test_a_round_is_computed_reviewed_signed_by_the_cqo_and_seen_by_the_person(org: Any) -> None:
    first, last = _period()
    found = round_signed(org, _world(org), first=first, last=last)
    assert found.status == RoundStatus.SIGNED and found.signed_by == org.cqo
    appraisal = found.appraisals.get()
    assert appraisal.person == org.head
    assert (appraisal.objective_points, appraisal.deductions, appraisal.score) == (
        Decimal("60.00"), Decimal("0.00"), Decimal("60.00"),
    )  # 75 % against 80 ± 5: amber  # fmt: skip
    assert appraisal.breakdown["objectives"][0]["basis"] == "3 / 4"
    assert Signature.objects.filter(signer=org.cqo).exists()
    assert AuditEvent.objects.filter(action="performance.round.sign", clause="§6 g)").exists()
    client = Client()
    client.login(username=org.head.username, password=PASSWORD)
    page = client.get("/performance/my-appraisal/", HTTP_ACCEPT_LANGUAGE="en")
    assert found.number in page.content.decode()
    assert client.get(appraisal.get_absolute_url()).status_code == 200
    other = Client()
    other.login(username=org.inspector.username, password=PASSWORD)
    assert other.get(appraisal.get_absolute_url()).status_code == 403


def test_penalties_in_the_quality_record_are_deducted_up_to_the_cap(
    org: Any, monkeypatch: Any
) -> None:
    first, last = _period()
    objective = _world(org)

    def source(*, person: Any, unit: Any, first: Any, last: Any) -> list[Any]:
        if person is None or person.pk != org.head.person.pk:
            return []
        return [QR.QualityRecordEntry(source="test", key=str(n), date=last, kind="penalty",
                                      title=f"处罚 {n}", measure="警告", clause="§6 d)")
                for n in range(5)]  # fmt: skip

    monkeypatch.setitem(QR._SOURCES, "test", source)
    found = S.round_create(actor=org.engineer, title="x", subject_kind="person", first=first,
                           last=last, deduction_per_penalty="5", deduction_cap="20")  # fmt: skip
    S.round_weight_set(actor=org.engineer, round=found, objective=objective, weight="1")
    S.round_propose(actor=org.engineer, round=found)
    appraisal = found.appraisals.get()
    assert (appraisal.deductions, appraisal.score) == (Decimal("20.00"), Decimal("40.00"))
    assert len(appraisal.breakdown["penalties"]) == 5


def test_rewards_in_the_quality_record_are_credited_up_to_the_cap(
    org: Any, monkeypatch: Any
) -> None:
    first, last = _period()
    objective = _world(org)

    def source(*, person: Any, unit: Any, first: Any, last: Any) -> list[Any]:
        if person is None or person.pk != org.head.person.pk:
            return []
        entries = [QR.QualityRecordEntry(source="test", key=f"r{n}", date=last, kind="reward",
                                         title=f"奖励 {n}", measure="QC 小组成果", clause="§7.2.4.2")
                   for n in range(3)]  # fmt: skip
        entries.append(QR.QualityRecordEntry(source="test", key="p", date=last, kind="penalty",
                                             title="处罚", measure="警告", clause="§6 d)"))  # fmt: skip
        return entries

    monkeypatch.setitem(QR._SOURCES, "test", source)
    found = S.round_create(actor=org.engineer, title="x", subject_kind="person", first=first,
                           last=last, deduction_per_penalty="5", deduction_cap="20",
                           credit_per_reward="4", credit_cap="10")  # fmt: skip
    S.round_weight_set(actor=org.engineer, round=found, objective=objective, weight="1")
    S.round_propose(actor=org.engineer, round=found)
    appraisal = found.appraisals.get()
    assert (appraisal.deductions, appraisal.credits) == (Decimal("5.00"), Decimal("10.00"))
    assert appraisal.score == appraisal.objective_points - Decimal(5) + Decimal(10)
    assert sorted(c["title"] for c in appraisal.breakdown["credits"]) == [
        "奖励 0",
        "奖励 1",
        "奖励 2",
    ]
    assert S.round_content(found)["scheme"]["credit_cap"] == "10"


def test_a_round_refuses_a_negative_credit_naming_the_field(org: Any) -> None:
    first, last = _period()
    with pytest.raises(ValidationError) as caught:
        S.round_create(actor=org.engineer, title="x", subject_kind="person", first=first,
                       last=last, credit_per_reward="-1")  # fmt: skip
    assert "credit_per_reward" in caught.value.error_dict


def test_nobody_proposes_reviews_or_signs_a_round_they_proposed_or_are_appraised_in(
    org: Any,
) -> None:
    first, last = _period()
    mine = iqc_objective(org, owner=org.engineer, first=first, last=last, metric="test.rate")
    found = S.round_create(
        actor=org.engineer, title="x", subject_kind="person", first=first, last=last
    )
    S.round_weight_set(actor=org.engineer, round=found, objective=mine, weight="1")
    with pytest.raises(SegregationOfDutiesError):
        S.round_propose(actor=org.engineer, round=found)
    other = S.round_create(
        actor=org.deputy, title="y", subject_kind="person", first=first, last=last
    )
    S.round_weight_set(actor=org.deputy, round=other, objective=_world(org), weight="1")
    S.round_propose(actor=org.deputy, round=other)
    with pytest.raises(SegregationOfDutiesError):
        S.round_review(actor=org.deputy, round=other)
    with pytest.raises(SegregationOfDutiesError):
        S.round_review(actor=org.cqo, round=other)  # the CQO signs; someone else reviews
    with pytest.raises(PermissionDenied):
        S.round_review(actor=org.inspector, round=other)


def test_a_signed_score_is_appealed_by_the_person_and_answered_by_someone_else(org: Any) -> None:
    first, last = _period()
    appraisal = round_signed(org, _world(org), first=first, last=last).appraisals.get()
    with pytest.raises(PermissionDenied):
        S.appeal_raise(actor=org.inspector, appraisal=appraisal, grounds="不是我的")
    with pytest.raises(ValidationError):
        S.appeal_raise(actor=org.head, appraisal=appraisal, grounds="  ")
    appeal = S.appeal_raise(actor=org.head, appraisal=appraisal, grounds="2 月的拒收批为供应商责任")
    answered = S.appeal_answer(actor=org.cqo, appeal=appeal, answer="经核实维持原评分")
    assert answered.status == AppealStatus.ANSWERED and answered.answered_by == org.cqo


def test_the_hr_export_neutralises_formulas_and_the_api_gives_the_person_only_their_own(
    org: Any,
) -> None:
    first, last = _period()
    found = round_signed(org, _world(org), first=first, last=last)
    org.head.person.name = '=HYPERLINK("x")'
    org.head.person.save()
    client = Client()
    client.login(username=org.deputy.username, password=PASSWORD)
    response = client.get(f"/performance/rounds/{found.pk}/export/")
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws.cell(row=2, column=8)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    api = Client()
    api.login(username=org.head.username, password=PASSWORD)
    mine = api.get("/api/v1/performance/appraisals/").json()
    assert [r["score"] for r in mine["results"]] == ["60.00"]
    stranger = Client()
    stranger.login(username=org.inspector.username, password=PASSWORD)
    assert stranger.get("/api/v1/performance/appraisals/").json()["results"] == []
