"""The registers' pages, API, panel and demo (§7.2.1.1–§7.2.1.3)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cqo.safety.models_registers import ControlList, ImpactReview, PostAcknowledgement, Risk
from cqo.testing import safety as S
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_risk_list_shows_the_heatmap_and_each_risk_in_its_level_colour(org: Org) -> None:
    S.risk(org)
    response = _client(org.inspector).get("/safety/risks/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "R-001" in html and "#d32f2f" in html  # 4 × 5 = 20: very high


def test_the_cqo_edits_a_risk_on_its_page_and_a_bad_rating_is_named(org: Org) -> None:
    risk = S.risk(org)
    client = _client(org.cqo)
    data = {"family": risk.family, "process": risk.process, "hazard": "新的危害描述",
            "likelihood": "2", "severity": "2", "residual_likelihood": "3",
            "residual_severity": "3", "owner": str(org.engineer.pk)}  # fmt: skip
    response = client.post(f"/safety/risks/{risk.pk}/", data)
    assert response.status_code == 200
    assert "§7.2.1.2" in response.content.decode()
    data |= {"residual_likelihood": "1", "residual_severity": "2"}
    response = client.post(f"/safety/risks/{risk.pk}/", data)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.hazard == "新的危害描述" and risk.residual_score == 2


def test_an_inspector_may_not_edit_a_risk(org: Org) -> None:
    risk = S.risk(org)
    response = _client(org.inspector).post(f"/safety/risks/{risk.pk}/", {"hazard": "x"})
    assert response.status_code == 403
    assert Risk.objects.get(pk=risk.pk).hazard != "x"


def test_publishing_from_the_page_makes_a_version_and_its_pdf_prints(org: Org) -> None:
    S.risk(org, controls=("daily", "weekly"))
    client = _client(org.cqo)
    response = client.post("/safety/control-list/publish/", {"note": "首版"})
    assert response.status_code == 302 and response["Location"] == "/safety/control-list/v1/"
    page = client.get("/safety/control-list/").content.decode()
    assert "R-001.1" in page and "R-001.2" in page
    pdf = client.get("/safety/control-list/v1.pdf?lang=en")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/safety/control-list/v9/").status_code == 404


def test_the_matrix_page_saves_a_four_by_four_matrix(org: Org) -> None:
    client = _client(org.cqo)
    data = {
        "likelihood": "低 | Low\n较低 | Fairly low\n较高 | Fairly high\n高 | High",
        "severity": "轻 | Light\n中 | Medium\n重 | Heavy\n极重 | Very heavy",
        "levels": "g | 绿 | Green | #00aa00 | 1\nr | 红 | Red | #cc0000 | 8",
    }
    response = client.post("/safety/risks/matrix/", data)
    assert response.status_code == 302
    from cqo.safety.services_registers import matrix_current

    assert len(matrix_current().likelihood) == 4
    response = client.post("/safety/risks/matrix/", data | {"levels": "g | 绿 | | green | 1"})
    assert response.status_code == 200 and "#rrggbb" in response.content.decode()


def test_a_new_version_from_the_source_page_opens_a_review_its_owner_closes(org: Org) -> None:
    source = S.source(org)
    response = _client(org.cqo).post(f"/safety/sources/{source.pk}/version/", {"version": "2025"})
    assert response.status_code == 302
    review = ImpactReview.objects.get(source=source)
    response = _client(org.engineer).post(
        f"/safety/reviews/{review.pk}/close/", {"outcome": "updated", "outcome_text": "已更新要求"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.outcome == "updated" and not review.is_open


def test_the_holder_acknowledges_on_the_key_posts_page(org: Org) -> None:
    post = S.key_post(org, holder=org.head)
    S.key_post(org, code="P-KEY-2")  # vacant
    client = _client(org.head)
    page = client.get("/safety/key-posts/").content.decode()
    assert "I acknowledge these responsibilities" in page or "我确认以上职责" in page
    response = client.post(f"/safety/key-posts/{post.pk}/acknowledge/")
    assert response.status_code == 302
    assert PostAcknowledgement.objects.filter(post=post, person=org.head.person).exists()
    assert (
        _client(org.inspector).post(f"/safety/key-posts/{post.pk}/acknowledge/").status_code == 403
    )


def test_the_panel_flags_vacant_and_unacknowledged_key_posts_for_the_cqo(org: Org) -> None:
    from cqo.safety.panels_registers import key_posts_wanting

    held = S.key_post(org, holder=org.head)
    S.key_post(org, code="P-KEY-2")
    S.key_post(org, code="P-KEY-3", holder=org.inspector, responsibilities="")
    items = key_posts_wanting(org.cqo).items
    assert len(items) == 3
    assert {i.tone for i in items} == {"danger", "warning"}
    from cqo.safety.services_registers import post_acknowledge

    post_acknowledge(actor=org.head, post=held)
    assert len(key_posts_wanting(org.cqo).items) == 2


def test_the_api_publishes_a_list_and_answers_the_controls_in_force(org: Org) -> None:
    S.risk(org, controls=("daily", "monthly"))
    client = _client(org.cqo)
    response = client.post("/api/v1/safety/control-lists/", {"note": "API"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    daily = client.get("/api/v1/safety/control-lists/controls/?frequency=daily").json()
    assert [c["code"] for c in daily] == ["R-001.1"]
    assert client.get("/api/v1/safety/control-lists/controls/?on=bad").status_code == 400
    refused = _client(org.inspector).post("/api/v1/safety/control-lists/", {},
                                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    assert ControlList.objects.count() == 1


def test_the_api_adds_and_rerates_a_risk(org: Org) -> None:
    client = _client(org.engineer)
    body = {"family": "brake_disc", "process": "精车", "hazard": "端面跳动超差",
            "likelihood": 3, "severity": 3, "residual_likelihood": 2, "residual_severity": 3,
            "owner": org.engineer.pk}  # fmt: skip
    response = client.post("/api/v1/safety/risks/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(f"/api/v1/safety/risks/{pk}/", {"likelihood": 9},
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "likelihood" in response.json()
    response = client.post(f"/api/v1/safety/risks/{pk}/controls/",
                           {"text": "首件测量", "frequency": "weekly"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    assert response.json()["key"] == f"control:{response.json()['id']}"


def test_the_demo_builds_forty_risks_and_a_list_in_force_thirty_days_back() -> None:
    from cqo.core.demo import demo_build

    demo_build(builders=["organisation", "safety.registers"])
    assert Risk.objects.filter(voided_at__isnull=True).count() == 40
    from cqo.safety.selectors_registers import controls_for_records

    month_ago = timezone.localdate() - datetime.timedelta(days=30)
    assert len(controls_for_records(on=month_ago)) > 20
    assert ControlList.objects.count() == 2
    assert ImpactReview.objects.filter(closed_at__isnull=True).count() == 1
    from cqo.audit.services import verify_chain

    assert verify_chain(anchored=False) is None
