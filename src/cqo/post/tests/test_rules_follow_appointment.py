"""The post's CQO-only rules follow the appointment in force, not the ``cqo`` group (§3.1, §5)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cqo.organisation import roles as R
from cqo.post.models import Appointment, AppointmentStatus
from cqo.testing.factories import member

pytestmark = pytest.mark.django_db

_numbers = iter(range(1, 1_000_000))


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _appoint(enterprise: Any, principal: Any, user: Any, **fields: Any) -> Appointment:
    from cqo.authorities import engine

    values: dict[str, Any] = {
        "effective_from": timezone.localdate(),
        "status": AppointmentStatus.SIGNED,
        "signed_at": timezone.now(),
    }
    values.update(fields)
    appointment = Appointment.objects.create(
        enterprise=enterprise,
        number=f"R-{next(_numbers):05d}",
        person=user.person,
        principal=principal.person,
        **values,
    )
    engine.forget()
    return appointment


def _open_own(user: Any, today: datetime.date) -> int:
    body = {"person": user.person.pk, "assessed_on": today.isoformat()}
    return (
        _client(user)
        .post("/api/v1/post/assessments/", body, content_type="application/json")
        .status_code
    )


def test_a_newly_appointed_cqo_without_the_cqo_role_opens_their_own_assessment(
    enterprise, root, principal, today
) -> None:
    engineer = member(R.QUALITY_ENGINEER, unit=root, username="new_cqo")
    _appoint(enterprise, principal, engineer)
    assert _client(engineer).get(reverse("post:competence_list")).status_code == 200
    assert _client(engineer).get(reverse("post:appointment_list")).status_code == 200
    assert _open_own(engineer, today) == 201


def test_a_removed_cqo_keeps_the_cqo_role_but_loses_the_cqo_only_pages_and_assessment(
    enterprise, root, principal, today
) -> None:
    former = member(R.CQO, unit=root, username="former_cqo")
    _appoint(
        enterprise, principal, former,
        effective_from=today - datetime.timedelta(days=400),
        effective_to=today - datetime.timedelta(days=1),
    )  # fmt: skip
    assert not former.has_perm("post.view_competenceassessment")
    assert not former.has_perm("post.view_appointment")
    assert _client(former).get(reverse("post:competence_list")).status_code == 403
    assert _client(former).get(reverse("post:appointment_list")).status_code == 403
    assert _open_own(former, today) == 403


def test_a_candidate_the_principal_is_appointing_opens_their_own_assessment(
    enterprise, root, principal, today
) -> None:
    engineer = member(R.QUALITY_ENGINEER, unit=root, username="candidate_qe")
    assert _open_own(engineer, today) == 403
    _appoint(enterprise, principal, engineer, status=AppointmentStatus.DRAFT, signed_at=None)
    assert _client(engineer).get(reverse("post:competence_list")).status_code == 200
    assert _open_own(engineer, today) == 201
    # Still not someone else's assessment.
    other = member(R.INSPECTOR, unit=root, username="someone")
    body = {"person": other.person.pk, "assessed_on": today.isoformat()}
    r = _client(engineer).post("/api/v1/post/assessments/", body, content_type="application/json")
    assert r.status_code == 403
