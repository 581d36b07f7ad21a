from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from cqo.audit.models import AuditEvent
from cqo.organisation import roles as R
from cqo.organisation.models import Person, PostKind, Unit
from cqo.testing.factories import (
    PersonFactory,
    PostAssignmentFactory,
    PostFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = list(R.ROLES)
READ = ALL_ROLES
ADMIN_ONLY = [R.ADMIN]


@pytest.fixture
def world(root: Unit, quality: Unit) -> dict[str, Any]:
    person = PersonFactory(unit=quality, with_account=True)
    bare = PersonFactory(unit=quality)
    post = PostFactory(unit=quality, kind=PostKind.OTHER)
    assignment = PostAssignmentFactory(
        post=post, person=person, start_date=datetime.date(2025, 1, 1)
    )
    return {
        "root": root,
        "unit": quality,
        "person": person,
        "bare": bare,
        "post": post,
        "assignment": assignment,
    }


# (url name, object key or None, roles that may open it)
PAGES: list[tuple[str, str | None, list[str]]] = [
    ("organisation:index", None, READ),
    ("organisation:enterprise", None, READ),
    ("organisation:unit_tree", None, READ),
    ("organisation:unit_detail", "unit", READ),
    ("organisation:unit_children", "unit", READ),
    ("organisation:person_list", None, READ),
    ("organisation:person_detail", "person", READ),
    ("organisation:post_list", None, READ),
    ("organisation:post_detail", "post", READ),
    ("organisation:enterprise_edit", None, ADMIN_ONLY),
    ("organisation:unit_create", None, ADMIN_ONLY),
    ("organisation:unit_edit", "unit", ADMIN_ONLY),
    ("organisation:unit_move", "unit", ADMIN_ONLY),
    ("organisation:unit_void", "unit", ADMIN_ONLY),
    ("organisation:person_create", None, ADMIN_ONLY),
    ("organisation:person_edit", "person", ADMIN_ONLY),
    ("organisation:person_leave", "person", ADMIN_ONLY),
    ("organisation:person_roles", "person", ADMIN_ONLY),
    ("organisation:person_account", "bare", ADMIN_ONLY),
    ("organisation:post_create", None, [R.ADMIN, R.CQO]),
    ("organisation:post_edit", "post", [R.ADMIN, R.CQO]),
    ("organisation:post_void", "post", ADMIN_ONLY),
    ("organisation:post_assign", "post", ADMIN_ONLY),
    ("organisation:assignment_end", "assignment", ADMIN_ONLY),
]


def _url(name: str, key: str | None, world: dict[str, Any]) -> str:
    return reverse(name, args=[world[key].pk]) if key else reverse(name)


@pytest.mark.parametrize("role", [*ALL_ROLES, "nobody"])
def test_every_page_answers_each_role_as_the_matrix_says(
    client: Client, world: dict[str, Any], role_user: Any, role: str
) -> None:
    user = UserFactory() if role == "nobody" else role_user(role)
    client.force_login(user)
    for name, key, allowed in PAGES:
        response = client.get(_url(name, key, world))
        expected = {302, 200} if name == "organisation:index" else {200}
        if role in allowed:
            assert response.status_code in expected, (name, role, response.status_code)
        else:
            assert response.status_code == 403, (name, role, response.status_code)


@override_settings(LOGIN_URL="/accounts/login/")
def test_a_signed_out_visitor_is_sent_to_sign_in(client: Client, world: dict[str, Any]) -> None:
    for name, key, _allowed in PAGES:
        response = client.get(_url(name, key, world))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_refused_post_changes_nothing(
    client: Client, world: dict[str, Any], role_user: Any
) -> None:
    client.force_login(role_user(R.CQO))
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("organisation:unit_create"),
        {"kind": "team", "code": "X1", "name": "新班组", "sort_order": 0},
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(code="X1").exists()
    assert AuditEvent.objects.count() == events


def test_the_admin_creates_a_unit_through_the_form(
    client: Client, world: dict[str, Any], admin: Any
) -> None:
    client.force_login(admin)
    response = client.post(
        reverse("organisation:unit_create"),
        {
            "parent": world["unit"].pk,
            "kind": "team",
            "code": "QM-IN",
            "name": "检验科",
            "sort_order": 1,
        },
    )
    unit = Unit.objects.get(code="QM-IN")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:unit_detail", args=[unit.pk])
    assert unit.parent_id == world["unit"].pk
    assert AuditEvent.objects.filter(
        action="organisation.unit.create", object_id=str(unit.pk)
    ).exists()


def test_a_loop_is_refused_next_to_the_parent_field_in_chinese(
    client: Client, world: dict[str, Any], admin: Any
) -> None:
    child = UnitFactory(parent=world["unit"], code="QM-QE", name="质量工程科")
    client.force_login(admin)
    response = client.post(
        reverse("organisation:unit_move", args=[world["unit"].pk]),
        {"parent": child.pk, "reason": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "循环" in form.errors["parent"][0]
    assert "循环" in response.content.decode()
    assert Unit.objects.get(pk=world["unit"].pk).parent_id == world["root"].pk


def test_a_malformed_credit_code_is_shown_next_to_its_field(
    client: Client, world: dict[str, Any], admin: Any
) -> None:
    enterprise = world["root"].enterprise
    client.force_login(admin)
    data = {
        "name": enterprise.name, "credit_code": "91500112MA5YJ8K3XX", "size_class": "medium",
        "industry_code": "C3752", "region_code": "500112",
    }  # fmt: skip
    with override_settings(LANGUAGE_CODE="en"):
        response = client.post(
            reverse("organisation:enterprise_edit"), data, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    errors = response.context["form"].errors["credit_code"]
    assert any("check character" in e or "character 17" in e for e in errors)
    enterprise.refresh_from_db()
    assert enterprise.credit_code != "91500112MA5YJ8K3XX"


def test_a_credit_code_typed_in_groups_with_spaces_is_accepted(
    client: Client, world: dict[str, Any], admin: Any
) -> None:
    enterprise = world["root"].enterprise
    client.force_login(admin)
    data = {
        "name": enterprise.name, "credit_code": "9144 0300 7084 6113 6T", "size_class": "medium",
        "industry_code": "C3752", "region_code": "500112",
    }  # fmt: skip
    response = client.post(reverse("organisation:enterprise_edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    enterprise.refresh_from_db()
    assert enterprise.credit_code == "91440300708461136T"


def test_a_duplicate_account_is_refused_on_the_form(
    client: Client, world: dict[str, Any], admin: Any
) -> None:
    UserFactory(username="lisi")
    client.force_login(admin)
    response = client.post(
        reverse("organisation:person_create"),
        {
            "employee_no": "N100",
            "name": "李四",
            "unit": world["unit"].pk,
            "title_level": "none",
            "quality_years": 0,
            "username": "lisi",
            "password": "Initial-Pass-2026",
            "roles": [R.INSPECTOR],
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "已被占用" in response.context["form"].errors["username"][0]
    assert not Person.objects.filter(employee_no="N100").exists()


def test_the_people_list_searches_and_filters_by_unit(
    client: Client, world: dict[str, Any], admin: Any
) -> None:
    other = UnitFactory(parent=world["root"], code="SA")
    PersonFactory(unit=other, name="王销售", employee_no="S001")
    PersonFactory(unit=world["unit"], name="王质量", employee_no="Q001")
    client.force_login(admin)
    response = client.get(
        reverse("organisation:person_list"), {"q": "王", "unit": world["unit"].pk}
    )
    names = [p.name for p in response.context["page"].object_list]
    assert names == ["王质量"]
    partial = client.get(reverse("organisation:person_list"), {"q": "王"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "王销售" in body and "王质量" in body
    assert "<html" not in body


def test_the_unit_tree_page_shows_the_tree(
    client: Client, world: dict[str, Any], role_user: Any
) -> None:
    UnitFactory(parent=world["unit"], code="QM-MT", name="计量室")
    client.force_login(role_user(R.AUDITOR))
    body = client.get(reverse("organisation:unit_tree")).content.decode()
    assert body.index("质量管理部") < body.index("计量室")
    assert "<details" in body
