from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.audit.services import verify_chain
from cqo.organisation import roles as R
from cqo.organisation import selectors as sel
from cqo.organisation import services as S
from cqo.organisation.models import Unit, UnitKind
from cqo.testing.factories import PersonFactory, PostFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _tree(root: Unit) -> dict[str, Unit]:
    """root > a > b > c, and root > d."""
    a = UnitFactory(parent=root, code="A")
    b = UnitFactory(parent=a, code="B")
    c = UnitFactory(parent=b, code="C")
    d = UnitFactory(parent=root, code="D")
    return {"root": root, "a": a, "b": b, "c": c, "d": d}


def _paths() -> dict[str, tuple[str, int, int | None]]:
    return {u.code: (u.path, u.depth, u.parent_id) for u in Unit.objects.all()}


def test_a_new_unit_gets_its_path_from_its_parent(admin: Any, root: Unit) -> None:
    unit = S.unit_create(
        actor=admin,
        enterprise=root.enterprise,
        parent=root,
        kind=UnitKind.DEPARTMENT,
        code="QM",
        name="质量管理部",
        name_en="Quality Management",
    )
    assert unit.path == f"{root.path}{unit.pk}/"
    assert unit.depth == 1
    event = AuditEvent.objects.get(action="organisation.unit.create", object_id=str(unit.pk))
    assert event.clause == "§4.1"
    assert event.after["code"] == "QM"


def test_it_refuses_a_duplicate_unit_code_in_the_same_enterprise(admin: Any, root: Unit) -> None:
    UnitFactory(parent=root, code="QM")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        S.unit_create(
            actor=admin,
            enterprise=root.enterprise,
            parent=root,
            kind="department",
            code="QM",
            name="x",
        )
    assert "already has a unit with this code" in str(caught.value)
    assert Unit.objects.filter(code="QM").count() == 1


def test_moving_a_unit_moves_its_whole_subtree(admin: Any, root: Unit) -> None:
    t = _tree(root)
    S.unit_move(actor=admin, unit=t["a"], new_parent=t["d"], reason="reorganisation")
    c = Unit.objects.get(pk=t["c"].pk)
    d = Unit.objects.get(pk=t["d"].pk)
    assert c.path == f"{d.path}{t['a'].pk}/{t['b'].pk}/{c.pk}/"
    assert c.depth == 4
    assert set(sel.unit_subtree(d).values_list("code", flat=True)) == {"D", "A", "B", "C"}
    event = AuditEvent.objects.get(action="organisation.unit.move")
    assert event.before["parent_id"] == root.pk
    assert event.after["parent_id"] == d.pk
    assert event.reason == "reorganisation"
    assert verify_chain() is None


def test_a_unit_can_become_a_root(admin: Any, root: Unit) -> None:
    t = _tree(root)
    S.unit_move(actor=admin, unit=t["b"], new_parent=None)
    c = Unit.objects.get(pk=t["c"].pk)
    assert c.path == f"/{t['b'].pk}/{c.pk}/"
    assert c.depth == 1


@pytest.mark.parametrize("target", ["a", "b", "c"])
def test_it_refuses_a_unit_tree_with_a_cycle(admin: Any, root: Unit, target: str) -> None:
    t = _tree(root)
    before_paths = _paths()
    before_events = AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        S.unit_move(actor=admin, unit=t["a"], new_parent=t[target])
    assert "parent" in caught.value.message_dict
    assert _paths() == before_paths
    assert AuditEvent.objects.count() == before_events


def test_the_cycle_message_is_in_chinese_when_the_language_is_chinese(
    admin: Any, root: Unit
) -> None:
    t = _tree(root)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        S.unit_move(actor=admin, unit=t["a"], new_parent=t["c"])
    message = caught.value.message_dict["parent"][0]
    assert "循环" in message
    assert t["c"].name in message


def test_it_refuses_to_void_a_unit_that_still_has_people(admin: Any, root: Unit) -> None:
    unit = UnitFactory(parent=root)
    PersonFactory(unit=unit)
    with translation.override("en"), pytest.raises(ValidationError, match="1 people"):
        S.unit_void(actor=admin, unit=unit, reason="merged")
    assert Unit.objects.get(pk=unit.pk).voided_at is None


def test_it_voids_an_empty_unit_with_a_reason(admin: Any, root: Unit) -> None:
    unit = UnitFactory(parent=root)
    S.unit_void(actor=admin, unit=unit, reason="merged into production")
    unit.refresh_from_db()
    assert unit.is_voided
    assert AuditEvent.objects.filter(
        action="organisation.unit.void", object_id=str(unit.pk)
    ).exists()


def test_it_refuses_a_unit_with_posts_to_be_voided(admin: Any, root: Unit) -> None:
    unit = UnitFactory(parent=root)
    PostFactory(unit=unit)
    with pytest.raises(ValidationError):
        S.unit_void(actor=admin, unit=unit, reason="merged")


def test_a_unit_head_must_be_a_current_member_of_the_enterprise(admin: Any, root: Unit) -> None:
    stranger = PersonFactory()  # another enterprise
    unit = UnitFactory(parent=root)
    with pytest.raises(ValidationError) as caught:
        S.unit_update(actor=admin, unit=unit, head=stranger)
    assert "head" in caught.value.message_dict
    assert Unit.objects.get(pk=unit.pk).head_id is None


def test_units_are_never_deleted(root: Unit) -> None:
    from cqo.core.models import ProtectedRecordError

    with pytest.raises(ProtectedRecordError):
        root.delete()
    with pytest.raises(ProtectedRecordError):
        Unit.objects.all().delete()


def test_only_the_admin_changes_the_unit_tree(role_user: Any, root: Unit) -> None:
    t = _tree(root)
    before = _paths()
    for role in (R.CQO, R.PRINCIPAL, R.AUDITOR, R.DEPARTMENT_HEAD, R.EMPLOYEE):
        user = role_user(role)
        with pytest.raises(PermissionDenied):
            S.unit_move(actor=user, unit=t["a"], new_parent=t["d"])
        with pytest.raises(PermissionDenied):
            S.unit_create(
                actor=user, enterprise=root.enterprise, parent=root, kind="team", code="X", name="X"
            )
    assert _paths() == before


def test_the_tree_selector_nests_units_in_order(admin: Any, root: Unit) -> None:
    t = _tree(root)
    PersonFactory(unit=t["c"])
    roots = sel.unit_tree(admin)
    assert [n.unit.code for n in roots] == ["ROOT"]
    assert [n.unit.code for n in roots[0].children] == ["A", "D"]
    c = roots[0].children[0].children[0].children[0]
    assert c.unit.code == "C" and c.people_count == 1
    assert roots[0].subtree_size == 5
