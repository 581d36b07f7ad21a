"""The incident and penalty pages: thin over the services, every refusal on the form naming the
field and the clause."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cqo.incidents.models import IncidentRules, PenaltyStatus
from cqo.incidents.services_penalties import penalty_notify
from cqo.testing.factories import TEST_PASSWORD
from cqo.testing.incidents import incident_rules, penalty_proposed, reported_incident

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_a_report_in_the_future_is_refused_on_its_field_with_the_clause(org: Any) -> None:
    incident_rules(org.cqo)
    future = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    response = _client(org.inspector).post("/incidents/new/", {
        "title": "混料", "description": "包装混入其他规格", "loss": "0", "injuries": "0",
        "deaths": "0", "occurred_at": future.strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "occurred_at" in errors and "§6 d)" in errors["occurred_at"][0]


def test_anyone_reports_and_lands_on_the_incident_page(org: Any) -> None:
    incident_rules(org.cqo)
    earlier = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    response = _client(org.inspector).post("/incidents/new/", {
        "title": "混料", "description": "包装混入其他规格", "loss": "100", "injuries": "0",
        "deaths": "0", "occurred_at": earlier.strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    assert response.status_code == 302
    page = _client(org.cqo).get(response["Location"])
    assert "混料" in page.content.decode() and 'action="/incidents/' in page.content.decode()


def test_a_forged_decision_before_the_hearing_is_refused_naming_the_statement(org: Any) -> None:
    penalty = penalty_notify(actor=org.cqo, penalty=penalty_proposed(org), notice="拟罚款")
    response = _client(org.principal).post(
        f"/incidents/penalties/{penalty.pk}/decide/",
        {"verdict": "impose", "measure": "fine", "amount": "100", "reasons": "依规"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "§6 d)" in body and "申辩" in body
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.NOTIFIED


def test_only_the_cqo_in_office_puts_new_rules_in_force_from_the_page(org: Any) -> None:
    data = {
        "text": "制度", "serious_loss": "50000", "major_loss": "500000", "serious_injuries": "1",
        "major_injuries": "3", "major_deaths": "1", "general_hours": "24", "serious_hours": "4",
        "major_hours": "1", "general_report_to": "质量部", "serious_report_to": "首席质量官",
        "major_report_to": "主要负责人", "decider_role": "principal", "hearing_days": "5",
    }  # fmt: skip
    assert _client(org.engineer).post("/incidents/rules/", data).status_code == 403
    assert _client(org.cqo).post("/incidents/rules/", data).status_code == 302
    assert IncidentRules.objects.get().version == 1


def test_an_act_the_user_may_not_take_changes_nothing(org: Any) -> None:
    incident = reported_incident(org)
    response = _client(org.inspector).post(
        f"/incidents/{incident.pk}/lead/", {"lead": org.inspector.pk}
    )
    incident.refresh_from_db()
    assert response.status_code == 400 and incident.lead is None
    assert _client(org.inspector).post(f"/incidents/{incident.pk}/nothing/").status_code == 404


def test_the_list_exports_to_excel_with_hostile_text_kept_as_text(org: Any) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    reported_incident(org, title='=HYPERLINK("http://evil")')
    response = _client(org.inspector).get("/incidents/export.xlsx?level=general")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][1] == '=HYPERLINK("http://evil")'
    assert ws.cell(row=2, column=2).data_type == "s"
