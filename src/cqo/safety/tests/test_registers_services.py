"""The registers' services and the reader the regime part uses (§7.2.1.1–§7.2.1.3)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqo.audit.models import AuditEvent
from cqo.safety.models_registers import ControlList, ImpactReview, PostAcknowledgement
from cqo.safety.selectors_registers import controls_for_records
from cqo.safety.services_registers import (
    control_add,
    control_list_publish,
    matrix_current,
    matrix_set,
    post_acknowledge,
    review_close,
    risk_update,
    risk_void,
    source_version_new,
)
from cqo.testing import safety as S
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def today() -> datetime.date:
    return timezone.localdate()


def test_the_reader_is_empty_until_a_list_is_published(org: Org) -> None:
    S.risk(org)
    assert controls_for_records(on=today()) == []


def test_the_reader_gives_the_controls_of_the_list_in_force_by_frequency(org: Org) -> None:
    published = S.published_list(org)
    daily = controls_for_records(on=today(), frequency="daily")
    weekly = controls_for_records(on=today(), frequency="weekly")
    monthly = controls_for_records(on=today(), frequency="monthly")
    assert [c.frequency for c in daily + weekly + monthly] == ["daily", "weekly", "monthly"]
    item = daily[0]
    assert item.code == "R-001.1" and item.risk_code == "R-001"
    assert item.owner_user_id == org.inspector.pk
    assert item.key.startswith("control:")
    assert published.version == 1
    # Not in force before its date.
    assert controls_for_records(on=today() - datetime.timedelta(days=1)) == []


def test_a_control_keeps_its_key_across_versions_and_a_new_one_waits_for_publishing(
    org: Org,
) -> None:
    S.published_list(org)
    before = controls_for_records(on=today())
    risk = S.risk(org, controls=())
    control_add(actor=org.cqo, risk=risk, text="每班首件确认", frequency="daily")
    assert controls_for_records(on=today()) == before
    control_list_publish(actor=org.cqo, note="新增风险")
    after = controls_for_records(on=today())
    assert after[0].key == before[0].key
    assert len(after) == 2
    # The new control without a recorder is recorded by the risk's owner.
    assert after[1].owner_user_id == org.engineer.pk
    assert ControlList.objects.count() == 2


def test_publishing_an_unchanged_register_is_refused(org: Org) -> None:
    S.published_list(org)
    with pytest.raises(ValidationError) as exc:
        control_list_publish(actor=org.cqo)
    assert "§7.2.1.2" in str(exc.value)


def test_an_older_version_stays_as_published(org: Org) -> None:
    first = S.published_list(org)
    risk = first.rows[0]
    from cqo.safety.models_registers import Risk

    risk_update(actor=org.cqo, risk=Risk.objects.get(pk=risk["risk_id"]), likelihood=5)
    control_list_publish(actor=org.cqo)
    first.refresh_from_db()
    assert first.rows[0]["likelihood"] == 4
    assert ControlList.objects.get(version=2).rows[0]["likelihood"] == 5


def test_an_inspector_may_not_publish_the_list(org: Org) -> None:
    S.risk(org)
    with pytest.raises(PermissionDenied):
        control_list_publish(actor=org.inspector)


def test_a_residual_risk_above_the_inherent_risk_is_refused(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        S.risk(org, likelihood=2, severity=2, residual_likelihood=3, residual_severity=3)
    assert "residual_likelihood" in exc.value.message_dict


def test_a_rating_off_the_matrix_is_refused(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        S.risk(org, likelihood=6)
    assert "likelihood" in exc.value.message_dict


def test_the_matrix_is_five_by_five_by_default_and_levels_by_score(org: Org) -> None:
    matrix = matrix_current()
    assert len(matrix.likelihood) == 5 and len(matrix.severity) == 5
    assert matrix.level_of(1, 1)["code"] == "low"
    assert matrix.level_of(5, 5)["code"] == "extreme"


def test_the_matrix_may_not_shrink_below_the_ratings_in_use(org: Org) -> None:
    S.risk(org)
    matrix = matrix_current()
    with pytest.raises(ValidationError) as exc:
        matrix_set(actor=org.cqo, likelihood=matrix.likelihood[:3], severity=matrix.severity,
                   levels=matrix.levels)  # fmt: skip
    assert "likelihood" in exc.value.message_dict


def test_a_four_by_four_matrix_with_three_levels_is_accepted(org: Org) -> None:
    matrix = matrix_current()
    levels = [
        {"code": "g", "label": "绿", "colour": "#00ff00", "min": 1},
        {"code": "y", "label": "黄", "colour": "#ffff00", "min": 4},
        {"code": "r", "label": "红", "colour": "#FF0000", "min": 9},
    ]
    matrix_set(actor=org.cqo, likelihood=matrix.likelihood[:4], severity=matrix.severity[:4],
               levels=levels)  # fmt: skip
    matrix = matrix_current()
    assert len(matrix.likelihood) == 4
    assert matrix.level_of(3, 3)["code"] == "r"
    assert AuditEvent.objects.filter(action="safety.matrix.set").count() == 1


def test_a_bad_colour_is_refused(org: Org) -> None:
    matrix = matrix_current()
    bad = [{"code": "g", "label": "绿", "colour": "green", "min": 1}]
    with pytest.raises(ValidationError) as exc:
        matrix_set(actor=org.cqo, likelihood=matrix.likelihood, severity=matrix.severity,
                   levels=bad)  # fmt: skip
    assert "levels" in exc.value.message_dict


def test_a_new_version_of_a_source_opens_an_impact_review(org: Org) -> None:
    requirement = S.requirement(org)
    review = source_version_new(actor=org.cqo, source=requirement.source, version="2024")
    assert review.version_from == "2008" and review.version_to == "2024"
    assert review.owner == org.engineer and review.is_open
    assert review.due_on == today() + datetime.timedelta(days=30)
    requirement.source.refresh_from_db()
    assert requirement.source.version == "2024"
    with pytest.raises(ValidationError):
        source_version_new(actor=org.cqo, source=requirement.source, version="2024")
    closed = review_close(actor=org.engineer, review=review, outcome="no_impact",
                          outcome_text="条款未变")  # fmt: skip
    assert not closed.is_open
    with pytest.raises(ValidationError):
        review_close(actor=org.engineer, review=closed, outcome="no_impact", outcome_text="x")
    assert ImpactReview.objects.count() == 1


def test_an_inspector_may_not_close_someone_elses_review(org: Org) -> None:
    src = S.source(org)
    review = source_version_new(actor=org.cqo, source=src, version="2024")
    with pytest.raises(PermissionDenied):
        review_close(actor=org.inspector, review=review, outcome="no_impact", outcome_text="x")


def test_a_voided_risk_leaves_the_next_list(org: Org) -> None:
    first = S.published_list(org)
    S.risk(org)
    from cqo.safety.models_registers import Risk

    risk_void(actor=org.cqo, risk=Risk.objects.get(code="R-001"), reason="工艺取消")
    second = control_list_publish(actor=org.cqo)
    assert [r["risk_code"] for r in second.rows] == ["R-002"]
    assert [r["risk_code"] for r in first.rows] == ["R-001"]


def test_the_holder_acknowledges_and_a_changed_text_needs_a_new_acknowledgement(
    org: Org,
) -> None:
    post = S.key_post(org, holder=org.head)
    post_acknowledge(actor=org.head, post=post)
    with pytest.raises(ValidationError):
        post_acknowledge(actor=org.head, post=post)
    post.responsibilities = "新的职责"
    post.save()
    post_acknowledge(actor=org.head, post=post)
    assert PostAcknowledgement.objects.filter(post=post).count() == 2
    assert AuditEvent.objects.filter(action="safety.post.acknowledge").count() == 2


def test_someone_not_holding_the_post_may_not_acknowledge_it(org: Org) -> None:
    post = S.key_post(org, holder=org.head)
    with pytest.raises(PermissionDenied):
        post_acknowledge(actor=org.inspector, post=post)
