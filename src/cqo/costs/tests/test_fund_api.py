"""The fund part's API (/api/v1/costs/): the same services as the pages, refusals by field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cqo.costs.models import FundSpending, PurposeKind, SpendingStatus
from cqo.testing.fund import budget_with_lines, decide, fund_with_purposes, voucher
from cqo.testing.world import Org, today

BASE = "/api/v1/costs/"


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_unit_applies_through_the_api_and_an_over_balance_spending_is_a_400_naming_the_field(
    org: Org,
) -> None:
    fund, purposes = fund_with_purposes(org)
    body = {"fund": fund.pk, "purpose": purposes[PurposeKind.METROLOGY].pk,
            "unit": org.production.pk, "title": "量具", "justification": "更换", "amount": "9000.00"}  # fmt: skip
    client = _client(org.head)
    response = client.post(f"{BASE}spendings/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == SpendingStatus.SUBMITTED
    response = client.post(f"{BASE}spendings/", {**body, "amount": "1000.01"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert "§8.1" in str(response.json()["amount"])
    other, _ = fund_with_purposes(org, year=today().year - 1)
    response = client.post(f"{BASE}spendings/", {**body, "fund": other.pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "purpose" in response.json()
    assert FundSpending.objects.count() == 1


def test_the_cqo_records_a_payment_with_its_voucher_through_the_api(org: Org) -> None:
    fund, purposes = fund_with_purposes(org)
    client = _client(org.head)
    response = client.post(f"{BASE}spendings/", {
        "fund": fund.pk, "purpose": purposes[PurposeKind.TALENT].pk, "unit": org.production.pk,
        "title": "培训", "justification": "上岗", "amount": "500"}, content_type="application/json")  # fmt: skip
    spending = decide(org.cqo, FundSpending.objects.get(pk=response.json()["id"]))
    url = f"{BASE}spendings/{spending.pk}/payments/"
    data = {"amount": "500.00", "paid_on": today().isoformat(), "voucher_no": "记-9",
            "voucher": voucher()}  # fmt: skip
    assert client.post(url, data).status_code == 403  # the applicant does not pay
    response = _client(org.cqo).post(url, data | {"voucher": voucher()})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == SpendingStatus.PAID
    assert len(response.json()["payments"][0]["voucher_sha256"]) == 64


def test_a_budget_reads_as_approved_only_after_the_principal_approves_it(org: Org) -> None:
    budget = budget_with_lines(org)
    client = _client(org.cqo)
    assert client.get(f"{BASE}budgets/{budget.pk}/").json()["approved"] is False
    response = client.post(f"{BASE}budgets/{budget.pk}/submit/")
    assert response.status_code == 200 and response.json()["approved"] is False
    decide(org.principal, budget)
    assert client.get(f"{BASE}budgets/{budget.pk}/").json()["approved"] is True
    response = client.post(f"{BASE}budgets/{budget.pk}/lines/", {
        "unit": org.qm.pk, "item_code": "p_training", "amount": "1"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "budget" in response.json()


def test_the_funds_api_shows_each_purposes_balance(org: Org) -> None:
    fund, _ = fund_with_purposes(org)
    data = _client(org.inspector).get(f"{BASE}funds/{fund.pk}/").json()
    assert [p["balance"] for p in data["purposes"]] == ["40000.00", "30000.00", "10000.00"]
    assert _client(org.inspector).get(f"{BASE}budgets/").status_code == 403
