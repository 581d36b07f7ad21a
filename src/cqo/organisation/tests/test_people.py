from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.organisation import roles as R
from cqo.organisation import services as S
from cqo.organisation.models import Person, PersonStatus, PostAssignment, Unit
from cqo.organisation.rules import user_roles
from cqo.testing.factories import PersonFactory, PostAssignmentFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Initial-Pass-2026"


def _create(admin: Any, unit: Unit, **kwargs: Any) -> Person:
    defaults = {
        "employee_no": "YJ9001",
        "name": "张三",
        "name_en": "Zhang San",
        "job_title": "检验员",
    }
    return S.person_create(actor=admin, unit=unit, **{**defaults, **kwargs})


def test_it_creates_a_person_with_an_account_and_roles(admin: Any, quality: Unit) -> None:
    person = _create(admin, quality, username="zhangsan", password=PASSWORD, roles=[R.INSPECTOR])
    user = person.user
    assert user is not None
    assert user.username == "zhangsan"
    assert user.check_password(PASSWORD)
    assert user.must_change_password is True
    assert user.display_name == "张三"
    assert user_roles(user) == {R.INSPECTOR}
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["accounts.user.create", "organisation.person.create"]
    # The person's event holds the row as it was left, account linked: nothing changed after it.
    person_event = AuditEvent.objects.get(action="organisation.person.create")
    assert person_event.after["user_id"] == user.pk
    account_event = AuditEvent.objects.get(action="accounts.user.create")
    assert account_event.after["roles"] == [R.INSPECTOR]
    assert "password" not in account_event.after


def test_it_refuses_a_duplicate_account_and_changes_nothing(admin: Any, quality: Unit) -> None:
    UserFactory(username="zhangsan")
    people, users, events = Person.objects.count(), User.objects.count(), AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _create(admin, quality, username="ZhangSan", password=PASSWORD)
    assert "“ZhangSan” is already taken" in caught.value.message_dict["username"][0]
    assert (Person.objects.count(), User.objects.count(), AuditEvent.objects.count()) == (
        people,
        users,
        events,
    )


def test_the_duplicate_account_message_is_in_chinese(admin: Any, quality: Unit) -> None:
    UserFactory(username="zhangsan")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _create(admin, quality, username="zhangsan", password=PASSWORD)
    assert "已被占用" in caught.value.message_dict["username"][0]


def test_it_refuses_a_weak_initial_password(admin: Any, quality: Unit) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(admin, quality, username="zhangsan", password="123")
    assert "password" in caught.value.message_dict
    assert not Person.objects.filter(employee_no="YJ9001").exists()


def test_it_refuses_a_duplicate_employee_number(admin: Any, quality: Unit) -> None:
    PersonFactory(unit=quality, employee_no="YJ9001")
    with pytest.raises(ValidationError) as caught:
        _create(admin, quality)
    assert "employee_no" in caught.value.message_dict


def test_it_refuses_roles_without_an_account_name(admin: Any, quality: Unit) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(admin, quality, roles=[R.INSPECTOR])
    assert "username" in caught.value.message_dict


def test_it_refuses_an_unknown_role(admin: Any, quality: Unit) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(admin, quality, username="x1", password=PASSWORD, roles=["superhero"])
    assert "roles" in caught.value.message_dict


def test_updating_a_person_keeps_the_account_name_in_step(admin: Any, quality: Unit) -> None:
    person = PersonFactory(unit=quality, with_account=True)
    S.person_update(
        actor=admin, person=person, name="李四", email="lisi@example.com", quality_years=5
    )
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.display_name == "李四"
    assert person.user.email == "lisi@example.com"
    event = AuditEvent.objects.get(action="organisation.person.update")
    assert event.before["quality_years"] == 3 and event.after["quality_years"] == 5
    assert event.clause == "§5.1"


def test_leaving_switches_off_the_account_and_ends_open_posts(admin: Any, quality: Unit) -> None:
    person = PersonFactory(unit=quality, with_account=True)
    quality.head = person
    quality.save()
    assignment = PostAssignmentFactory(person=person, post__unit=quality)
    S.person_leave(
        actor=admin, person=person, left_on=datetime.date(2026, 3, 31), reason="resigned"
    )
    person.refresh_from_db()
    assert person.status == PersonStatus.LEFT
    assert person.left_on == datetime.date(2026, 3, 31)
    assert person.user is not None and person.user.is_active is False
    assert PostAssignment.objects.get(pk=assignment.pk).end_date == datetime.date(2026, 3, 31)
    assert Unit.objects.get(pk=quality.pk).head_id is None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "organisation.person.leave",
        "accounts.user.deactivate",
        "organisation.postassignment.end",
        "organisation.unit.update",
    } <= actions


def test_people_are_never_deleted(quality: Unit) -> None:
    from cqo.core.models import ProtectedRecordError

    person = PersonFactory(unit=quality)
    with pytest.raises(ProtectedRecordError):
        person.delete()
    with pytest.raises(ProtectedRecordError):
        Person.objects.filter(pk=person.pk).delete()


def test_setting_roles_replaces_only_role_groups(admin: Any, quality: Unit) -> None:
    from django.contrib.auth.models import Group

    person = PersonFactory(unit=quality, with_account=True)
    assert person.user is not None
    other = Group.objects.create(name="newsletter")
    person.user.groups.add(other)
    S.person_roles_set(actor=admin, person=person, roles=[R.QUALITY_ENGINEER, R.INSPECTOR])
    S.person_roles_set(actor=admin, person=person, roles=[R.INSPECTOR])
    names = set(person.user.groups.values_list("name", flat=True))
    assert names == {R.INSPECTOR, "newsletter"}
    event = AuditEvent.objects.filter(action="accounts.user.roles").last()
    assert event is not None
    assert event.before == {"roles": [R.INSPECTOR, R.QUALITY_ENGINEER]}
    assert event.after == {"roles": [R.INSPECTOR]}


def test_an_admin_cannot_take_the_admin_role_from_themselves(admin: Any) -> None:
    person = Person.objects.get(user=admin)
    with pytest.raises(ValidationError):
        S.person_roles_set(actor=admin, person=person, roles=[R.EMPLOYEE])
    assert user_roles(User.objects.get(pk=admin.pk)) == {R.ADMIN}


@pytest.mark.parametrize("role", [R.CQO, R.PRINCIPAL, R.AUDITOR, R.DEPARTMENT_HEAD, R.EMPLOYEE])
def test_only_the_admin_records_people_and_accounts(
    role_user: Any, quality: Unit, role: str
) -> None:
    user = role_user(role)
    person = PersonFactory(unit=quality, with_account=True)
    before = (Person.objects.count(), User.objects.count(), AuditEvent.objects.count())
    calls = [
        lambda: _create(user, quality),
        lambda: S.person_update(actor=user, person=person, name="改名"),
        lambda: S.person_leave(actor=user, person=person, left_on=datetime.date(2026, 1, 1)),
        lambda: S.person_roles_set(actor=user, person=person, roles=[R.ADMIN]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert (Person.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before
    person.refresh_from_db()
    assert person.name != "改名" and person.is_active
    assert user_roles(User.objects.get(pk=person.user_id)) == frozenset()


def test_a_new_unit_member_can_be_moved_between_units(admin: Any, quality: Unit) -> None:
    person = PersonFactory(unit=quality)
    other = UnitFactory(parent=quality.parent)
    S.person_update(actor=admin, person=person, unit=other)
    assert Person.objects.get(pk=person.pk).unit_id == other.pk


def test_a_person_reads_in_the_page_language_but_the_trail_keeps_the_native_name(
    admin: Any, quality: Unit
) -> None:
    with translation.override("en"):
        person = _create(admin, quality)
        assert str(person) == "Zhang San"
    with translation.override("zh-hans"):
        assert str(person) == "张三"
    event = AuditEvent.objects.filter(action="organisation.person.create").latest("seq")
    assert event.object_repr == "张三"
    nameless = _create(admin, quality, employee_no="YJ9002", name="李四", name_en="")
    with translation.override("en"):
        assert str(nameless) == "李四"
