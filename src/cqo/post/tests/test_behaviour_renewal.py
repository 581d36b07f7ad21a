"""A renewal continues the post (issue 7 §3.12): signing a later term neither logs the end of the
current one nor puts today's charter out of date; the charter goes out of date when the new term
is the one in force and its content differs."""

from __future__ import annotations

import datetime

import pytest

from cqo.audit.models import AuditEvent
from cqo.charter import services as CS
from cqo.charter.models import Charter
from cqo.charter.tasks import charter_expiry_check
from cqo.post import services as S

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def _publish(principal, password):
    charter = CS.charter_generate(actor=principal)
    charter = CS.charter_approve(actor=principal, charter=charter, password=password)
    return CS.charter_publish(actor=principal, charter=charter)


@pytest.fixture
def first(principal, candidate, password, today):
    return S.appointment_create(
        actor=principal,
        person=candidate,
        effective_from=today,
        effective_to=today + D(30),
        password=password,
    )


def test_signing_a_renewal_for_a_later_term_logs_a_continuation_not_an_end(
    first, principal, password, today
):
    renewal = S.appointment_renew(actor=principal, appointment=first, effective_to=today + D(400))
    S.appointment_sign(actor=principal, appointment=renewal, password=password)
    actions = list(
        AuditEvent.objects.filter(object_id=str(first.pk), object_type="post.appointment")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert "post.appointment.end" not in actions
    assert actions[-1] == "post.appointment.continue"


def test_signing_a_renewal_for_a_later_term_leaves_todays_charter_current(
    first, principal, password, today
):
    published = _publish(principal, password)
    renewal = S.appointment_renew(actor=principal, appointment=first, effective_to=today + D(400))
    S.appointment_sign(actor=principal, appointment=renewal, password=password)
    published.refresh_from_db()
    assert not published.is_outdated, published.outdated_reason
    # The day the new term is the one in force, the charter no longer lists it.
    charter_expiry_check(on=today + D(31))
    assert Charter.objects.get(pk=published.pk).is_outdated


def test_a_handover_still_ends_the_old_term(first, principal, second, password, today):
    S.appointment_handover(
        actor=principal, appointment=first, person=second, effective_from=today + D(5),
        password=password,
    )  # fmt: skip
    assert AuditEvent.objects.filter(
        action="post.appointment.end", object_id=str(first.pk)
    ).exists()
