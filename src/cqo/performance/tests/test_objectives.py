"""Quality objectives (§7.1.2): cascaded to units, actuals computed from the metric registry or
entered with evidence, traffic lights with a tolerance, missing data shown as missing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.performance import selectors as sel
from cqo.performance import services as S
from cqo.performance.models import Objective
from cqo.testing.performance import evidence, fake_rate, iqc_objective
from cqo.testing.world import PASSWORD, today

JAN1, DEC31 = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def test_the_light_is_green_at_target_amber_within_tolerance_red_beyond_and_missing_without_data() -> (
    None
):
    t, tol = Decimal(95), Decimal(2)
    assert sel.light("higher", t, tol, Decimal(95)) == "green"
    assert sel.light("higher", t, tol, Decimal("93.5")) == "amber"
    assert sel.light("higher", t, tol, Decimal(92)) == "red"
    assert sel.light("lower", t, tol, Decimal(96)) == "amber"
    assert sel.light("lower", t, tol, None) == "missing"


def test_an_objective_takes_its_actual_and_trend_from_the_metric_registry(
    org: Any, monkeypatch: Any
) -> None:
    rate = fake_rate(monkeypatch)
    objective = iqc_objective(org, owner=org.head, first=JAN1, last=DEC31, target="90",
                              metric=rate.key)  # fmt: skip
    rate.add(datetime.date(2026, 2, 10), 3, 4)
    rate.add(datetime.date(2026, 3, 5), 1, 1)
    status = sel.objective_status(objective, today=datetime.date(2026, 3, 31))
    assert status["overall"].value == Decimal("80.00")
    assert status["overall"].basis == "4 / 5"
    assert status["overall"].light == "red"
    january, february, march = status["months"]
    assert (january.value, january.light) == (None, "missing")
    assert (february.value, march.value) == (Decimal("75.00"), Decimal("100.00"))


def test_a_cascaded_objective_lies_within_its_parent_and_names_its_unit(org: Any) -> None:
    parent = iqc_objective(org, owner=org.cqo, first=JAN1, last=DEC31)
    with pytest.raises(ValidationError) as exc:
        S.objective_create(actor=org.cqo, title="x", parent=parent, metric="inspection.iqc_acceptance_rate",
                           target="90", first=JAN1, last=DEC31, owner=org.head)  # fmt: skip
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.objective_create(actor=org.cqo, title="x", parent=parent, unit=org.production,
                           metric="inspection.iqc_acceptance_rate", target="90",
                           first=JAN1, last=datetime.date(2027, 1, 31), owner=org.head)  # fmt: skip
    assert "first" in exc.value.message_dict
    child = S.objective_create(actor=org.cqo, title="生产部", parent=parent, unit=org.production,
                               metric="inspection.iqc_acceptance_rate", target="92",
                               first=JAN1, last=DEC31, owner=org.head)  # fmt: skip
    assert child.parent == parent and child.direction == "higher"
    assert (
        AuditEvent.objects.filter(action="performance.objective.create", clause="§7.1.2").count()
        == 2
    )


def test_it_refuses_a_target_that_is_not_a_number_in_the_users_language(org: Any) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        S.objective_create(actor=org.cqo, title="x", metric="inspection.iqc_acceptance_rate",
                           target="九十", first=JAN1, last=DEC31, owner=org.head)  # fmt: skip
    assert "§7.1.2" in exc.value.message_dict["target"][0]
    assert not Objective.objects.exists()


def test_only_the_cqo_or_the_deputy_sets_objectives(org: Any) -> None:
    with pytest.raises(PermissionDenied):
        S.objective_create(actor=org.inspector, title="x", metric="inspection.iqc_acceptance_rate",
                           target="90", first=JAN1, last=DEC31, owner=org.head)  # fmt: skip


def test_an_entered_actual_needs_its_evidence_and_a_computed_one_is_never_entered(org: Any) -> None:
    first = today().replace(day=1)
    entered = S.objective_create(
        actor=org.cqo, title="培训完成率", measure_name="培训完成率", measure_unit="%",
        direction="higher", target="95", tolerance="3", first=first, last=first, owner=org.head,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        S.actual_enter(actor=org.head, objective=entered, month=first, value="96", evidence=None)
    assert "evidence" in exc.value.message_dict
    S.actual_enter(actor=org.head, objective=entered, month=first, value="93", evidence=evidence())
    S.actual_enter(actor=org.head, objective=entered, month=first, value="96", evidence=evidence())
    status = sel.objective_status(entered)
    assert (status["overall"].value, status["overall"].light) == (Decimal(96), "green")
    assert entered.actuals.filter(voided_at__isnull=False).count() == 1
    computed = iqc_objective(org, owner=org.head, first=first, last=first)
    with pytest.raises(ValidationError) as exc:
        S.actual_enter(
            actor=org.head, objective=computed, month=first, value="99", evidence=evidence()
        )
    assert "value" in exc.value.message_dict


def test_the_objective_page_shows_a_period_without_data_as_missing_with_its_clause(
    org: Any,
) -> None:
    objective = iqc_objective(org, owner=org.head, first=today().replace(day=1), last=today())
    client = Client()
    client.login(username=org.inspector.username, password=PASSWORD)
    page = client.get(objective.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "missing · §7.1.2" in text


def test_the_cqo_report_prints_each_objective_against_its_target_and_says_when_none_runs(
    org: Any, monkeypatch: Any
) -> None:
    from cqo.core.report_sections import report_section_content, report_sections

    section = next(s for s in report_sections("quarterly") if s.code == "performance.objectives")
    q1_first, q1_last = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    empty = report_section_content(section, q1_first, q1_last, "en")
    assert not empty.has_data and "No quality objective" in str(empty.reason)
    rate = fake_rate(monkeypatch)
    iqc_objective(org, owner=org.head, first=JAN1, last=DEC31, target="90", metric=rate.key)
    rate.add(datetime.date(2026, 2, 10), 3, 4)
    rate.add(datetime.date(2026, 5, 10), 4, 4)  # after the quarter: not in its actual
    content = report_section_content(section, q1_first, q1_last, "zh-hans")
    (row,) = content.tables[0].rows
    assert row[3:] == [Decimal(90), Decimal("75.00"), "未达成"]
    assert {str(f.label): f.value for f in content.figures}["未达成"] == 1
