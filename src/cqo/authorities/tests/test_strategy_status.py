"""A strategy is put in force and retired by whoever holds §6 a), on the page and through the API."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.plans import services as PS
from cqo.plans.models import QualityStrategy, StrategyStatus
from cqo.testing.world import Org, today


def _strategy(org: Org) -> QualityStrategy:
    year = today().year
    return PS.strategy_create(
        actor=org.cqo, title="质量强企三年规划", start_year=year, end_year=year + 2
    )


def test_the_cqo_puts_a_strategy_in_force_on_the_page_and_it_is_audited(org: Org) -> None:
    strategy = _strategy(org)
    client = Client()
    client.force_login(org.cqo)
    page = client.get(reverse("plans:strategy_list")).content.decode()
    assert reverse("plans:strategy_status", args=[strategy.pk]) in page
    response = client.post(
        reverse("plans:strategy_status", args=[strategy.pk]),
        {"status": StrategyStatus.ACTIVE, "reason": "董事会通过"},
    )
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.ACTIVE
    event = AuditEvent.objects.filter(action="plans.strategy.status").latest("seq")
    assert event.reason == "董事会通过" and event.clause == "§6 a)"


def test_an_inspector_cannot_change_a_strategys_status_by_page_or_api(org: Org) -> None:
    strategy = _strategy(org)
    client = Client()
    client.force_login(org.inspector)
    url = reverse("plans:strategy_status", args=[strategy.pk])
    assert client.post(url, {"status": StrategyStatus.ACTIVE}).status_code == 403
    api = APIClient()
    api.force_authenticate(org.inspector)
    answer = api.post(f"/api/v1/authorities/strategies/{strategy.pk}/status/", {"status": "active"})
    assert answer.status_code == 403
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.DRAFT


def test_the_cqo_retires_a_strategy_through_the_api(org: Org) -> None:
    strategy = _strategy(org)
    api = APIClient()
    api.force_authenticate(org.cqo)
    answer = api.post(
        f"/api/v1/authorities/strategies/{strategy.pk}/status/",
        {"status": "retired", "reason": "被新规划取代"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "retired"
    bad = api.post(
        f"/api/v1/authorities/strategies/{strategy.pk}/status/", {"status": "x"}, format="json"
    )
    assert bad.status_code == 400
