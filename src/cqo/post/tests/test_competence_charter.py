from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cqo.audit.models import AuditEvent
from cqo.audit.services import signatures_for, verify_chain
from cqo.charter import selectors as csel
from cqo.charter import services as CS
from cqo.charter.models import Charter, CharterStatus
from cqo.organisation import roles as R
from cqo.post import selectors as sel
from cqo.post import services as S
from cqo.post.models import AssessmentStatus, CompetenceArea
from cqo.post.tasks import competence_remind
from cqo.testing.factories import member

pytestmark = pytest.mark.django_db
D = datetime.timedelta
ALL = dict.fromkeys(CompetenceArea.values, 4)


@pytest.fixture
def appointed(principal, candidate, password, today):
    return S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )


def test_each_side_scores_its_own_column_and_the_principal_completes(
    appointed, principal, candidate, today
):
    a = S.assessment_create(actor=principal, person=candidate, assessed_on=today)
    S.assessment_score(actor=candidate.user, assessment=a, scores=ALL)
    with pytest.raises(ValidationError) as exc:
        S.assessment_complete(actor=principal, assessment=a)
    assert "scores" in exc.value.message_dict
    S.assessment_score(actor=principal, assessment=a, scores={**ALL, "a5": 2})
    rows = {s.area: (s.self_score, s.principal_score) for s in a.scores.all()}
    assert rows["a5"] == (4, 2) and len(rows) == 8
    with pytest.raises(PermissionDenied):
        S.assessment_complete(actor=candidate.user, assessment=a)
    done = S.assessment_complete(actor=principal, assessment=a)
    assert done.status == AssessmentStatus.COMPLETED
    assert AuditEvent.objects.filter(
        action="post.competence.complete", clause="§5.2, §5.3"
    ).exists()


@pytest.mark.parametrize("bad", [0, 6, "3.5", "x", True])
def test_scores_outside_1_to_5_are_refused(appointed, principal, candidate, today, bad):
    a = S.assessment_create(actor=principal, person=candidate, assessed_on=today)
    with pytest.raises(ValidationError) as exc:
        S.assessment_score(actor=principal, assessment=a, scores={"k1": bad, "k2": 3})
    assert "k1" in exc.value.message_dict
    assert not a.scores.filter(principal_score__isnull=False).exists()


def test_a_third_person_cannot_score(appointed, principal, candidate, root, today):
    a = S.assessment_create(actor=principal, person=candidate, assessed_on=today)
    auditor = member(R.AUDITOR, unit=root, username="aud")
    with pytest.raises(PermissionDenied):
        S.assessment_score(actor=auditor, assessment=a, scores={"k1": 3})


def test_competence_due_asks_for_the_yearly_assessment(appointed, principal, candidate, today):
    kinds = {i.kind for i in sel.competence_due()}
    assert "assessment" in kinds
    a = S.assessment_create(actor=principal, person=candidate, assessed_on=today - D(400))
    S.assessment_score(actor=candidate.user, assessment=a, scores=ALL)
    S.assessment_score(actor=principal, assessment=a, scores=ALL)
    S.assessment_action_add(actor=candidate.user, assessment=a, action="培训", due_on=today - D(1))
    S.assessment_complete(actor=principal, assessment=a)
    due = sel.competence_due()
    assert any(i.kind == "assessment" and i.overdue for i in due)
    assert any(i.kind == "action" and i.overdue for i in due)
    b = S.assessment_create(actor=principal, person=candidate, assessed_on=today)
    S.assessment_score(actor=candidate.user, assessment=b, scores=ALL)
    S.assessment_score(actor=principal, assessment=b, scores=ALL)
    S.assessment_complete(actor=principal, assessment=b)
    assert "assessment" not in {i.kind for i in sel.competence_due()}


def test_the_dashboards_section_5_list_is_remembered_until_a_record_it_reads_changes(
    appointed, principal, candidate, today, django_assert_num_queries
):
    first = sel.competence_due_remembered()
    assert "assessment" in {i.kind for i in first}
    # Asked again: only the appointment in force is read, not the eight tables of the §5 check.
    with django_assert_num_queries(1):
        assert sel.competence_due_remembered() == first
    a = S.assessment_create(actor=principal, person=candidate, assessed_on=today)
    assert "assessment_open" in {i.kind for i in sel.competence_due_remembered()}
    S.assessment_score(actor=candidate.user, assessment=a, scores=ALL)
    S.assessment_score(actor=principal, assessment=a, scores=ALL)
    S.assessment_complete(actor=principal, assessment=a)
    assert sel.competence_due_remembered() == sel.competence_due()
    assert "assessment" not in {i.kind for i in sel.competence_due_remembered()}


def test_the_yearly_reminder_finds_an_old_assessment_and_does_not_repeat_daily(
    appointed, principal, candidate, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = competence_remind(on=today)
    assert first["due"] and first["notified"] >= 1
    with django_capture_on_commit_callbacks(execute=True):
        again = competence_remind(on=today + D(1))
    assert again["due"] and again["notified"] == 0
    a = S.assessment_create(actor=principal, person=candidate, assessed_on=today)
    S.assessment_score(actor=candidate.user, assessment=a, scores=ALL)
    S.assessment_score(actor=principal, assessment=a, scores=ALL)
    S.assessment_complete(actor=principal, assessment=a)
    assert competence_remind(on=today + D(30))["due"] is False
    assert competence_remind(on=today + D(400))["due"] is True
    assert len(mail.outbox) >= 0  # e-mail goes through the notification service when it exists


def test_a_charter_needs_a_cqo_in_office(principal):
    with pytest.raises(ValidationError):
        CS.charter_generate(actor=principal)
    assert not Charter.objects.exists()


def test_charter_versions_approval_publication_and_out_of_date(
    appointed, principal, candidate, second, password, today
):
    v1 = CS.charter_generate(actor=candidate.user)
    assert v1.version == 1 and v1.status == CharterStatus.DRAFT
    codes = [a["code"] for a in v1.content["authorities"]]
    assert codes == list("abcdefghi")
    veto = v1.content["authorities"][-1]
    assert veto["delegable"] is False and v1.content["veto_delegable"] is False
    assert v1.content["appointment"]["number"] == appointed.number
    assert {d["clause"] for d in v1.content["duties"]} >= {"§7.1.1", "§7.2.1.4", "§7.2.4.2"}
    assert v1.content["title"]["zh-hans"] and v1.content["title"]["en"]
    # Regenerating a draft rebuilds it in place.
    again = CS.charter_generate(actor=principal, veto_delegable=True)
    assert again.pk == v1.pk and again.content["veto_delegable"] is True
    with pytest.raises(PermissionDenied):
        CS.charter_approve(actor=candidate.user, charter=again, password=password)
    with pytest.raises(ValidationError):
        CS.charter_publish(actor=principal, charter=again)
    approved = CS.charter_approve(actor=principal, charter=again, password=password)
    assert approved.status == CharterStatus.APPROVED
    assert signatures_for(approved).get().clause == "§4.2"
    published = CS.charter_publish(actor=principal, charter=approved)
    assert csel.charter_published() == published and csel.charter_veto_delegable() is True
    assert not published.is_outdated
    # A change to the post marks it out of date.
    new = S.appointment_handover(
        actor=principal,
        appointment=appointed,
        person=second,
        effective_from=today + D(3),
        password=password,
    )
    published.refresh_from_db()
    assert published.is_outdated and new.number in published.outdated_reason
    # A delegation (the authorities app) marks it too, with its reason.
    CS.charter_mark_outdated(reason="授权 D-1 已撤销")
    published.refresh_from_db()
    assert "授权 D-1 已撤销" in published.outdated_reason
    v2 = CS.charter_generate(actor=principal)
    assert v2.version == 2
    CS.charter_approve(actor=principal, charter=v2, password=password)
    CS.charter_publish(actor=principal, charter=v2)
    published.refresh_from_db()
    assert published.status == CharterStatus.SUPERSEDED
    assert csel.charter_published().version == 2 and csel.charter_veto_delegable() is False
    assert verify_chain() is None


def test_marking_out_of_date_without_a_published_charter_does_nothing(db):
    before = AuditEvent.objects.count()
    CS.charter_mark_outdated(reason="nothing published")
    assert AuditEvent.objects.count() == before
    with pytest.raises(ValidationError):
        CS.charter_mark_outdated(reason=" ")


def test_a_tampered_charter_cannot_be_approved(appointed, principal, password):
    v1 = CS.charter_generate(actor=principal)
    Charter.objects.filter(pk=v1.pk).update(content={**v1.content, "veto_delegable": True})
    v1.refresh_from_db()
    with pytest.raises(ValidationError):
        CS.charter_approve(actor=principal, charter=v1, password=password)
