"""The review board's pages and API: the review and costs sections on the NCR page, the
disposition form, a vetoed disposition answered with 409, the review policy page."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from cqo.anomalies.models import CostEntry, Disposition, DispositionStatus, ReviewPolicy
from cqo.authorities.services import veto_impose
from cqo.masterdata.models import DefectClass
from cqo.testing.mrb import rejected_ncr
from cqo.testing.world import PASSWORD, Org


def _client(user: object, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_disposition_form_sends_a_concession_to_the_cqo(org: Org) -> None:
    ncr = rejected_ncr(org.engineer, quantity="500")
    client = _client(org.engineer)
    url = reverse("anomalies:disposition_new", args=[ncr.pk])
    assert client.get(url + "?kind=concession").status_code == 200
    bad = client.post(url, {"kind": "concession", "quantity": "600", "reason": "r",
                            "conditions": "c"})  # fmt: skip
    assert bad.status_code == 200 and "at most 500 remains" in bad.content.decode()
    done = client.post(
        url, {"kind": "concession", "quantity": "200", "reason": "装配验证不影响功能",
              "conditions": "仅用于本月订单"},
    )  # fmt: skip
    d = Disposition.objects.get(anomaly=ncr)
    assert done.status_code == 302 and done["Location"] == d.get_absolute_url()
    assert d.status == DispositionStatus.SUBMITTED and d.approval is not None
    detail = _client(org.cqo).get(d.get_absolute_url()).content.decode()
    assert reverse("authorities:approval_detail", args=[d.approval_id]) in detail
    assert "veto-form" in detail  # the CQO may veto it from its page


def test_the_api_proposes_refuses_by_field_and_answers_409_for_a_vetoed_disposition(
    org: Org,
) -> None:
    ncr = rejected_ncr(org.engineer, quantity="10", defect_class=DefectClass.MA)
    client = _client(org.engineer)
    url = reverse("api:anomalies:disposition-list")
    over = client.post(url, {"anomaly": ncr.pk, "kind": "scrap", "quantity": "11",
                             "reason": "x"}, content_type="application/json")  # fmt: skip
    assert over.status_code == 400 and "quantity" in over.json()
    made = client.post(url, {"anomaly": ncr.pk, "kind": "scrap", "quantity": "10",
                             "reason": "报废", "unit_cost": "2"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201 and made.json()["status"] == "decided"
    d = Disposition.objects.get(pk=made.json()["id"])
    veto_impose(actor=org.cqo, subject=d, reason="需复检", password=PASSWORD)
    done = client.post(reverse("api:anomalies:disposition-done", args=[d.pk]), {},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 409
    d.refresh_from_db()
    assert d.status == DispositionStatus.DECIDED
    listed = client.get(url, {"anomaly": ncr.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [d.pk]
    assert client.get(url, {"anomaly": "x"}).status_code == 200


def test_costs_by_hand_through_the_page_and_the_api(org: Org) -> None:
    ncr = rejected_ncr(org.engineer)
    client = _client(org.engineer)
    page = client.post(
        reverse("anomalies:cost_add", args=["anomaly", ncr.pk]),
        {"item_code": "i_nonconformity", "quantity": "4", "rate": "30", "note": "挑选"},
    )
    assert page.status_code == 302
    api = client.post(
        reverse("api:anomalies:cost-list"),
        {"record_type": "anomalies.anomaly", "record_id": ncr.pk, "item_code": "e_claims",
         "amount": "1000"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 201
    assert sorted(CostEntry.objects.values_list("amount", flat=True)) == [
        Decimal("120.00"), Decimal("1000.00"),
    ]  # fmt: skip
    wrong = client.post(
        reverse("api:anomalies:cost-list"),
        {"record_type": "auth.user", "record_id": org.cqo.pk, "item_code": "e_claims",
         "amount": "1"},
        content_type="application/json",
    )  # fmt: skip
    assert wrong.status_code == 400 and "record_type" in wrong.json()
    assert client.get(reverse("anomalies:cost_add", args=["nothing", 1])).status_code == 404


def test_only_the_cqo_changes_the_review_policy(org: Org) -> None:
    url = reverse("anomalies:review_policy")
    assert _client(org.engineer).get(url).status_code == 200
    refused = _client(org.engineer).post(url, {"cost_threshold": "1", "reason": "x"})
    assert refused.status_code == 403
    saved = _client(org.cqo).post(
        url, {"cost_threshold": "8000", "quantity_threshold": "", "reason": "年度评审"}
    )
    assert saved.status_code == 302
    assert ReviewPolicy.objects.get().cost_threshold == Decimal("8000.00")
