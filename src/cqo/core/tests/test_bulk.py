"""``cqo.core.bulk`` and ``audited_bulk_create``: many child rows, one audit event whose digest
the stored rows must still match."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from cqo.audit.models import AuditEvent
from cqo.audit.records import record_problems
from cqo.audit.services import audited_bulk_create, verify_chain
from cqo.core import data_version
from cqo.core.bulk import bulk_rows_create, rows_digest
from cqo.notifications.models import Notification
from cqo.organisation.models import Unit
from cqo.testing.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rows(user: Any, n: int) -> list[Notification]:
    return [Notification(recipient=user, message=f"result {i}", clause="§6 e)") for i in range(n)]


def test_the_digest_of_the_stored_rows_is_the_one_returned_at_creation() -> None:
    user = UserFactory()
    batch = bulk_rows_create(Notification, _rows(user, 300), batch_size=64)
    assert (batch.model, batch.count) == ("notifications.notification", 300)
    assert rows_digest(Notification.objects.filter(recipient=user)) == batch.sha256


def test_a_row_changed_after_the_batch_no_longer_matches_its_digest() -> None:
    user = UserFactory()
    batch = bulk_rows_create(Notification, _rows(user, 10))
    Notification.objects.filter(pk=batch.rows[3].pk).update(message="result 3 edited")
    assert rows_digest(Notification.objects.filter(recipient=user)) != batch.sha256


def test_a_removed_row_no_longer_matches_its_digest() -> None:
    user = UserFactory()
    batch = bulk_rows_create(Notification, _rows(user, 10))
    Notification.objects.filter(pk=batch.rows[-1].pk).delete()
    assert rows_digest(Notification.objects.filter(recipient=user)) != batch.sha256


def test_a_model_that_keeps_a_history_of_each_row_is_refused() -> None:
    with pytest.raises(TypeError, match="history"):
        bulk_rows_create(Unit, [Unit(name="x")])


def test_the_writer_sees_a_new_data_version_after_a_bulk_write() -> None:
    user = UserFactory()
    with transaction.atomic():
        before = data_version.current()
        bulk_rows_create(Notification, _rows(user, 5))
        assert data_version.current() != before


def test_many_rows_are_written_under_one_audit_event_that_names_their_digest() -> None:
    user, unit = UserFactory(), UnitFactory()
    events = AuditEvent.objects.count()
    batch = audited_bulk_create(
        actor=user,
        obj=unit,
        action="test.unit.results",
        model=Notification,
        rows=_rows(user, 1000),
        clause="§6 e)",
    )
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.after == {"bulk": batch.summary()}
    assert event.after["bulk"]["count"] == 1000
    assert event.after["bulk"]["sha256"] == rows_digest(Notification.objects.filter(recipient=user))
    assert verify_chain() is None
    assert record_problems() == []


def test_a_failing_batch_writes_neither_rows_nor_event() -> None:
    user, unit = UserFactory(), UnitFactory()
    events = AuditEvent.objects.count()
    rows = [*_rows(user, 3), Notification(recipient_id=None, message="no recipient")]
    with pytest.raises(IntegrityError), transaction.atomic():
        audited_bulk_create(
            actor=user, obj=unit, action="test.unit.results", model=Notification, rows=rows
        )
    assert AuditEvent.objects.count() == events
    assert not Notification.objects.filter(recipient=user).exists()
