"""The review board's and the costs' sections on the NCR page (``anomalies:ncr_detail``), in
English and in Chinese, and the links back to them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cqo.anomalies import services_mrb as S
from cqo.testing.mrb import rejected_ncr
from cqo.testing.world import Org


def _client(user: object, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_ncr_page_shows_the_review_and_costs_sections(org: Org) -> None:
    ncr = rejected_ncr(org.engineer, quantity="40")
    S.opinion_record(actor=org.head, anomaly=ncr, text="建议返工", recommendation="rework")
    S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="scrap", quantity="10", reason="报废",
        unit_cost="3",
    )  # fmt: skip
    page = _client(org.engineer).get(reverse("anomalies:ncr_detail", args=[ncr.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="mrb"' in text and 'id="costs"' in text
    assert "建议返工" in text and "Propose a concession" in text
    assert "10 dispositioned, 30 left" in text
    zh = _client(org.auditor, "zh-hans").get(reverse("anomalies:ncr_detail", args=[ncr.pk]))
    assert "评审" in zh.content.decode() and "Propose a disposition" not in zh.content.decode()


def test_a_cost_and_an_opinion_lead_back_to_their_section_of_the_ncr_page(org: Org) -> None:
    ncr = rejected_ncr(org.engineer)
    client = _client(org.engineer)
    page = reverse("anomalies:ncr_detail", args=[ncr.pk])
    cost = client.post(
        reverse("anomalies:cost_add", args=["anomaly", ncr.pk]),
        {"item_code": "i_nonconformity", "amount": "80"},
    )
    assert cost["Location"] == f"{page}#costs"
    opinion = client.post(
        reverse("anomalies:opinion_add", args=[ncr.pk]), {"stance": "agree", "text": "同意报废"}
    )
    assert opinion["Location"] == f"{page}#mrb"
    assert "同意报废" in client.get(page).content.decode()
