"""The charter never goes out stale (§4.2), and the organisation's posts follow the appointment
(§3.1): the CQO post and the quality-safety-director post, held by one person at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cqo.audit.models import AuditEvent
from cqo.audit.services import verify_chain
from cqo.authorities import services as AS
from cqo.charter import selectors as csel
from cqo.charter import services as CS
from cqo.charter.content import charter_hash
from cqo.charter.models import Charter, CharterStatus
from cqo.charter.tasks import charter_expiry_check
from cqo.organisation.models import PostAssignment, PostKind
from cqo.post import services as S
from cqo.post.tasks import posts_expiry
from cqo.testing.factories import PostFactory

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def appointed(principal, candidate, password, today):
    return S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )


def _delegate(cqo_user, delegate, unit, today, days=30):
    return AS.delegation_create(
        actor=cqo_user,
        authority="c",
        delegate=delegate,
        units=[unit],
        start_date=today,
        end_date=today + D(days),
    )


def _publish(principal, password):
    charter = CS.charter_generate(actor=principal)
    charter = CS.charter_approve(actor=principal, charter=charter, password=password)
    return CS.charter_publish(actor=principal, charter=charter)


def _cqo_posts(root):
    cqo = PostFactory(
        unit=root, code="CQO", name="首席质量官", kind=PostKind.CQO, single_holder=True
    )
    qsd = PostFactory(
        unit=root,
        code="QSD",
        name="质量安全总监",
        kind=PostKind.QUALITY_SAFETY_DIRECTOR,
        single_holder=True,
    )
    return cqo, qsd


# --- §4.2: staleness -------------------------------------------------------------------------


def test_an_approved_charter_is_not_published_after_a_delegation_changed_the_data(
    appointed, principal, candidate, second, root, password, today
):
    v1 = CS.charter_generate(actor=principal)
    v1 = CS.charter_approve(actor=principal, charter=v1, password=password)
    _delegate(candidate.user, second, root, today)
    with pytest.raises(ValidationError) as exc:
        CS.charter_publish(actor=principal, charter=v1)
    assert "§4.2" in str(exc.value)
    v1.refresh_from_db()
    assert v1.status == CharterStatus.APPROVED and csel.charter_published() is None
    # A fresh version lists the delegation and goes out.
    v2 = _publish(principal, password)
    assert v2.version == 2 and not v2.is_outdated
    assert [d["delegate"] for d in v2.content["delegations"]] == [str(second)]


def test_a_draft_charter_is_not_approved_after_a_delegation_changed_the_data(
    appointed, principal, candidate, second, root, password, today
):
    v1 = CS.charter_generate(actor=principal)
    _delegate(candidate.user, second, root, today)
    signatures = AuditEvent.objects.filter(action="post.charter.approve").count()
    with pytest.raises(ValidationError) as exc:
        CS.charter_approve(actor=principal, charter=v1, password=password)
    assert "§4.2" in str(exc.value)
    v1.refresh_from_db()
    assert v1.status == CharterStatus.DRAFT
    assert AuditEvent.objects.filter(action="post.charter.approve").count() == signatures


def test_a_charter_generated_yesterday_with_unchanged_data_still_publishes(
    appointed, principal, password, today
):
    v1 = CS.charter_generate(actor=principal)
    Charter.objects.filter(pk=v1.pk).update(
        content={**v1.content, "as_of": (today - D(1)).isoformat()}
    )
    v1.refresh_from_db()
    Charter.objects.filter(pk=v1.pk).update(content_hash=charter_hash(v1.content))
    v1.refresh_from_db()
    approved = CS.charter_approve(actor=principal, charter=v1, password=password)
    assert CS.charter_publish(actor=principal, charter=approved).status == CharterStatus.PUBLISHED


def test_the_daily_job_marks_the_charter_out_of_date_when_a_listed_delegation_has_expired(
    appointed, principal, candidate, second, root, password, today
):
    _delegate(candidate.user, second, root, today, days=5)
    published = _publish(principal, password)
    assert charter_expiry_check(on=today)["outdated"] is False
    result = charter_expiry_check(on=today + D(6))
    assert result["outdated"] is True
    published.refresh_from_db()
    assert published.is_outdated and str(second) in published.outdated_reason
    # The same finding is not recorded again the next morning.
    events = AuditEvent.objects.filter(action="post.charter.outdated").count()
    assert charter_expiry_check(on=today + D(7))["outdated"] is False
    assert AuditEvent.objects.filter(action="post.charter.outdated").count() == events
    assert verify_chain() is None


def test_the_daily_job_marks_the_charter_out_of_date_when_the_listed_appointment_has_ended(
    principal, candidate, password, today
):
    appointment = S.appointment_create(
        actor=principal,
        person=candidate,
        effective_from=today,
        effective_to=today + D(10),
        password=password,
    )
    published = _publish(principal, password)
    assert charter_expiry_check(on=today + D(10))["outdated"] is False
    assert charter_expiry_check(on=today + D(11))["outdated"] is True
    published.refresh_from_db()
    assert appointment.number in published.outdated_reason


# --- §3.1: the CQO and quality-safety-director posts ------------------------------------------


def test_signing_puts_the_cqo_in_both_the_cqo_and_the_quality_safety_director_posts(
    principal, candidate, root, password, today
):
    cqo_post, qsd_post = _cqo_posts(root)
    appointment = S.appointment_create(
        actor=principal,
        person=candidate,
        effective_from=today,
        also_quality_safety_director=True,
        password=password,
    )
    held = PostAssignment.objects.current(today).filter(person=candidate)
    assert {a.post for a in held} == {cqo_post, qsd_post}
    assert all(appointment.number in a.note for a in held)
    assert AuditEvent.objects.filter(action="organisation.postassignment.create").count() == 2


def test_a_handover_passes_both_posts_to_the_successor_and_ends_the_predecessors(
    principal, candidate, second, root, password, today
):
    cqo_post, qsd_post = _cqo_posts(root)
    first = S.appointment_create(
        actor=principal,
        person=candidate,
        effective_from=today,
        also_quality_safety_director=True,
        password=password,
    )
    start = today + D(3)
    S.appointment_handover(
        actor=principal,
        appointment=first,
        person=second,
        effective_from=start,
        also_quality_safety_director=True,
        password=password,
    )
    old = PostAssignment.objects.filter(person=candidate)
    assert {(a.post, a.end_date) for a in old} == {
        (cqo_post, start - D(1)),
        (qsd_post, start - D(1)),
    }
    new = PostAssignment.objects.current(start).filter(person=second)
    assert {a.post for a in new} == {cqo_post, qsd_post}
    assert not PostAssignment.objects.current(start).filter(person=candidate).exists()
    assert verify_chain() is None


def test_a_removal_ends_the_cqos_post_assignments(principal, candidate, root, password, today):
    cqo_post, _qsd_post = _cqo_posts(root)
    appointment = S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )
    assert [a.post for a in PostAssignment.objects.filter(person=candidate)] == [cqo_post]
    S.appointment_remove(
        actor=principal,
        appointment=appointment,
        reason="调任",
        password=password,
        last_day=today + D(2),
    )
    assignment = PostAssignment.objects.get(person=candidate)
    assert assignment.end_date == today + D(2) and assignment.end_reason == "调任"


def test_a_term_that_ran_out_ends_the_post_assignments_in_the_daily_job(
    principal, candidate, root, password, today
):
    _cqo_posts(root)
    appointment = S.appointment_create(
        actor=principal,
        person=candidate,
        effective_from=today,
        effective_to=today + D(10),
        also_quality_safety_director=True,
        password=password,
    )
    assert posts_expiry(on=today + D(10)) == []
    assert posts_expiry(on=today + D(11)) == [appointment.number]
    ends = {a.end_date for a in PostAssignment.objects.filter(person=candidate)}
    assert ends == {today + D(10)}


def test_an_enterprise_without_cqo_posts_gets_none_created(principal, candidate, password, today):
    S.appointment_create(
        actor=principal,
        person=candidate,
        effective_from=today,
        also_quality_safety_director=True,
        password=password,
    )
    assert not PostAssignment.objects.exists()


def test_the_publish_page_refuses_a_stale_charter_in_chinese_citing_the_clause(
    appointed, principal, candidate, second, root, password, today, client
):
    v1 = CS.charter_generate(actor=principal)
    v1 = CS.charter_approve(actor=principal, charter=v1, password=password)
    _delegate(candidate.user, second, root, today)
    client.force_login(principal)
    page = client.post(reverse("charter:charter_publish", args=[v1.pk]), follow=True)
    text = page.content.decode()
    assert "已与当前数据不符" in text and "§4.2" in text
    v1.refresh_from_db()
    assert v1.status == CharterStatus.APPROVED
