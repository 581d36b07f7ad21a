from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cqo.audit.models import AuditEvent
from cqo.audit.services import signatures_for, verify_chain
from cqo.organisation import roles as R
from cqo.post import selectors as sel
from cqo.post import services as S
from cqo.post.models import Appointment, AppointmentStatus, EndKind, PostForm
from cqo.testing.factories import member

pytestmark = pytest.mark.django_db

D = datetime.timedelta


def appoint(
    principal: Any, person: Any, password: str, start: datetime.date, **kw: Any
) -> Appointment:
    return S.appointment_create(
        actor=principal, person=person, effective_from=start, password=password, **kw
    )


def test_a_signed_appointment_is_the_current_cqo(principal, candidate, password, today):
    appt = appoint(principal, candidate, password, today)
    assert appt.status == AppointmentStatus.SIGNED
    assert sel.cqo_current() == appt
    assert sel.user_is_current_cqo(candidate.user)
    assert not sel.user_is_current_cqo(principal)
    sigs = list(signatures_for(appt))
    assert len(sigs) == 1 and sigs[0].signer == principal and "§3.1" in sigs[0].clause
    assert appt.history.count() >= 2
    assert AuditEvent.objects.filter(action="post.appointment.sign", clause="§3.1, §4.1").exists()
    assert verify_chain() is None


def test_an_unsigned_appointment_is_not_in_force(principal, candidate, today):
    appt = S.appointment_create(actor=principal, person=candidate, effective_from=today)
    assert appt.status == AppointmentStatus.DRAFT
    assert sel.cqo_current() is None
    assert not sel.user_is_current_cqo(candidate.user)


def test_a_backdated_appointment_takes_effect_only_on_the_signing_day(
    principal, candidate, password, today
):
    appt = S.appointment_create(actor=principal, person=candidate, effective_from=today - D(30))
    assert sel.cqo_current(on=today - D(10)) is None
    signed = S.appointment_sign(actor=principal, appointment=appt, password=password)
    assert signed.effective_from == today
    assert sel.cqo_current(on=today - D(10)) is None
    assert sel.cqo_current(on=today) == signed


def test_it_refuses_overlapping_appointments_citing_the_clause(
    principal, candidate, second, password, today
):
    appoint(principal, candidate, password, today)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        S.appointment_create(actor=principal, person=second, effective_from=today + D(10))
    message = " ".join(exc.value.message_dict["effective_from"])
    assert "§3.1, §4.1" in message and "同一时间只能由一人担任" in message
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            S.appointment_create(actor=principal, person=second, effective_from=today + D(10))
        assert "one holder at a time" in " ".join(exc.value.message_dict["effective_from"])
    assert Appointment.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_draft_also_holds_the_calendar_until_withdrawn(principal, candidate, second, today):
    draft = S.appointment_create(
        actor=principal, person=candidate, effective_from=today, effective_to=today + D(100)
    )
    with pytest.raises(ValidationError):
        S.appointment_create(actor=principal, person=second, effective_from=today + D(50))
    S.appointment_withdraw(actor=principal, appointment=draft, reason="换人")
    later = S.appointment_create(actor=principal, person=second, effective_from=today + D(50))
    assert later.status == AppointmentStatus.DRAFT


def test_only_the_principal_can_sign(principal, candidate, root, password, today):
    appt = S.appointment_create(actor=principal, person=candidate, effective_from=today)
    other = member(R.CQO, unit=root, username="someone")
    with pytest.raises(PermissionDenied):
        S.appointment_sign(actor=other, appointment=appt, password=password)
    superuser = member(R.ADMIN, unit=root, username="root", is_superuser=True)
    with pytest.raises(PermissionDenied):
        S.appointment_sign(actor=superuser, appointment=appt, password=password)
    second_principal = member(R.PRINCIPAL, unit=root, username="boss2")
    with pytest.raises((PermissionDenied, ValidationError)):
        S.appointment_sign(actor=second_principal, appointment=appt, password=password)
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.DRAFT
    assert not signatures_for(appt).exists()


def test_a_wrong_password_signs_nothing(principal, candidate, today):
    appt = S.appointment_create(actor=principal, person=candidate, effective_from=today)
    with pytest.raises(ValidationError) as exc:
        S.appointment_sign(actor=principal, appointment=appt, password="wrong")
    assert "password" in exc.value.message_dict
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.DRAFT
    assert sel.cqo_current() is None


def test_a_concurrent_post_needs_the_holders_position(principal, candidate, today):
    with pytest.raises(ValidationError) as exc:
        S.appointment_create(
            actor=principal, person=candidate, effective_from=today, post_form=PostForm.CONCURRENT
        )
    assert "holder_position" in exc.value.message_dict
    appt = S.appointment_create(
        actor=principal,
        person=candidate,
        effective_from=today,
        post_form=PostForm.CONCURRENT,
        holder_position="副总经理",
        also_quality_safety_director=True,
        functions=["inspection", "quality_safety"],
    )
    assert appt.functions == ["inspection", "quality_safety"]
    assert appt.also_quality_safety_director


def test_it_refuses_empty_or_unknown_functions(principal, candidate, today):
    for functions in ([], ["cooking"]):
        with pytest.raises(ValidationError) as exc:
            S.appointment_create(
                actor=principal, person=candidate, effective_from=today, functions=functions
            )
        assert "functions" in exc.value.message_dict
    assert not Appointment.objects.exists()


def test_only_the_principal_appoints(candidate, root, today):
    cqo = member(R.CQO, unit=root, username="notboss")
    with pytest.raises(PermissionDenied) as exc:
        S.appointment_create(actor=cqo, person=candidate, effective_from=today)
    assert "§3.1" in str(exc.value)


def test_renewal_follows_on_and_ends_the_old_term_when_signed(
    principal, candidate, password, today
):
    first = appoint(principal, candidate, password, today, effective_to=today + D(30))
    renewal = S.appointment_renew(actor=principal, appointment=first, effective_to=today + D(400))
    assert renewal.effective_from == today + D(31)
    first.refresh_from_db()
    assert first.status == AppointmentStatus.SIGNED
    S.appointment_sign(actor=principal, appointment=renewal, password=password)
    first.refresh_from_db()
    assert first.status == AppointmentStatus.ENDED and first.end_kind == EndKind.RENEWED
    assert sel.cqo_current(on=today + D(31)).pk == renewal.pk
    assert sel.cqo_current(on=today).pk == first.pk


def test_handover_ends_the_old_and_starts_the_new_in_one_step(
    principal, candidate, second, password, today
):
    first = appoint(principal, candidate, password, today)
    new = S.appointment_handover(
        actor=principal,
        appointment=first,
        person=second,
        effective_from=today + D(5),
        password=password,
    )
    first.refresh_from_db()
    assert first.ended_on == today + D(4) and first.end_kind == EndKind.HANDED_OVER
    assert sel.cqo_current(on=today + D(4)).pk == first.pk
    assert sel.cqo_current(on=today + D(5)).pk == new.pk
    assert sel.user_is_current_cqo(second.user, on=today + D(5))
    assert not sel.user_is_current_cqo(candidate.user, on=today + D(5))
    assert verify_chain() is None


def test_a_failed_handover_changes_nothing(principal, candidate, second, password, today):
    first = appoint(principal, candidate, password, today)
    with pytest.raises(ValidationError):
        S.appointment_handover(
            actor=principal,
            appointment=first,
            person=second,
            effective_from=today + D(5),
            password="bad",
        )
    first.refresh_from_db()
    assert first.ended_on is None and first.status == AppointmentStatus.SIGNED
    assert Appointment.objects.count() == 1


def test_handover_to_the_same_person_is_refused(principal, candidate, password, today):
    first = appoint(principal, candidate, password, today)
    with pytest.raises(ValidationError) as exc:
        S.appointment_handover(
            actor=principal, appointment=first, person=candidate, effective_from=today + D(1)
        )
    assert "person" in exc.value.message_dict


def test_removal_needs_a_reason_and_a_signature(principal, candidate, password, today):
    appt = appoint(principal, candidate, password, today)
    with pytest.raises(ValidationError) as exc:
        S.appointment_remove(actor=principal, appointment=appt, reason="  ", password=password)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.appointment_remove(actor=principal, appointment=appt, reason="考核不合格", password="bad")
    assert "password" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.appointment_remove(
            actor=principal,
            appointment=appt,
            reason="考核不合格",
            password=password,
            last_day=today - D(1),
        )
    assert "last_day" in exc.value.message_dict
    removed = S.appointment_remove(
        actor=principal, appointment=appt, reason="考核不合格", password=password
    )
    assert removed.end_kind == EndKind.REMOVED and removed.end_signature is not None
    assert sel.cqo_current(on=today + D(1)) is None
    assert AuditEvent.objects.filter(action="post.appointment.remove", reason="考核不合格").exists()


def test_the_principal_must_be_the_one_recorded_for_the_enterprise(
    enterprise, root, candidate, today
):
    other = member(R.PRINCIPAL, unit=root, username="vice")
    with pytest.raises(ValidationError) as exc:
        S.appointment_create(actor=other, person=candidate, effective_from=today)
    assert "principal" in exc.value.message_dict


def test_cqo_term_gives_the_dates(principal, candidate, password, today):
    appoint(principal, candidate, password, today, effective_to=today + D(10))
    assert sel.cqo_term(candidate.user) == (today, today + D(10))
    assert sel.cqo_term(principal) is None
    assert timezone.localdate() == today
