"""Complaint pages, Excel export and API: recording through the page opens the NCR, the list
marks what is overdue, the detail shows the deadlines, the API refuses bad input by field."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cqo.anomalies import services_complaints as S
from cqo.anomalies.models_complaints import Complaint, ComplaintPolicy, ComplaintStatus
from cqo.testing.complaints import complaint_world

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def w(org: Any) -> Any:
    return complaint_world(created_by=org.engineer)


def test_the_page_records_a_complaint_and_its_detail_shows_deadlines_and_the_ncr(
    org: Any, w: Any
) -> None:
    client = _client(org.engineer)
    response = client.post(
        reverse("anomalies:complaint_new"),
        {
            "customer": w.customer.pk, "item": w.item.pk, "lot_number": w.lot.number,
            "description": "装机后漏油", "defect_class": "CR", "quantity": "5",
            "claim_amount": "1200.00", "received_at": "",
        },
    )  # fmt: skip
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("anomalies:complaint_detail", args=[complaint.pk])
    page = client.get(response["Location"]).content.decode()
    assert complaint.anomaly is not None and complaint.anomaly.number in page
    assert 'data-deadline="containment"' in page and 'data-deadline="8d"' in page
    assert timezone.localtime(complaint.containment_due).strftime("%Y-%m-%d %H:%M") in page


def test_the_page_names_the_field_of_an_unknown_lot(org: Any, w: Any) -> None:
    response = _client(org.engineer, "zh-hans").post(
        reverse("anomalies:complaint_new"),
        {"customer": w.customer.pk, "item": w.item.pk, "lot_number": "NO-SUCH", "description": "x"},
    )
    assert response.status_code == 200
    assert "lot_number" in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_the_list_marks_an_overdue_response_and_filters_on_it(org: Any, w: Any) -> None:
    late = S.complaint_record(
        actor=org.engineer, customer=w.customer, item=w.item, description="划伤",
        received_at=timezone.now() - datetime.timedelta(hours=30),
    )  # fmt: skip
    fresh = S.complaint_record(
        actor=org.engineer, customer=w.customer, item=w.item, description="锈蚀"
    )
    client = _client(org.inspector)
    page = client.get(reverse("anomalies:complaint_list") + "?due=overdue").content.decode()
    assert late.number in page and fresh.number not in page
    assert "overdue" in page
    steps = client.post(
        reverse("anomalies:complaint_detail", args=[late.pk]), {"action": "contain", "note": "x"}
    )
    assert steps.status_code == 403


def test_the_detail_page_takes_the_steps_and_refuses_an_empty_note(org: Any, w: Any) -> None:
    complaint = S.complaint_record(
        actor=org.engineer, customer=w.customer, item=w.item, description="划伤"
    )
    client = _client(org.engineer)
    url = reverse("anomalies:complaint_detail", args=[complaint.pk])
    client.post(url, {"action": "contain", "note": ""})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED
    client.post(url, {"action": "contain", "note": "已冻结库存"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONTAINED


def test_the_export_is_a_workbook_of_the_complaints(org: Any, w: Any) -> None:
    from openpyxl import load_workbook

    complaint = S.complaint_record(
        actor=org.engineer, customer=w.customer, item=w.item, description="=HYPERLINK(1)",
        claim_amount="88.80",
    )  # fmt: skip
    response = _client(org.auditor).get(reverse("anomalies:complaint_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == complaint.number
    assert rows[1][6] == "=HYPERLINK(1)"  # text, not a formula (quote prefix)
    assert float(rows[1][9]) == 88.8


def test_the_policy_page_sets_a_customers_deadlines(org: Any, w: Any) -> None:
    url = reverse("anomalies:complaint_policy_list")
    data = {"customer": w.customer.pk, "containment_hours": "12", "eightd_days": "10"}
    assert _client(org.engineer).post(url, data).status_code == 403
    assert _client(org.cqo).post(url, data).status_code == 302
    policy = ComplaintPolicy.objects.get()
    assert (policy.customer, policy.containment_hours, policy.eightd_days) == (w.customer, 12, 10)


def test_the_api_records_a_complaint_and_refuses_a_bad_claim_by_field(org: Any, w: Any) -> None:
    client = _client(org.engineer)
    url = reverse("api:anomalies:complaint-list")
    body = {"customer": w.customer.pk, "item": w.item.pk, "description": "孔径偏大"}
    bad = client.post(url, {**body, "claim_amount": "-5"}, content_type="application/json")
    assert bad.status_code == 400 and "claim_amount" in bad.json()
    made = client.post(url, {**body, "claim_amount": "99.90"}, content_type="application/json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["anomaly_number"] and data["claim_amount"] == "99.90"
    assert [d["key"] for d in data["deadlines"]] == ["containment", "8d"]
    contain = client.post(
        reverse("api:anomalies:complaint-contain", args=[data["id"]]), {"note": "已遏制"},
        content_type="application/json",
    )  # fmt: skip
    assert contain.status_code == 200 and contain.json()["status"] == "contained"
    refused = _client(org.inspector).post(
        reverse("api:anomalies:complaint-reject", args=[data["id"]]), {"note": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 403


def test_a_claim_is_recorded_as_a_cost_of_the_complaint_and_shown_on_its_page(
    org: Any, w: Any
) -> None:
    from cqo.anomalies.models_costs import CostEntry

    complaint = S.complaint_record(
        actor=org.engineer, customer=w.customer, item=w.item, description="划伤"
    )
    client = _client(org.engineer)
    added = client.post(
        reverse("anomalies:cost_add", args=["complaint", complaint.pk]),
        {"item_code": "e_claims", "amount": "1500.00", "note": "客户索赔"},
    )
    assert added.status_code == 302, added.content
    entry = CostEntry.objects.get()
    assert (entry.record_type, entry.record_id) == ("anomalies.complaint", complaint.pk)
    assert entry.customer_id == w.customer.pk
    page = client.get(reverse("anomalies:complaint_detail", args=[complaint.pk])).content.decode()
    assert "costs-section" in page and "1500.00" in page


def test_the_trace_backward_link_starts_from_the_units_serial_when_the_complaint_gives_one(
    org: Any, w: Any
) -> None:
    with_serial = S.complaint_record(
        actor=org.engineer, customer=w.customer, item=w.item, lot=w.lot, serial="SN 77/A",
        description="装机后漏油", quantity="1",
    )  # fmt: skip
    lot_only = S.complaint_record(
        actor=org.engineer, customer=w.customer, item=w.item, lot=w.lot,
        description="装机后漏油", quantity="1",
    )  # fmt: skip
    client = _client(org.engineer)
    trace = reverse("masterdata:genealogy_trace")
    page = client.get(reverse("anomalies:complaint_detail", args=[with_serial.pk])).content.decode()
    assert page.count('id="complaint-trace"') == 1
    assert f'id="complaint-trace" href="{trace}?direction=backward&amp;serial=SN%2077/A"' in page
    page = client.get(reverse("anomalies:complaint_detail", args=[lot_only.pk])).content.decode()
    assert f'id="complaint-trace" href="{trace}?direction=backward&amp;lot={w.lot.number}"' in page
