"""One audited change: lock, snapshot before, change, save, snapshot after and the audit event, in
one transaction; a refusal inside the block leaves nothing behind."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cqo.audit.models import AuditEvent
from cqo.audit.services import audited_change, verify_chain

pytestmark = pytest.mark.django_db


def _user(name: str = "张三"):
    return get_user_model().objects.create(username="u1", display_name=name)


def test_it_saves_the_change_and_records_before_and_after() -> None:
    user = _user()
    with audited_change(
        actor=None, obj=user, action="accounts.user.rename", clause="§4.2", reason="改名",
        fields=["display_name"],
    ) as locked:  # fmt: skip
        assert locked is not user  # the row as locked, not the caller's copy
        locked.display_name = "张三丰"
    user.refresh_from_db()
    assert user.display_name == "张三丰"
    event = AuditEvent.objects.get(action="accounts.user.rename")
    assert event.before == {"display_name": "张三"}
    assert event.after == {"display_name": "张三丰"}
    assert (event.reason, event.clause) == ("改名", "§4.2")
    assert verify_chain() is None


def test_a_refusal_inside_the_block_changes_nothing_and_records_nothing() -> None:
    user = _user()
    with pytest.raises(ValidationError):
        with audited_change(actor=None, obj=user, action="accounts.user.rename") as locked:
            locked.display_name = "改过的"
            locked.save()
            raise ValidationError("no")
    user.refresh_from_db()
    assert user.display_name == "张三"
    assert not AuditEvent.objects.filter(action="accounts.user.rename").exists()


def test_update_fields_limit_what_is_saved() -> None:
    user = _user()
    with audited_change(
        actor=None, obj=user, action="accounts.user.rename", update_fields=["display_name"]
    ) as locked:
        locked.display_name = "李四"
        locked.email = "not-saved@example.com"
    user.refresh_from_db()
    assert (user.display_name, user.email) == ("李四", "")
