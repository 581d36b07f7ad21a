"""Every service checks permission first and, when it acts, writes an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from cqo.audit.models import AuditEvent
from cqo.audit.services import verify_chain
from cqo.organisation import roles as R
from cqo.organisation import services as S
from cqo.organisation.models import Enterprise, Person, Post, PostAssignment, PostKind, Unit
from cqo.testing.factories import (
    PASSWORD_OK,
    PersonFactory,
    PostAssignmentFactory,
    PostFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _world(root: Unit) -> dict[str, Any]:
    unit = UnitFactory(parent=root, code="W1")
    person = PersonFactory(unit=unit, with_account=True)
    bare = PersonFactory(unit=unit)
    post = PostFactory(unit=unit, kind=PostKind.KEY_POST)
    cqo_post = PostFactory(unit=unit, kind=PostKind.CQO, single_holder=True, code="CQO")
    assignment = PostAssignmentFactory(post=post, person=person, start_date=D(2025, 1, 1))
    empty = UnitFactory(parent=root, code="EMPTY")
    return {
        "enterprise": root.enterprise, "root": root, "unit": unit, "person": person, "bare": bare,
        "post": post, "cqo_post": cqo_post, "assignment": assignment, "empty": empty,
    }  # fmt: skip


# (service, allowed role, expected audit action, call)
CASES: list[tuple[str, str, str, Callable[[Any, dict[str, Any]], Any]]] = [
    ("enterprise_create", R.ADMIN, "organisation.enterprise.create",
     lambda a, w: S.enterprise_create(actor=a, name="新企业", credit_code="91440300708461136T", size_class="small")),
    ("enterprise_update", R.ADMIN, "organisation.enterprise.update",
     lambda a, w: S.enterprise_update(actor=a, enterprise=w["enterprise"], address="重庆市璧山区")),
    ("unit_create", R.ADMIN, "organisation.unit.create",
     lambda a, w: S.unit_create(actor=a, enterprise=w["enterprise"], parent=w["root"], kind="team", code="N1", name="新班组")),
    ("unit_update", R.ADMIN, "organisation.unit.update",
     lambda a, w: S.unit_update(actor=a, unit=w["unit"], name="改名")),
    ("unit_move", R.ADMIN, "organisation.unit.move",
     lambda a, w: S.unit_move(actor=a, unit=w["unit"], new_parent=w["empty"])),
    ("unit_void", R.ADMIN, "organisation.unit.void",
     lambda a, w: S.unit_void(actor=a, unit=w["empty"], reason="merged")),
    ("person_create", R.ADMIN, "organisation.person.create",
     lambda a, w: S.person_create(actor=a, unit=w["unit"], employee_no="N-1", name="新人")),
    ("person_account_create", R.ADMIN, "accounts.user.create",
     lambda a, w: S.person_account_create(actor=a, person=w["bare"], username="newacct", password=PASSWORD_OK)),
    ("person_update", R.ADMIN, "organisation.person.update",
     lambda a, w: S.person_update(actor=a, person=w["person"], phone="023-1234")),
    ("person_leave", R.ADMIN, "organisation.person.leave",
     lambda a, w: S.person_leave(actor=a, person=w["person"], left_on=D(2026, 1, 31))),
    ("person_roles_set", R.ADMIN, "accounts.user.roles",
     lambda a, w: S.person_roles_set(actor=a, person=w["person"], roles=[R.INSPECTOR])),
    ("post_create", R.CQO, "organisation.post.create",
     lambda a, w: S.post_create(actor=a, unit=w["unit"], code="K9", name="关键岗位", kind=PostKind.KEY_POST)),
    ("post_update", R.CQO, "organisation.post.update",
     lambda a, w: S.post_update(actor=a, post=w["post"], responsibilities="首件确认")),
    ("post_void", R.ADMIN, "organisation.post.void",
     lambda a, w: S.post_void(actor=a, post=w["cqo_post"], reason="not used")),
    ("post_assign", R.PRINCIPAL, "organisation.postassignment.create",
     lambda a, w: S.post_assign(actor=a, post=w["cqo_post"], person=w["bare"], start_date=D(2025, 1, 1))),
    ("post_assignment_end", R.CQO, "organisation.postassignment.end",
     lambda a, w: S.post_assignment_end(actor=a, assignment=w["assignment"], end_date=D(2025, 12, 31))),
]  # fmt: skip


def _state() -> tuple[Any, ...]:
    return (
        list(Enterprise.objects.order_by("pk").values()),
        list(Unit.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Post.objects.order_by("pk").values()),
        list(PostAssignment.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("name", "role", "action", "call"), CASES, ids=[c[0] for c in CASES])
def test_each_service_refuses_a_user_without_the_role_and_changes_nothing(
    role_user: Any, root: Unit, name: str, role: str, action: str, call: Any
) -> None:
    world = _world(root)
    outsiders = [role_user(r) for r in (R.EMPLOYEE, R.AUDITOR, R.INSPECTOR)]
    before = _state()
    for user in outsiders:
        with pytest.raises(PermissionDenied):
            call(user, world)
    assert _state() == before


@pytest.mark.parametrize(("name", "role", "action", "call"), CASES, ids=[c[0] for c in CASES])
def test_each_service_writes_an_audit_event_with_actor_and_clause(
    role_user: Any, root: Unit, name: str, role: str, action: str, call: Any
) -> None:
    world = _world(root)
    actor = role_user(role)
    last = AuditEvent.objects.count()
    call(actor, world)
    events = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq"))
    assert action in [e.action for e in events]
    assert all(e.actor_id == actor.pk for e in events)
    assert all(e.clause.startswith("§") for e in events)
    assert verify_chain() is None


def test_a_signed_out_or_disabled_user_is_refused(root: Unit) -> None:
    from django.contrib.auth.models import AnonymousUser

    from cqo.testing.factories import member

    disabled = member(R.ADMIN, unit=root)
    disabled.is_active = False
    disabled.save()
    for user in (AnonymousUser(), disabled, None):
        with pytest.raises(PermissionDenied):
            S.unit_create(
                actor=user, enterprise=root.enterprise, parent=root, kind="team", code="Z", name="Z"
            )
    assert not Unit.objects.filter(code="Z").exists()
