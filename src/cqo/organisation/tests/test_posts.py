from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.organisation import roles as R
from cqo.organisation import selectors as sel
from cqo.organisation import services as S
from cqo.organisation.models import PostAssignment, PostKind, Unit
from cqo.testing.factories import PersonFactory, PostAssignmentFactory, PostFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_it_creates_a_post_and_cites_the_clause_by_kind(admin: Any, quality: Unit) -> None:
    key = S.post_create(
        actor=admin, unit=quality, code="K1", name="出货检验放行", kind=PostKind.KEY_POST
    )
    cqo = S.post_create(actor=admin, unit=quality, code="CQO", name="首席质量官", kind=PostKind.CQO)
    assert cqo.single_holder is True
    assert key.single_holder is False
    clauses = dict(
        AuditEvent.objects.filter(action="organisation.post.create").values_list(
            "object_id", "clause"
        )
    )
    assert clauses == {str(key.pk): "§7.2.1.3", str(cqo.pk): "§4.1"}


def test_the_cqo_post_stays_single_holder(admin: Any, quality: Unit) -> None:
    post = S.post_create(
        actor=admin,
        unit=quality,
        code="CQO",
        name="首席质量官",
        kind=PostKind.CQO,
        single_holder=False,
    )
    S.post_update(actor=admin, post=post, single_holder=False)
    post.refresh_from_db()
    assert post.single_holder is True


def test_it_refuses_an_overlapping_holder_on_a_single_holder_post(
    role_user: Any, quality: Unit
) -> None:
    principal = role_user(R.PRINCIPAL)
    post = PostFactory(unit=quality, kind=PostKind.CQO, single_holder=True)
    first = PersonFactory(unit=quality, name="刘晓梅", name_en="Liu Xiaomei")
    second = PersonFactory(unit=quality)
    S.post_assign(actor=principal, post=post, person=first, start_date=D(2025, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        S.post_assign(actor=principal, post=post, person=second, start_date=D(2025, 6, 1))
    message = caught.value.message_dict["start_date"][0]
    # Named as an English reader knows them.
    assert "Liu Xiaomei" in message and "one holder at a time" in message
    assert PostAssignment.objects.filter(post=post).count() == 1


def test_a_single_holder_post_can_change_hands_once_the_assignment_ends(
    role_user: Any, quality: Unit
) -> None:
    principal = role_user(R.PRINCIPAL)
    post = PostFactory(unit=quality, kind=PostKind.CQO, single_holder=True)
    first, second = PersonFactory(unit=quality), PersonFactory(unit=quality)
    a = S.post_assign(actor=principal, post=post, person=first, start_date=D(2025, 1, 1))
    S.post_assignment_end(actor=principal, assignment=a, end_date=D(2025, 5, 31), reason="handover")
    S.post_assign(actor=principal, post=post, person=second, start_date=D(2025, 6, 1))
    assert [p.pk for p in sel.post_holders(post, D(2025, 7, 1))] == [second.pk]
    assert [p.pk for p in sel.post_holders(post, D(2025, 3, 1))] == [first.pk]


def test_an_assignment_ending_the_day_the_next_begins_overlaps(
    role_user: Any, quality: Unit
) -> None:
    principal = role_user(R.PRINCIPAL)
    post = PostFactory(unit=quality, kind=PostKind.QUALITY_SAFETY_DIRECTOR, single_holder=True)
    PostAssignmentFactory(post=post, start_date=D(2025, 1, 1), end_date=D(2025, 6, 1))
    with pytest.raises(ValidationError):
        S.post_assign(
            actor=principal, post=post, person=PersonFactory(unit=quality), start_date=D(2025, 6, 1)
        )


def test_a_multi_holder_post_takes_several_people_but_not_the_same_one_twice(
    admin: Any, quality: Unit
) -> None:
    post = PostFactory(unit=quality, kind=PostKind.OTHER)
    a, b = PersonFactory(unit=quality), PersonFactory(unit=quality)
    S.post_assign(actor=admin, post=post, person=a, start_date=D(2025, 1, 1))
    S.post_assign(actor=admin, post=post, person=b, start_date=D(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        S.post_assign(
            actor=admin, post=post, person=a, start_date=D(2025, 3, 1), end_date=D(2025, 4, 1)
        )
    assert "start_date" in caught.value.message_dict
    assert PostAssignment.objects.filter(post=post).count() == 2


def test_it_refuses_an_end_before_the_start(admin: Any, quality: Unit) -> None:
    post = PostFactory(unit=quality)
    with pytest.raises(ValidationError) as caught:
        S.post_assign(actor=admin, post=post, person=PersonFactory(unit=quality),
                      start_date=D(2025, 5, 1), end_date=D(2025, 4, 1))  # fmt: skip
    assert "end_date" in caught.value.message_dict
    a = PostAssignmentFactory(post=post, start_date=D(2025, 5, 1))
    with pytest.raises(ValidationError):
        S.post_assignment_end(actor=admin, assignment=a, end_date=D(2025, 4, 1))
    assert PostAssignment.objects.get(pk=a.pk).end_date is None


def test_it_refuses_to_end_an_assignment_twice(admin: Any, quality: Unit) -> None:
    a = PostAssignmentFactory(post__unit=quality, end_date=D(2025, 6, 1))
    with pytest.raises(ValidationError):
        S.post_assignment_end(actor=admin, assignment=a, end_date=D(2025, 7, 1))


def test_it_refuses_to_assign_someone_who_left(admin: Any, quality: Unit) -> None:
    person = PersonFactory(unit=quality, status="left", left_on=D(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        S.post_assign(
            actor=admin, post=PostFactory(unit=quality), person=person, start_date=D(2025, 2, 1)
        )
    assert "person" in caught.value.message_dict


@pytest.mark.parametrize(
    ("kind", "allowed", "refused"),
    [
        (PostKind.CQO, [R.PRINCIPAL], [R.ADMIN, R.CQO, R.DEPARTMENT_HEAD, R.AUDITOR]),
        (PostKind.QUALITY_SAFETY_DIRECTOR, [R.PRINCIPAL], [R.ADMIN, R.CQO, R.AUDITOR]),
        (
            PostKind.KEY_POST,
            [R.ADMIN, R.CQO],
            [R.PRINCIPAL, R.AUDITOR, R.EMPLOYEE, R.QUALITY_ENGINEER],
        ),
        (PostKind.QUALITY_SAFETY_OFFICER, [R.ADMIN, R.CQO], [R.AUDITOR, R.INSPECTOR]),
        (PostKind.OTHER, [R.ADMIN], [R.CQO, R.AUDITOR, R.EMPLOYEE]),
    ],
)
def test_who_may_assign_depends_on_the_kind_of_post(
    role_user: Any, quality: Unit, kind: str, allowed: list[str], refused: list[str]
) -> None:
    post = PostFactory(unit=quality, kind=kind, single_holder=False)
    for role in refused:
        user = role_user(role)
        with pytest.raises(PermissionDenied):
            S.post_assign(
                actor=user, post=post, person=PersonFactory(unit=quality), start_date=D(2025, 1, 1)
            )
    assert not PostAssignment.objects.filter(post=post).exists()
    for role in allowed:
        user = role_user(role)
        a = S.post_assign(
            actor=user, post=post, person=PersonFactory(unit=quality), start_date=D(2025, 1, 1)
        )
        event = AuditEvent.objects.get(
            action="organisation.postassignment.create", object_id=str(a.pk)
        )
        assert event.actor_id == user.pk


def test_a_department_head_assigns_key_posts_only_within_their_own_units(
    role_user: Any, root: Unit
) -> None:
    production = UnitFactory(parent=root, code="PD")
    workshop = UnitFactory(parent=production, code="PD-DC")
    sales = UnitFactory(parent=root, code="SA")
    head = role_user(R.DEPARTMENT_HEAD, unit=production)
    production.head = head.person
    production.save()
    inside = PostFactory(unit=workshop, kind=PostKind.KEY_POST)
    outside = PostFactory(unit=sales, kind=PostKind.KEY_POST)
    S.post_assign(
        actor=head, post=inside, person=PersonFactory(unit=workshop), start_date=D(2025, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        S.post_assign(
            actor=head, post=outside, person=PersonFactory(unit=sales), start_date=D(2025, 1, 1)
        )


def test_voiding_a_post_needs_it_to_be_vacant(admin: Any, quality: Unit) -> None:
    post = PostFactory(unit=quality)
    a = PostAssignmentFactory(post=post)
    with pytest.raises(ValidationError):
        S.post_void(actor=admin, post=post, reason="no longer needed")
    S.post_assignment_end(actor=admin, assignment=a, end_date=D(2025, 2, 1))
    S.post_void(actor=admin, post=post, reason="no longer needed")
    post.refresh_from_db()
    assert post.is_voided
