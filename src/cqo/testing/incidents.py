"""Set-up for tests of quality incidents and penalties (§6 d)): the enterprise's incident rules,
an incident under investigation, a penalty at each step of its procedure."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cqo.incidents.models import Incident, IncidentRules, Penalty

RULES_TEXT = "质量事故报告与调查处理制度：事故发生后按等级时限报告，处罚依程序决定。"


def incident_rules(by: Any, **overrides: Any) -> IncidentRules:
    """Rules in force (written straight, as set-up): serious from 50,000 yuan or one injured
    person, major from 500,000 yuan, three injured or one death; penalties decided by the
    principal; five days to answer."""
    last = IncidentRules.objects.order_by("-version").first()
    values: dict[str, Any] = {
        "version": (last.version + 1) if last else 1,
        "text": RULES_TEXT,
        "serious_loss": Decimal("50000"),
        "major_loss": Decimal("500000"),
        "serious_injuries": 1,
        "major_injuries": 3,
        "major_deaths": 1,
        "general_hours": 24,
        "serious_hours": 4,
        "major_hours": 1,
        "general_report_to": "质量管理部",
        "serious_report_to": "首席质量官、主要负责人",
        "major_report_to": "主要负责人、市场监管部门",
        "decider_role": "principal",
        "hearing_days": 5,
        "set_by": by,
        "set_at": timezone.now(),
        **overrides,
    }
    return IncidentRules.objects.create(**values)


def reported_incident(org: Any, *, by: Any = None, **overrides: Any) -> Incident:
    """An incident reported through the service (rules set first when there are none)."""
    from cqo.incidents.services_incidents import incident_report, rules_current

    if rules_current() is None:
        incident_rules(org.cqo)
    values: dict[str, Any] = {
        "title": "装配线扭矩失控导致批量返工",
        "description": "3 号装配线扭矩扳手失准，200 件制动器支架扭矩不足。",
        "occurred_at": timezone.now() - datetime.timedelta(hours=2),
        "unit": org.production,
        "loss": Decimal("12000"),
        **overrides,
    }
    return incident_report(actor=by or org.engineer, **values)


def incident_investigating(org: Any) -> Incident:
    """An incident whose investigation the CQO leads, with facts and causes recorded."""
    from cqo.incidents.services_incidents import findings_record, investigation_open

    incident = reported_incident(org)
    incident = investigation_open(actor=org.cqo, incident=incident, lead=org.cqo)
    return findings_record(
        actor=org.cqo, incident=incident, facts="扭矩扳手未按期校准。", causes="校准计划遗漏。"
    )


def penalty_proposed(org: Any, incident: Incident | None = None, **overrides: Any) -> Penalty:
    from cqo.incidents.services_penalties import penalty_propose

    incident = incident or incident_investigating(org)
    values: dict[str, Any] = {
        "person": org.head.person,
        "basis": "《质量事故责任追究办法》第十二条",
        "measure": "fine",
        "amount": Decimal("500"),
        **overrides,
    }
    return penalty_propose(actor=org.cqo, incident=incident, **values)


def penalty_heard(org: Any, statement: str = "扳手校准由设备科负责，本人已提醒。") -> Penalty:
    from cqo.incidents.services_penalties import penalty_hear, penalty_notify

    penalty = penalty_proposed(org)
    penalty = penalty_notify(
        actor=org.cqo, penalty=penalty, notice="拟罚款 500 元，可在 5 日内申辩。"
    )
    return penalty_hear(actor=org.cqo, penalty=penalty, statement=statement)
