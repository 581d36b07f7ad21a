"""Incidents: the level from the rules' thresholds, the reporting clock, the investigation led by
the CQO or a delegate of §6 d), the costs and the NCR request."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from cqo.audit.models import AuditEvent
from cqo.core.costs import cost_lines
from cqo.incidents import services_costs as costs
from cqo.incidents import services_incidents as S
from cqo.incidents.models import IncidentLevel, IncidentStatus
from cqo.masterdata import events
from cqo.testing.incidents import incident_investigating, incident_rules, reported_incident
from cqo.testing.masterdata import ItemFactory
from cqo.testing.world import days

pytestmark = pytest.mark.django_db


def _rules_kwargs(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(S.DEFAULT_RULES)
    values.update(
        text="事故报告制度",
        general_report_to="质量管理部",
        serious_report_to="首席质量官",
        major_report_to="主要负责人",
    )
    values.update(over)
    return values


def test_it_refuses_a_report_before_the_enterprise_has_rules(org: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        S.incident_report(actor=org.engineer, title="t", description="d",
                          occurred_at=timezone.now())  # fmt: skip
    assert "rules" in exc.value.message_dict
    assert "§7.2.1.3" in exc.value.message_dict["rules"][0]


def test_the_level_follows_the_worst_threshold_reached(org: Any) -> None:
    incident_rules(org.cqo)
    assert reported_incident(org, loss=Decimal("1000")).level == IncidentLevel.GENERAL
    assert reported_incident(org, loss=Decimal("60000")).level == IncidentLevel.SERIOUS
    assert reported_incident(org, loss=Decimal("0"), injuries=1).level == IncidentLevel.SERIOUS
    assert reported_incident(org, loss=Decimal("0"), deaths=1).level == IncidentLevel.MAJOR


def test_the_reporting_clock_runs_from_when_it_occurred_by_the_level_of_the_rules(org: Any) -> None:
    incident_rules(org.cqo)
    occurred = timezone.now() - datetime.timedelta(hours=1)
    incident = reported_incident(org, occurred_at=occurred, injuries=1)
    assert incident.report_due_at == occurred + datetime.timedelta(hours=4)
    assert incident.rules.version == 1


def test_only_the_cqo_in_office_sets_the_rules_and_each_change_is_a_new_version(org: Any) -> None:
    with pytest.raises(PermissionDenied):
        S.rules_set(actor=org.engineer, **_rules_kwargs())
    first = S.rules_set(actor=org.cqo, **_rules_kwargs())
    second = S.rules_set(actor=org.cqo, **_rules_kwargs(decider_role="cqo"))
    assert (first.version, second.version) == (1, 2)
    assert S.rules_current() == second
    assert AuditEvent.objects.filter(action="incidents.rules.set").count() == 2


def test_it_refuses_rules_whose_major_threshold_is_not_above_the_serious_one(org: Any) -> None:
    with override("zh-hans"), pytest.raises(ValidationError) as exc:
        S.rules_set(actor=org.cqo, **_rules_kwargs(major_loss=Decimal("100")))
    assert "major_loss" in exc.value.message_dict
    assert "§7.2.1.3" in exc.value.message_dict["major_loss"][0]


def test_the_cqo_sets_a_level_by_judgement_with_a_reason_and_the_clock_follows(org: Any) -> None:
    incident = reported_incident(org)
    assert incident.level == IncidentLevel.GENERAL
    with pytest.raises(ValidationError) as exc:
        S.incident_level_set(actor=org.cqo, incident=incident, level="serious", reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        S.incident_level_set(actor=org.engineer, incident=incident, level="serious", reason="x")
    incident = S.incident_level_set(actor=org.cqo, incident=incident, level="serious",
                                    reason="涉及安全件")  # fmt: skip
    assert (incident.level, incident.level_by_rules) == ("serious", "general")
    assert incident.report_due_at == incident.occurred_at + datetime.timedelta(hours=4)
    event = AuditEvent.objects.get(action="incidents.incident.level")
    assert event.reason == "涉及安全件"


def test_an_overdue_report_reminds_the_cqo_once_a_day_and_the_onward_report_stops_it(
    org: Any,
) -> None:
    from cqo.notifications.models import Notification

    incident = reported_incident(org, occurred_at=timezone.now() - datetime.timedelta(days=2))
    assert incident.report_overdue(timezone.now())
    assert S.incidents_report_overdue_remind() == 1
    assert S.incidents_report_overdue_remind() == 0
    assert Notification.objects.filter(
        recipient=org.cqo, message__contains=incident.number
    ).exists()
    S.incident_report_onward(actor=org.cqo, incident=incident, reported_to="主要负责人",
                             reported_at=None)  # fmt: skip
    incident.refresh_from_db()
    assert not incident.report_overdue(timezone.now())


def test_the_investigation_is_led_by_the_cqo_or_a_delegate_of_authority_d(org: Any) -> None:
    from cqo.authorities.services import delegation_create

    incident = reported_incident(org)
    with pytest.raises(ValidationError) as exc:
        S.investigation_open(actor=org.cqo, incident=incident, lead=org.engineer)
    assert "lead" in exc.value.message_dict and "§6 d)" in exc.value.message_dict["lead"][0]
    delegation_create(actor=org.cqo, authority="d", delegate=org.engineer.person,
                      units=[org.root], start_date=days(0), end_date=days(30))  # fmt: skip
    incident = S.investigation_open(actor=org.cqo, incident=incident, lead=org.engineer)
    assert incident.status == IncidentStatus.INVESTIGATING
    # The delegate now does the investigator's work.
    S.timeline_add(actor=org.engineer, incident=incident, at=timezone.now(), text="现场取证")
    S.responsibility_add(actor=org.engineer, incident=incident, kind="direct",
                         finding="未按期校准", person=org.head.person)  # fmt: skip


def test_a_team_member_adds_to_the_timeline_and_others_may_not(org: Any) -> None:
    incident = incident_investigating(org)
    with pytest.raises(PermissionDenied):
        S.timeline_add(actor=org.inspector, incident=incident, at=timezone.now(), text="x")
    S.team_member_add(actor=org.cqo, incident=incident, user=org.inspector, task="取样")
    entry = S.timeline_add(actor=org.inspector, incident=incident, at=timezone.now(), text="取样")
    assert entry.recorded_by == org.inspector


def test_it_concludes_only_with_facts_and_causes_and_closes_only_when_reported_onward(
    org: Any,
) -> None:
    incident = reported_incident(org)
    incident = S.investigation_open(actor=org.cqo, incident=incident, lead=org.cqo)
    with pytest.raises(ValidationError) as exc:
        S.investigation_conclude(actor=org.cqo, incident=incident, conclusion="结论")
    assert "facts" in exc.value.message_dict
    S.findings_record(actor=org.cqo, incident=incident, facts="事实", causes="原因")
    incident = S.investigation_conclude(actor=org.cqo, incident=incident, conclusion="结论")
    with pytest.raises(ValidationError) as exc:
        S.incident_close(actor=org.cqo, incident=incident)
    assert "reported_to" in exc.value.message_dict
    S.incident_report_onward(actor=org.cqo, incident=incident, reported_to="主要负责人",
                             reported_at=None)  # fmt: skip
    assert S.incident_close(actor=org.cqo, incident=incident).status == IncidentStatus.CLOSED


def test_it_asks_for_a_nonconformance_through_the_master_data_event(org: Any) -> None:
    heard: list[dict[str, Any]] = []

    def spy(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    events.anomaly_requested.connect(spy, dispatch_uid="test-incident-ncr")
    try:
        incident = reported_incident(org, item=ItemFactory())
        incident = S.incident_ncr_request(actor=org.cqo, incident=incident)
    finally:
        events.anomaly_requested.disconnect(dispatch_uid="test-incident-ncr")
    assert heard[0]["source"] == "incident" and heard[0]["source_ref"] == incident.number
    assert heard[0]["item"] == incident.item and heard[0]["actor"] == org.cqo
    # The anomalies app answers with the NCR it opened; the incident keeps its number and page.
    assert incident.ncr_ref.startswith("NCR-")
    with pytest.raises(ValidationError) as exc:
        S.incident_ncr_request(actor=org.cqo, incident=incident)
    assert "item" in exc.value.message_dict


def test_its_costs_are_lines_of_the_cost_source_and_a_voided_one_is_left_out(org: Any) -> None:
    incident = reported_incident(org)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        costs.incident_cost_add(actor=org.cqo, incident=incident, item_code="p_training",
                                amount=Decimal("1"), incurred_on=today)  # fmt: skip
    assert "item_code" in exc.value.message_dict
    kept = costs.incident_cost_add(actor=org.cqo, incident=incident, item_code="i_incident",
                                   amount=Decimal("800.50"), incurred_on=today)  # fmt: skip
    voided = costs.incident_cost_add(actor=org.cqo, incident=incident, item_code="e_claims",
                                     amount=Decimal("3000"), incurred_on=today)  # fmt: skip
    costs.incident_cost_void(actor=org.cqo, cost=voided, reason="重复录入")
    lines = [line for line in cost_lines(today, today) if line.source == "incidents"]
    assert [(line.key, line.amount, line.category) for line in lines] == [
        (f"incidentcost:{kept.pk}", Decimal("800.50"), "internal")
    ]


def test_the_investigator_s_panel_lists_an_overdue_incident_first(org: Any) -> None:
    from cqo.incidents.panels import incidents_open, penalties_to_decide

    recent = reported_incident(org)
    late = reported_incident(org, occurred_at=timezone.now() - datetime.timedelta(days=3))
    S.incident_report_onward(actor=org.cqo, incident=recent, reported_to="质量管理部",
                             reported_at=None)  # fmt: skip
    items = incidents_open(org.cqo).items
    assert [i.title for i in items] == [str(late), str(recent)]
    assert items[0].tone == "danger"
    assert penalties_to_decide(org.principal).items == []
