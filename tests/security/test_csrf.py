"""CSRF everywhere: every POST form of the HTML UI carries a token and fails without one, and a
form left open across the end of a session leads somewhere friendly, never to a change.

The walk over every page is part of the permission matrix's GET walk
(``test_permission_matrix.py::test_get_as_every_role_matches_the_matrix_and_every_form_needs_its_token``):
it checks the forms on the very responses the matrix reads, so each page is rendered once per
identity instead of twice. This module checks that the walk finds the forms a user meets, and
what a user sees when a form's token has gone stale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from cqo.audit.models import AuditEvent
from cqo.organisation.models import Unit
from cqo.testing.factories import TEST_PASSWORD
from cqo.testing.matrix import WHO, Route, World, module_world, routes, url_for

from .matrix import expected, kwargs_for, post_forms, world_build

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def _module_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker, world_build) as built:
        yield built


@pytest.fixture
def world(_module_world: World, db: Any) -> World:
    """The permission matrix's world, built once for this module; each test runs in a savepoint."""
    return _module_world


def _forms_on(world: World, route: Route) -> dict[tuple[str, str], str]:
    """{(who, form action): page url} for every POST form each reader of the page meets there;
    a form without a token is reported at once."""
    url = url_for(route, kwargs_for(route, world))
    forms: dict[tuple[str, str], str] = {}
    for who in WHO:
        if expected(route.name, who) != 200:
            continue
        response = world.client(who).get(url)
        if "text/html" not in response.get("Content-Type", ""):
            break  # a PDF, a workbook, JSON: the same kind for every reader, and no forms
        for action, has_token in post_forms(response.content.decode(), url):
            assert has_token, f"{who}: a POST form on {url} (to {action}) has no CSRF token"
            forms.setdefault((who, action), url)
    return forms


def test_the_walk_meets_the_forms_a_user_actually_meets(world: World) -> None:
    # The matrix's walk finds forms by pattern (post_forms); on these pages it must find them.
    by_name = {route.name: route for route in routes()}
    actions: set[str] = set()
    for name in ("accounts:login", "workbench:dashboard", "accounts:password_change"):
        actions |= {action for _who, action in _forms_on(world, by_name[name])}
    unit_edit = _forms_on(world, by_name["organisation:unit_edit"])
    assert {"/accounts/login/", "/accounts/logout/", "/accounts/password/"} <= actions, actions
    assert any(a.startswith("/org/units/") and a.endswith("/edit/") for _w, a in unit_edit)


def _edit_form(client: Client, unit: Unit) -> tuple[str, dict[str, str]]:
    url = f"/org/units/{unit.pk}/edit/"
    html = client.get(url).content.decode()
    token = TOKEN.search(html)
    assert token is not None
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "parent": str(unit.parent_id or ""),
        "kind": unit.kind,
        "code": unit.code,
        "name": "改过的名字",
        "name_en": unit.name_en,
        "sort_order": str(unit.sort_order),
    }
    return url, data


def test_a_form_submitted_after_the_session_expired_goes_to_sign_in_with_next(
    world: World,
) -> None:
    unit = world.objects["unit"]
    client = world.client("admin", enforce_csrf_checks=True)
    url, data = _edit_form(client, unit)
    events = AuditEvent.objects.count()
    client.session.flush()  # the session ends while the form is open
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    unit.refresh_from_db()
    assert unit.name == "质量管理部"
    assert AuditEvent.objects.count() == events


def _sign_in_again(client: Client, username: str) -> None:
    html = client.get("/accounts/login/").content.decode()
    token = TOKEN.search(html)
    # Signed in already, the page redirects; sign out first, as a user would in another tab.
    if token is None:
        html = client.get("/").content.decode()
        logout = TOKEN.search(html)
        assert logout is not None
        client.post("/accounts/logout/", {"csrfmiddlewaretoken": logout.group(1)})
        token = TOKEN.search(client.get("/accounts/login/").content.decode())
    assert token is not None
    response = client.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("language", "title", "again"),
    [
        ("zh-hans", "表单已失效", "重新打开表单"),
        ("en", "Your form has expired", "Open the form again"),
    ],
)
def test_a_form_from_before_signing_in_again_gets_the_friendly_page_and_changes_nothing(
    world: World, language: str, title: str, again: str
) -> None:
    unit = world.objects["unit"]
    admin = world.users["admin"]
    client = world.client("admin", enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    url, data = _edit_form(client, unit)
    # Signing in again (another tab) rotates the CSRF secret: the open form's token is stale.
    _sign_in_again(client, admin.username)
    events = AuditEvent.objects.count()
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 403
    assert title in html and again in html
    assert f'href="{url}"' in html
    unit.refresh_from_db()
    assert unit.name == "质量管理部"
    assert AuditEvent.objects.count() == events


def test_the_form_expired_page_offers_sign_in_with_next_to_a_visitor(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/org/units/new/", {"name": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "表单已失效" in html and "请重新登录" in html
    assert 'href="/accounts/login/?next=%2Forg%2Funits%2Fnew%2F"' in html


def test_an_anonymous_sign_in_without_a_token_is_refused(db: Any) -> None:
    # The module's shared world may be open around this test: count, do not expect none.
    events = AuditEvent.objects.count()
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.count() == events
