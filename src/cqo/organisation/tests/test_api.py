from __future__ import annotations

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.organisation import roles as R
from cqo.organisation.models import Person, PostAssignment, PostKind, Unit
from cqo.testing.factories import (
    PersonFactory,
    PostAssignmentFactory,
    PostFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("cqo.organisation.tests.urls")]
BASE = "/api/v1/org"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize("path", ["enterprises", "units", "people", "posts", "assignments"])
def test_every_member_reads_the_organisation(
    api: APIClient, role_user: Any, quality: Unit, path: str
) -> None:
    PostAssignmentFactory(post=PostFactory(unit=quality), person=PersonFactory(unit=quality))
    for role in (R.EMPLOYEE, R.AUDITOR):
        response = _as(api, role_user(role)).get(f"{BASE}/{path}/")
        assert response.status_code == 200, response.content
        assert response.json()["count"] >= 1


@pytest.mark.parametrize("path", ["enterprises", "units", "people", "posts", "assignments"])
def test_an_account_without_role_or_person_reads_nothing(
    api: APIClient, quality: Unit, path: str
) -> None:
    assert _as(api, UserFactory()).get(f"{BASE}/{path}/").status_code == 403
    assert APIClient().get(f"{BASE}/{path}/").status_code in {401, 403}


def test_the_admin_creates_and_moves_units_through_the_api(
    api: APIClient, admin: Any, quality: Unit
) -> None:
    client = _as(api, admin)
    created = client.post(
        f"{BASE}/units/", {"parent": quality.pk, "kind": "team", "code": "QM-IN", "name": "检验科"}
    )
    assert created.status_code == 201, created.content
    unit = Unit.objects.get(code="QM-IN")
    assert created.json()["path"] == unit.path
    other = UnitFactory(parent=quality.parent, code="PD")
    moved = client.post(
        f"{BASE}/units/{unit.pk}/move/", {"parent": other.pk, "reason": "re-org"}, format="json"
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["parent"] == other.pk
    assert AuditEvent.objects.filter(
        action="organisation.unit.move", object_id=str(unit.pk)
    ).exists()


def test_the_api_refuses_a_loop_with_the_message_on_the_field(
    api: APIClient, admin: Any, quality: Unit
) -> None:
    child = UnitFactory(parent=quality, code="QM-MT")
    response = _as(api, admin).post(
        f"{BASE}/units/{quality.pk}/move/",
        {"parent": child.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "循环" in response.json()["parent"][0]
    assert Unit.objects.get(pk=quality.pk).parent_id != child.pk


def test_the_api_changes_the_parent_only_through_move(
    api: APIClient, admin: Any, quality: Unit
) -> None:
    other = UnitFactory(parent=quality.parent, code="PD")
    client = _as(api, admin)
    url = f"{BASE}/units/{quality.pk}/"
    refused = client.patch(url, {"parent": other.pk, "name": "质量部"}, format="json")
    assert refused.status_code == 400
    assert "parent" in refused.json()
    quality.refresh_from_db()
    assert quality.name != "质量部" and quality.parent_id != other.pk
    assert client.patch(url, {"name": "质量部"}, format="json").status_code == 200
    quality.refresh_from_db()
    assert quality.name == "质量部"


@pytest.mark.parametrize("role", [R.CQO, R.AUDITOR, R.EMPLOYEE, R.PRINCIPAL])
def test_roles_other_than_admin_cannot_write_units_or_people(
    api: APIClient, role_user: Any, quality: Unit, role: str
) -> None:
    client = _as(api, role_user(role))
    events = AuditEvent.objects.count()
    assert (
        client.post(f"{BASE}/units/", {"kind": "team", "code": "X", "name": "X"}).status_code == 403
    )
    assert (
        client.patch(f"{BASE}/units/{quality.pk}/", {"name": "X"}, format="json").status_code == 403
    )
    person = PersonFactory(unit=quality)
    assert (
        client.patch(f"{BASE}/people/{person.pk}/", {"name": "X"}, format="json").status_code == 403
    )
    assert (
        client.post(f"{BASE}/people/{person.pk}/leave/", {"left_on": "2026-01-01"}).status_code
        == 403
    )
    assert AuditEvent.objects.count() == events
    assert not Unit.objects.filter(code="X").exists()


def test_the_api_opens_an_account_and_refuses_a_duplicate(
    api: APIClient, admin: Any, quality: Unit
) -> None:
    client = _as(api, admin)
    body = {
        "employee_no": "N1", "name": "赵六", "unit": quality.pk, "username": "zhaoliu",
        "password": "Initial-Pass-2026", "roles": [R.INSPECTOR],
    }  # fmt: skip
    first = client.post(f"{BASE}/people/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["username"] == "zhaoliu"
    assert first.json()["roles"] == [R.INSPECTOR]
    assert "password" not in first.json()
    again = client.post(
        f"{BASE}/people/", {**body, "employee_no": "N2"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert again.status_code == 400
    assert "already taken" in again.json()["username"][0]
    assert not Person.objects.filter(employee_no="N2").exists()


def test_the_principal_assigns_the_cqo_post_and_the_admin_may_not(
    api: APIClient, role_user: Any, admin: Any, quality: Unit
) -> None:
    post = PostFactory(unit=quality, kind=PostKind.CQO, single_holder=True)
    person = PersonFactory(unit=quality)
    body = {"person": person.pk, "start_date": "2025-01-01"}
    assert _as(api, admin).post(f"{BASE}/posts/{post.pk}/assign/", body).status_code == 403
    response = _as(APIClient(), role_user(R.PRINCIPAL)).post(
        f"{BASE}/posts/{post.pk}/assign/", body
    )
    assert response.status_code == 201, response.content
    assignment = PostAssignment.objects.get(post=post)
    assert assignment.start_date == datetime.date(2025, 1, 1)
    listed = _as(APIClient(), admin).get(f"{BASE}/posts/{post.pk}/").json()
    assert listed["holders"] == [person.pk]


def test_roles_are_set_through_the_api(api: APIClient, admin: Any, quality: Unit) -> None:
    person = PersonFactory(unit=quality, with_account=True)
    response = _as(api, admin).post(
        f"{BASE}/people/{person.pk}/roles/", {"roles": [R.QUALITY_ENGINEER]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["roles"] == [R.QUALITY_ENGINEER]


def test_the_schema_for_these_endpoints_has_no_warnings() -> None:
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(
        patterns=[path("api/v1/org/", include("cqo.organisation.api_urls"))]
    )
    schema = generator.get_schema(request=None, public=True)
    assert "/api/v1/org/units/{id}/move/" in schema["paths"]
    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)


def test_a_malformed_filter_is_a_clear_error(api: APIClient, admin: Any, quality: Unit) -> None:
    response = _as(api, admin).get(f"{BASE}/people/", {"unit": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"unit": ["Give a whole number."]}
    PersonFactory(unit=quality, name="质量人")
    listed = _as(api, admin).get(f"{BASE}/people/", {"unit": quality.pk}).json()
    assert [p["name"] for p in listed["results"]] == ["质量人"]
